//! Golden SQL: inserts, updates, deletes and raw statements, rendered through every registered dialect.
//! Review changes with `cargo insta review` (or `INSTA_UPDATE=always`).
#[macro_use]
mod common;
#[allow(clippy::wildcard_imports)] // the shared fixture builders
use common::*;

fn insert(rows: Vec<Vec<Value>>, returning: Returning) -> Op {
    Op::Insert(Insert {
        schema: None,
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
    schema: None,
    table: "counters".into(),
    columns: vec![],
    rows: vec![vec![]],
    returning: Returning::All,
    column_types: oxyde_ir::ColumnTypes::default(),
}));
golden!(update_with_f_arithmetic_returning, |_| Op::Update(Update {
    schema: None,
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
    schema: None,
    table: "posts".into(),
    set: vec![("flag".into(), val(false))],
    filter: None,
    returning: Returning::Nothing,
    column_types: oxyde_ir::ColumnTypes::default(),
}));
golden!(delete_filtered, |_| Op::Delete(Delete {
    schema: None,
    table: "posts".into(),
    filter: Some(Cond::In {
        lhs: col("id"),
        values: vec![val(1), val(2)]
    }),
    returning: Returning::Nothing,
    column_types: oxyde_ir::ColumnTypes::default(),
}));
golden!(delete_returning, |_| Op::Delete(Delete {
    schema: None,
    table: "posts".into(),
    filter: Some(cmp("draft", CmpOp::Eq, Value::Bool(true))),
    returning: Returning::All,
    column_types: oxyde_ir::ColumnTypes::default(),
}));
golden!(raw_statement, |d| Op::Raw(Raw {
    sql: format!("SELECT * FROM users WHERE id = {} AND name <> {}", ph(d, 1), ph(d, 2)),
    params: vec![int(1), text("x")],
}));

fn post_types() -> oxyde_ir::ColumnTypes {
    [
        ("id", ColumnType::BigInteger),
        ("title", ColumnType::String { length: Some(200) }),
        ("uid", ColumnType::Uuid),
        ("due", ColumnType::Date),
        (
            "status",
            ColumnType::Enum {
                name: "post_status".into(),
                values: vec!["draft".into(), "live".into()],
            },
        ),
        ("note", ColumnType::Unknown),
    ]
    .into_iter()
    .map(|(k, t)| (k.to_owned(), t))
    .collect()
}
fn when_id(id: i64, then: Expr) -> (Cond, Expr) {
    (cmp("id", CmpOp::Eq, int(id)), then)
}
// bulk_update's one statement: each SET column is a CASE over the keys; the
// THEN values target the SET column, the keys target `id`.
golden!(update_case_per_key_types_each_value, |_| Op::Update(Update {
    schema: None,
    table: "posts".into(),
    set: vec![
        (
            "title".into(),
            Expr::Case {
                whens: vec![when_id(1, val(text("one"))), when_id(2, val(Value::Null))],
                else_: Some(Box::new(col("title"))),
            },
        ),
        (
            "status".into(),
            Expr::Case {
                whens: vec![when_id(1, val(text("live"))), when_id(2, val(text("draft")))],
                else_: Some(Box::new(col("status"))),
            },
        ),
    ],
    filter: Some(Cond::In {
        lhs: col("id"),
        values: vec![val(1), val(2)],
    }),
    returning: Returning::Nothing,
    column_types: post_types(),
}));
// Hints follow the column a value meets: either side of a comparison,
// qualified or not, IN, BETWEEN and LIKE; none for expressions, unknown
// types or a case-insensitive LIKE.
golden!(delete_filter_params_take_their_column_types, |_| Op::Delete(Delete {
    schema: None,
    table: "posts".into(),
    filter: Some(Cond::And(vec![
        cmp("status", CmpOp::Eq, text("live")),
        Cond::Compare {
            lhs: val(text("12345678-9abc-4def-8123-456789abcdef")),
            op: CmpOp::Ne,
            rhs: Expr::Column {
                table: Some("posts".into()),
                name: "uid".into(),
            },
        },
        Cond::In {
            lhs: col("uid"),
            values: vec![val(Value::Null), val(Value::Uuid([7; 16]))],
        },
        Cond::Between {
            lhs: col("due"),
            low: val(text("2024-01-01")),
            high: val(Value::Date("2024-12-31".into())),
        },
        Cond::Like {
            lhs: col("title"),
            pattern: val(text("a!%%")),
            case_insensitive: false,
            escape: Some('!'),
        },
        Cond::Like {
            lhs: col("title"),
            pattern: val(text("%b%")),
            case_insensitive: true,
            escape: None,
        },
        cmp("note", CmpOp::Eq, text("unknown type")),
        Cond::Compare {
            lhs: Expr::DatePart {
                part: DatePart::Year,
                expr: Box::new(col("due")),
            },
            op: CmpOp::Eq,
            rhs: val(2024),
        },
    ])),
    returning: Returning::Nothing,
    column_types: post_types(),
}));
golden!(insert_cells_take_their_column_types, |_| Op::Insert(Insert {
    schema: None,
    table: "posts".into(),
    columns: vec!["title".into(), "status".into(), "uid".into()],
    rows: vec![
        vec![text("a"), text("live"), Value::Null],
        vec![Value::Null, text("draft"), Value::Uuid([1; 16])],
    ],
    returning: Returning::Nothing,
    column_types: post_types(),
}));
