//! Golden SQL for every op, rendered through every registered dialect.
//! Review changes with `cargo insta review` (or `INSTA_UPDATE=always`).
use oxyde_ir::{
    AggFunc, Annotation, ArithOp, CmpOp, ColumnDef, ColumnType, Cond, CreateTable, DatePart, Delete, DropTable, Expr,
    Insert, Lock, Op, OrderTerm, Raw, Returning, Select, SelectShape, Union, Update, Value,
};
use oxyde_sql::{Dialect, SqlWriter};

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

fn col(name: &str) -> Expr {
    Expr::column(name)
}
trait IntoValue {
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
fn val(v: impl IntoValue) -> Expr {
    Expr::Value(v.value())
}
fn int(n: i64) -> Value {
    Value::Int(n)
}
fn text(s: &str) -> Value {
    Value::Text(s.into())
}
fn cmp(name: &str, op: CmpOp, v: Value) -> Cond {
    Cond::Compare {
        lhs: col(name),
        op,
        rhs: Expr::Value(v),
    }
}
fn users() -> Select {
    Select {
        table: "users".into(),
        ..Select::default()
    }
}
fn select(s: Select) -> Op {
    Op::Select(s)
}
fn func(name: &str, args: Vec<Expr>) -> Expr {
    Expr::Func {
        name: name.into(),
        args,
    }
}
fn agg(func: AggFunc, arg: Option<&str>, distinct: bool) -> Expr {
    Expr::Agg {
        func,
        arg: arg.map(|a| Box::new(col(a))),
        distinct,
    }
}
fn ann(alias: &str, expr: Expr) -> Annotation {
    Annotation {
        alias: alias.into(),
        expr,
    }
}
/// The dialect's own placeholder for position `n`, as a raw fragment author
/// would write it.
fn ph(d: &dyn Dialect, n: usize) -> String {
    let mut w = SqlWriter::new(d);
    d.write_placeholder(n, &mut w);
    w.finish().sql
}
fn column(name: &str, column_type: ColumnType) -> ColumnDef {
    ColumnDef {
        name: name.into(),
        column_type,
        db_type: None,
        nullable: false,
        primary_key: false,
        auto_increment: false,
        unique: false,
        default: None,
    }
}

golden!(select_simple, |_| select(Select {
    columns: vec!["id".into(), "name".into()],
    ..users()
}));
golden!(select_star, |_| select(users()));
golden!(select_filter, |_| select(Select {
    filter: Some(Cond::And(vec![
        cmp("age", CmpOp::Ge, int(18)),
        cmp("name", CmpOp::Ne, text("bob")),
        Cond::Not(Box::new(Cond::Or(vec![
            cmp("status", CmpOp::Eq, text("banned")),
            cmp("karma", CmpOp::Lt, int(0))
        ]))),
        Cond::Compare {
            lhs: Expr::Column {
                table: Some("users".into()),
                name: "id".into()
            },
            op: CmpOp::Gt,
            rhs: val(7)
        },
    ])),
    ..users()
}));
golden!(select_empty_and_or, |_| select(Select {
    filter: Some(Cond::And(vec![Cond::And(vec![]), Cond::Or(vec![])])),
    ..users()
}));
golden!(select_order, |_| select(Select {
    order_by: vec![OrderTerm::Asc(col("name")), OrderTerm::Desc(col("id"))],
    ..users()
}));
golden!(select_order_random, |_| select(Select {
    order_by: vec![OrderTerm::Random],
    limit: Some(3),
    ..users()
}));
golden!(select_limit_offset, |_| select(Select {
    limit: Some(10),
    offset: Some(20),
    ..users()
}));
golden!(select_limit_only, |_| select(Select {
    limit: Some(10),
    ..users()
}));
golden!(select_offset_only, |_| select(Select {
    offset: Some(20),
    ..users()
}));
golden!(select_distinct, |_| select(Select {
    columns: vec!["city".into()],
    distinct: true,
    ..users()
}));
golden!(select_group_having, |_| select(Select {
    columns: vec!["city".into()],
    annotations: vec![ann("n", agg(AggFunc::Count, None, false))],
    group_by: vec!["city".into()],
    having: Some(Cond::Compare {
        lhs: agg(AggFunc::Count, None, false),
        op: CmpOp::Gt,
        rhs: val(1)
    }),
    order_by: vec![OrderTerm::Desc(col("n"))],
    ..users()
}));
golden!(select_aggregates, |_| select(Select {
    annotations: vec![
        ann("total", agg(AggFunc::Sum, Some("karma"), false)),
        ann("mean", agg(AggFunc::Avg, Some("karma"), false)),
        ann("top", agg(AggFunc::Max, Some("karma"), false)),
        ann("bottom", agg(AggFunc::Min, Some("karma"), false)),
        ann("cities", agg(AggFunc::Count, Some("city"), true)),
    ],
    ..users()
}));
golden!(select_annotations, |_| select(Select {
    columns: vec!["id".into()],
    annotations: vec![
        ann(
            "full_name",
            func("concat", vec![col("first"), val(text(" ")), col("last")])
        ),
        ann("low", func("lower", vec![col("name")])),
        ann("up", func("upper", vec![col("name")])),
        ann("len", func("length", vec![col("name")])),
        ann("nick", func("coalesce", vec![col("nickname"), col("name")])),
        ann("abs_karma", func("abs", vec![col("karma")])),
        ann(
            "score",
            Expr::Binary {
                op: ArithOp::Mul,
                left: Box::new(Expr::Binary {
                    op: ArithOp::Add,
                    left: Box::new(col("karma")),
                    right: Box::new(val(1))
                }),
                right: Box::new(val(2.5)),
            },
        ),
    ],
    ..users()
}));
fn partner() -> Select {
    Select {
        table: "admins".into(),
        columns: vec!["id".into(), "name".into()],
        order_by: vec![OrderTerm::Asc(col("name"))],
        limit: Some(5),
        ..Select::default()
    }
}
golden!(select_union, |_| select(Select {
    columns: vec!["id".into(), "name".into()],
    filter: Some(cmp("active", CmpOp::Eq, Value::Bool(true))),
    union: Some(Box::new(Union {
        query: partner(),
        all: false
    })),
    ..users()
}));
golden!(select_union_all_chain, |_| select(Select {
    columns: vec!["id".into(), "name".into()],
    union: Some(Box::new(Union {
        query: Select {
            union: Some(Box::new(Union {
                query: Select {
                    table: "guests".into(),
                    columns: vec!["id".into(), "name".into()],
                    ..Select::default()
                },
                all: true,
            })),
            ..partner()
        },
        all: true,
    })),
    ..users()
}));
golden!(select_count, |_| select(Select {
    filter: Some(cmp("age", CmpOp::Ge, int(18))),
    order_by: vec![OrderTerm::Asc(col("name"))],
    shape: SelectShape::Count,
    ..users()
}));
golden!(select_count_distinct_limited, |_| select(Select {
    columns: vec!["city".into()],
    distinct: true,
    limit: Some(100),
    shape: SelectShape::Count,
    ..users()
}));
golden!(select_exists, |_| select(Select {
    filter: Some(cmp("email", CmpOp::Eq, text("a@b.c"))),
    shape: SelectShape::Exists,
    ..users()
}));
golden!(select_exists_grouped, |_| select(Select {
    columns: vec!["city".into()],
    group_by: vec!["city".into()],
    shape: SelectShape::Exists,
    ..users()
}));
golden!(select_for_update, |_| select(Select {
    filter: Some(cmp("id", CmpOp::Eq, int(1))),
    lock: Some(Lock::Update),
    ..users()
}));
golden!(select_for_share, |_| select(Select {
    lock: Some(Lock::Share),
    limit: Some(1),
    ..users()
}));
golden!(select_date_parts, |_| select(Select {
    filter: Some(Cond::And(vec![
        Cond::Compare {
            lhs: Expr::DatePart {
                part: DatePart::Year,
                expr: Box::new(col("born"))
            },
            op: CmpOp::Eq,
            rhs: val(1990),
        },
        Cond::Between {
            lhs: Expr::DatePart {
                part: DatePart::Month,
                expr: Box::new(col("born"))
            },
            low: val(3),
            high: val(6),
        },
    ])),
    annotations: vec![
        ann(
            "d",
            Expr::DatePart {
                part: DatePart::Day,
                expr: Box::new(col("born"))
            }
        ),
        ann(
            "h",
            Expr::DatePart {
                part: DatePart::Hour,
                expr: Box::new(col("seen"))
            }
        ),
        ann(
            "mi",
            Expr::DatePart {
                part: DatePart::Minute,
                expr: Box::new(col("seen"))
            }
        ),
        ann(
            "s",
            Expr::DatePart {
                part: DatePart::Second,
                expr: Box::new(col("seen"))
            }
        ),
    ],
    ..users()
}));
golden!(select_like_escape, |_| select(Select {
    filter: Some(Cond::Like {
        lhs: col("name"),
        pattern: val(text("%50!%%")),
        case_insensitive: false,
        escape: Some('!')
    }),
    ..users()
}));
golden!(select_ilike, |_| select(Select {
    filter: Some(Cond::Like {
        lhs: col("name"),
        pattern: val(text("ada%")),
        case_insensitive: true,
        escape: Some('!')
    }),
    ..users()
}));
golden!(select_in, |_| select(Select {
    filter: Some(Cond::In {
        lhs: col("id"),
        values: vec![val(1), val(2), val(3)]
    }),
    ..users()
}));
golden!(select_empty_in, |_| select(Select {
    filter: Some(Cond::In {
        lhs: col("id"),
        values: vec![]
    }),
    ..users()
}));
golden!(select_not_in, |_| select(Select {
    filter: Some(Cond::Not(Box::new(Cond::In {
        lhs: col("id"),
        values: vec![val(1)]
    }))),
    ..users()
}));
golden!(select_between, |_| select(Select {
    filter: Some(Cond::Between {
        lhs: col("created"),
        low: Expr::Value(Value::Date("2024-01-01".into())),
        high: Expr::Value(Value::Date("2024-12-31".into())),
    }),
    ..users()
}));
golden!(select_is_null, |_| select(Select {
    filter: Some(Cond::And(vec![
        Cond::IsNull {
            lhs: col("deleted_at"),
            negated: false
        },
        Cond::IsNull {
            lhs: col("email"),
            negated: true
        },
    ])),
    ..users()
}));
golden!(select_raw_expression, |d| select(Select {
    columns: vec!["id".into()],
    annotations: vec![ann(
        "boosted",
        Expr::Raw {
            sql: format!("karma * {} + {}", ph(d, 1), ph(d, 2)),
            params: vec![int(2), int(10)]
        },
    )],
    filter: Some(Cond::And(vec![
        cmp("age", CmpOp::Gt, int(18)),
        Cond::Compare {
            lhs: Expr::Raw {
                sql: format!("length(name) + {}", ph(d, 1)),
                params: vec![int(1)]
            },
            op: CmpOp::Lt,
            rhs: val(20),
        },
    ])),
    ..users()
}));

fn insert(rows: Vec<Vec<Value>>, returning: Returning) -> Op {
    Op::Insert(Insert {
        table: "users".into(),
        columns: vec![
            "name".into(),
            "age".into(),
            "balance".into(),
            "uid".into(),
            "seen".into(),
        ],
        rows,
        returning,
        column_types: oxyde_ir::ColumnTypes::default(),
    })
}
fn row(name: &str, age: i64) -> Vec<Value> {
    vec![
        text(name),
        int(age),
        Value::Decimal("12.50".into()),
        Value::Uuid([7; 16]),
        Value::DateTime("2024-05-06T07:08:09.123456".into()),
    ]
}
golden!(insert_one_row, |_| insert(vec![row("ada", 36)], Returning::Nothing));
golden!(insert_many_returning_all, |_| insert(
    vec![row("ada", 36), row("bob", 41), row("cy", 0)],
    Returning::All
));
golden!(insert_returning_columns, |_| insert(
    vec![vec![text("ada"), Value::Null, Value::Null, Value::Null, Value::Null]],
    Returning::Columns(vec!["id".into(), "created".into()])
));
golden!(insert_default_values, |_| Op::Insert(Insert {
    table: "counters".into(),
    columns: vec![],
    rows: vec![vec![]],
    returning: Returning::All,
    column_types: oxyde_ir::ColumnTypes::default(),
}));
golden!(update_with_f_arithmetic_returning, |_| Op::Update(Update {
    table: "posts".into(),
    set: vec![
        (
            "views".into(),
            Expr::Binary {
                op: ArithOp::Add,
                left: Box::new(col("views")),
                right: Box::new(val(1))
            },
        ),
        ("title".into(), val(text("new"))),
        (
            "score".into(),
            Expr::Binary {
                op: ArithOp::Mod,
                left: Box::new(col("score")),
                right: Box::new(val(7))
            }
        ),
    ],
    filter: Some(cmp("id", CmpOp::Eq, int(5))),
    returning: Returning::Columns(vec!["id".into(), "views".into()]),
    column_types: oxyde_ir::ColumnTypes::default(),
}));
golden!(update_all_rows, |_| Op::Update(Update {
    table: "posts".into(),
    set: vec![("flag".into(), val(false))],
    filter: None,
    returning: Returning::Nothing,
    column_types: oxyde_ir::ColumnTypes::default(),
}));
golden!(delete_filtered, |_| Op::Delete(Delete {
    table: "posts".into(),
    filter: Some(Cond::In {
        lhs: col("id"),
        values: vec![val(1), val(2)]
    }),
    returning: Returning::Nothing,
    column_types: oxyde_ir::ColumnTypes::default(),
}));
golden!(delete_returning, |_| Op::Delete(Delete {
    table: "posts".into(),
    filter: Some(cmp("draft", CmpOp::Eq, Value::Bool(true))),
    returning: Returning::All,
    column_types: oxyde_ir::ColumnTypes::default(),
}));
golden!(raw_statement, |d| Op::Raw(Raw {
    sql: format!("SELECT * FROM users WHERE id = {} AND name <> {}", ph(d, 1), ph(d, 2)),
    params: vec![int(1), text("x")],
}));

golden!(create_table_every_type, |_| {
    let mut id = column("id", ColumnType::BigInteger);
    id.primary_key = true;
    let mut nick = column("nick", ColumnType::String { length: Some(32) });
    nick.nullable = true;
    nick.unique = true;
    let mut active = column("active", ColumnType::Boolean);
    active.default = Some("TRUE".into());
    let mut tz = column("seen_tz", ColumnType::DateTimeUtc);
    tz.db_type = Some("TIMESTAMPTZ".into());
    Op::CreateTable(CreateTable {
        table: "everything".into(),
        columns: vec![
            id,
            column("count", ColumnType::BigInteger),
            column("ratio", ColumnType::Double),
            active,
            column("name", ColumnType::String { length: None }),
            nick,
            column("bio", ColumnType::Text),
            column("avatar", ColumnType::Blob),
            column("seen", ColumnType::DateTime),
            column("seen_utc", ColumnType::DateTimeUtc),
            tz,
            column("born", ColumnType::Date),
            column("wakes", ColumnType::Time),
            column("took", ColumnType::Timedelta),
            column("uid", ColumnType::Uuid),
            column(
                "price",
                ColumnType::Decimal {
                    precision: Some(10),
                    scale: Some(2),
                },
            ),
            column(
                "amount",
                ColumnType::Decimal {
                    precision: None,
                    scale: None,
                },
            ),
            column(
                "whole",
                ColumnType::Decimal {
                    precision: Some(8),
                    scale: None,
                },
            ),
            column("meta", ColumnType::Json),
            column("metab", ColumnType::JsonBinary),
            column(
                "status",
                ColumnType::Enum {
                    name: "post_status_enum".into(),
                    values: vec!["draft".into(), "it's".into()],
                },
            ),
            column(
                "tags",
                ColumnType::Array {
                    item: Box::new(ColumnType::String { length: None }),
                },
            ),
            column(
                "scores",
                ColumnType::Array {
                    item: Box::new(ColumnType::BigInteger),
                },
            ),
            column("other", ColumnType::Unknown),
        ],
        if_not_exists: true,
    })
});
golden!(create_table_primary_keys, |_| {
    let mut id = column("id", ColumnType::BigInteger);
    id.primary_key = true;
    id.auto_increment = true;
    id.db_type = Some("SERIAL".into());
    Op::CreateTable(CreateTable {
        table: "serials".into(),
        columns: vec![id],
        if_not_exists: false,
    })
});
golden!(create_table_natural_key, |_| {
    let mut code = column("code", ColumnType::String { length: Some(32) });
    code.primary_key = true;
    let mut n = column("n", ColumnType::BigInteger);
    n.db_type = Some("INTEGER".into());
    n.default = Some("0".into());
    Op::CreateTable(CreateTable {
        table: "codes".into(),
        columns: vec![code, n],
        if_not_exists: false,
    })
});
golden!(drop_table, |_| Op::DropTable(DropTable {
    table: "users".into(),
    if_exists: false
}));
golden!(drop_table_if_exists, |_| Op::DropTable(DropTable {
    table: "weird \"name`".into(),
    if_exists: true
}));
