//! Golden SQL: inserts, updates, deletes and raw statements, rendered through every registered dialect.
//! Review changes with `cargo insta review` (or `INSTA_UPDATE=always`).
#[macro_use]
mod common;
#[allow(clippy::wildcard_imports)] // the shared fixture builders
use common::*;

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
