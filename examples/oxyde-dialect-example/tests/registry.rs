//! The example dialect is found only through the inventory registry.
use oxyde_ir::{CmpOp, Cond, Expr, Insert, Lock, Op, OrderTerm, Returning, Select, Value};
use oxyde_sql::RenderError;

use oxyde_dialect_example as _; // linked for its registration alone

#[test]
fn duckish_is_found_by_name_and_url_scheme() {
    assert_eq!(oxyde_sql::dialect("duckish").unwrap().name(), "duckish");
    assert_eq!(
        oxyde_sql::dialect_for_url("duck://localhost/db").unwrap().name(),
        "duckish"
    );
    assert!(oxyde_sql::registered_dialects().iter().any(|r| r.name() == "duckish"));
}

#[test]
fn duckish_renders_select_with_its_own_quoting_and_placeholders() {
    let d = oxyde_sql::dialect("duckish").unwrap();
    let op = Op::Select(Select {
        table: "ducks".into(),
        columns: vec!["id".into(), "name".into()],
        filter: Some(Cond::And(vec![
            Cond::Compare {
                lhs: Expr::column("age"),
                op: CmpOp::Ge,
                rhs: Expr::Value(Value::Int(2)),
            },
            Cond::Compare {
                lhs: Expr::Raw {
                    sql: "wingspan * $1".into(),
                    params: vec![Value::Float(1.5)],
                },
                op: CmpOp::Gt,
                rhs: Expr::Value(Value::Int(30)),
            },
        ])),
        order_by: vec![OrderTerm::Desc(Expr::column("age"))],
        limit: Some(10),
        lock: Some(Lock::Update),
        ..Select::default()
    });
    let stmt = oxyde_sql::render(&op, d).unwrap();
    assert_eq!(
        stmt.sql,
        "SELECT `id`, `name` FROM `ducks` WHERE (`age` >= $1 AND (wingspan * $2) > $3) ORDER BY `age` DESC LIMIT $4"
    );
    assert_eq!(
        stmt.params,
        vec![Value::Int(2), Value::Float(1.5), Value::Int(30), Value::Int(10)]
    );
}

#[test]
fn duckish_keeps_returning_and_refuses_several_default_rows() {
    let d = oxyde_sql::dialect("duckish").unwrap();
    let one = Insert {
        schema: None,
        table: "ducks".into(),
        columns: vec!["name".into()],
        rows: vec![vec![Value::Text("donald".into())]],
        returning: Returning::All,
        column_types: oxyde_ir::ColumnTypes::default(),
    };
    let stmt = oxyde_sql::render(&Op::Insert(one), d).unwrap();
    assert_eq!(stmt.sql, "INSERT INTO `ducks` (`name`) VALUES ($1) RETURNING *");

    let defaults = Insert {
        schema: None,
        table: "ducks".into(),
        columns: vec![],
        rows: vec![vec![], vec![]],
        returning: Returning::Nothing,
        column_types: oxyde_ir::ColumnTypes::default(),
    };
    let err = oxyde_sql::render(&Op::Insert(defaults), d).unwrap_err();
    assert!(
        matches!(err, RenderError::Unsupported { dialect: "duckish", .. }),
        "{err}"
    );
}
