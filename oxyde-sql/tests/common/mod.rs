//! Shared builders for the golden tests; each test binary uses a subset.
#![allow(dead_code, unused_imports, unused_macros)] // each golden_* binary uses only part of this module
pub(crate) use oxyde_ir::{
    AggFunc, Annotation, ArithOp, CmpOp, ColumnDef, ColumnType, Cond, CreateTable, DatePart, Delete, DropTable, Expr,
    ForeignKey, Insert, Join, JoinKind, Lock, LockWait, Op, OrderTerm, Raw, ReferentialAction, Returning, Select,
    SelectShape, Union, Update, Value,
};
pub(crate) use oxyde_sql::{Dialect, SqlWriter};

// Linked for their registrations alone.
use oxyde_mysql as _;
use oxyde_postgres as _;
use oxyde_sqlite as _;

/// Renders `build(dialect)` for each registered dialect and snapshots it
/// under `<test>@<dialect>`.
macro_rules! golden {
    ($name:ident, $build:expr) => {
        #[test]
        fn $name() {
            let build: fn(&dyn Dialect) -> Op = $build;
            let all = oxyde_sql::registered_dialects();
            assert!(all.len() >= 3, "the three bundled dialects are registered");
            for reg in all {
                let op = build(reg.dialect());
                let stmt = oxyde_sql::render(&op, reg.dialect()).unwrap();
                insta::with_settings!({ snapshot_suffix => reg.name(), prepend_module_to_snapshot => false }, {
                    insta::assert_snapshot!(stringify!($name), stmt.to_golden());
                });
            }
        }
    };
}

pub(crate) fn col(name: &str) -> Expr {
    Expr::column(name)
}
pub(crate) trait IntoValue {
    fn value(self) -> Value;
}
impl IntoValue for i64 {
    fn value(self) -> Value {
        Value::Int(self)
    }
}
impl IntoValue for f64 {
    fn value(self) -> Value {
        Value::Float(self)
    }
}
impl IntoValue for bool {
    fn value(self) -> Value {
        Value::Bool(self)
    }
}
impl IntoValue for Value {
    fn value(self) -> Value {
        self
    }
}
pub(crate) fn val(v: impl IntoValue) -> Expr {
    Expr::Value(v.value())
}
pub(crate) fn int(n: i64) -> Value {
    Value::Int(n)
}
pub(crate) fn text(s: &str) -> Value {
    Value::Text(s.into())
}
pub(crate) fn cmp(name: &str, op: CmpOp, v: Value) -> Cond {
    Cond::Compare {
        lhs: col(name),
        op,
        rhs: Expr::Value(v),
    }
}
pub(crate) fn users() -> Select {
    Select {
        table: "users".into(),
        ..Select::default()
    }
}
pub(crate) fn select(s: Select) -> Op {
    Op::Select(s)
}
pub(crate) fn func(name: &str, args: Vec<Expr>) -> Expr {
    Expr::Func {
        name: name.into(),
        args,
    }
}
pub(crate) fn agg(func: AggFunc, arg: Option<&str>, distinct: bool) -> Expr {
    Expr::Agg {
        func,
        arg: arg.map(|a| Box::new(col(a))),
        distinct,
    }
}
pub(crate) fn ann(alias: &str, expr: Expr) -> Annotation {
    Annotation {
        alias: alias.into(),
        expr,
    }
}
/// The dialect's own placeholder for position `n`, as a raw fragment author
/// would write it.
pub(crate) fn ph(d: &dyn Dialect, n: usize) -> String {
    let mut w = SqlWriter::new(d);
    d.write_placeholder(n, &mut w);
    w.finish().sql
}
pub(crate) fn column(name: &str, column_type: ColumnType) -> ColumnDef {
    ColumnDef {
        name: name.into(),
        column_type,
        db_type: None,
        nullable: false,
        primary_key: false,
        auto_increment: false,
        unique: false,
        default: None,
        comment: None,
    }
}
