//! Random valid IR (selects with filters, annotations, grouping, ordering and
//! unions; inserts, updates and deletes) renders to SQL that SQLite runs: no
//! syntax error, no error at all on a table whose columns match the IR.
mod common;

use std::cell::Cell;

use common::{Db, Kind};
use oxyde_exec::PoolSettings;
use oxyde_ir::{
    AggFunc, Annotation, ArithOp, CmpOp, ColumnTypes, Cond, DatePart, Delete, Expr, Insert, Op, OrderTerm, Returning,
    Select, SelectShape, Union, Update, Value,
};
use oxyde_sqlite::SqliteDialect;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

const TABLE: &str = "prop_items";
const CASES: u32 = 1500;
/// Columns the IR may write (the key `id` is never written).
const DATA_COLUMNS: [&str; 4] = ["a", "b", "s", "d"];

fn column() -> impl Strategy<Value = Expr> {
    prop::sample::select(vec!["id", "a", "b", "s", "d"]).prop_map(Expr::column)
}

fn value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-1000i64..1000).prop_map(Value::Int),
        (-1e6f64..1e6).prop_map(Value::Float),
        // quotes, LIKE wildcards and backslashes must travel as bound values
        "[a-c%_'\"\\\\ ]{0,6}".prop_map(Value::Text),
    ]
}

fn scalar() -> impl Strategy<Value = Expr> {
    let leaf = prop_oneof![column(), value().prop_map(Expr::Value)];
    leaf.prop_recursive(2, 8, 2, |inner| {
        prop_oneof![
            (arith(), inner.clone(), inner.clone()).prop_map(|(op, l, r)| Expr::Binary {
                op,
                left: Box::new(l),
                right: Box::new(r),
            }),
            (date_part(), Just(Expr::column("d"))).prop_map(|(part, e)| Expr::DatePart {
                part,
                expr: Box::new(e),
            }),
            (simple_cond(), inner.clone(), prop::option::of(inner)).prop_map(|(c, then, else_)| Expr::Case {
                whens: vec![(c, then)],
                else_: else_.map(Box::new),
            }),
        ]
    })
}

fn arith() -> impl Strategy<Value = ArithOp> {
    prop::sample::select(vec![
        ArithOp::Add,
        ArithOp::Sub,
        ArithOp::Mul,
        ArithOp::Div,
        ArithOp::Mod,
    ])
}

fn date_part() -> impl Strategy<Value = DatePart> {
    prop::sample::select(vec![
        DatePart::Year,
        DatePart::Month,
        DatePart::Day,
        DatePart::Hour,
        DatePart::Minute,
        DatePart::Second,
    ])
}

fn cmp() -> impl Strategy<Value = CmpOp> {
    prop::sample::select(vec![CmpOp::Eq, CmpOp::Ne, CmpOp::Lt, CmpOp::Le, CmpOp::Gt, CmpOp::Ge])
}

/// A condition on columns and values only (no nested expressions).
fn simple_cond() -> impl Strategy<Value = Cond> {
    let operand = prop_oneof![column(), value().prop_map(Expr::Value)];
    prop_oneof![
        (column(), cmp(), operand.clone()).prop_map(|(lhs, op, rhs)| Cond::Compare { lhs, op, rhs }),
        (column(), any::<bool>()).prop_map(|(lhs, negated)| Cond::IsNull { lhs, negated }),
        (column(), prop::collection::vec(value().prop_map(Expr::Value), 0..4))
            .prop_map(|(lhs, values)| Cond::In { lhs, values }),
        (column(), operand.clone(), operand).prop_map(|(lhs, low, high)| Cond::Between { lhs, low, high }),
        (column(), "[a-c%_!]{0,4}", any::<bool>(), prop::option::of(Just('!'))).prop_map(
            |(lhs, p, case_insensitive, escape)| Cond::Like {
                lhs,
                pattern: Expr::Value(Value::Text(p)),
                case_insensitive,
                escape,
            }
        ),
    ]
}

fn cond() -> impl Strategy<Value = Cond> {
    let leaf = prop_oneof![
        3 => simple_cond(),
        1 => (scalar(), cmp(), scalar()).prop_map(|(lhs, op, rhs)| Cond::Compare { lhs, op, rhs }),
    ];
    leaf.prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Cond::And),
            prop::collection::vec(inner.clone(), 0..3).prop_map(Cond::Or),
            inner.prop_map(|c| Cond::Not(Box::new(c))),
        ]
    })
}

fn aggregate() -> impl Strategy<Value = Expr> {
    let func = prop::sample::select(vec![
        AggFunc::Count,
        AggFunc::Sum,
        AggFunc::Avg,
        AggFunc::Max,
        AggFunc::Min,
    ]);
    (func, prop::option::of(column()), any::<bool>()).prop_map(|(func, arg, distinct)| {
        // COUNT(*) alone may omit its argument; the others need one.
        let arg = match (func, arg) {
            (AggFunc::Count, arg) => arg,
            (_, arg) => Some(arg.unwrap_or_else(|| Expr::column("a"))),
        };
        Expr::Agg {
            func,
            distinct: distinct && arg.is_some(),
            arg: arg.map(Box::new),
        }
    })
}

fn columns() -> impl Strategy<Value = Vec<String>> {
    prop::sample::subsequence(vec!["id", "a", "b", "s", "d"], 0..=5)
        .prop_map(|cols| cols.into_iter().map(str::to_owned).collect())
}

fn order_term() -> impl Strategy<Value = OrderTerm> {
    prop_oneof![
        column().prop_map(OrderTerm::Asc),
        column().prop_map(OrderTerm::Desc),
        Just(OrderTerm::Random),
    ]
}

fn shape() -> impl Strategy<Value = SelectShape> {
    prop::sample::select(vec![SelectShape::Rows, SelectShape::Count, SelectShape::Exists])
}

/// A select over plain columns and scalar annotations, optionally grouped.
fn select() -> impl Strategy<Value = Select> {
    let annotations = prop::collection::vec(scalar(), 0..3);
    let aggregates = prop::collection::vec(aggregate(), 0..3);
    (
        (
            columns(),
            annotations,
            aggregates,
            prop::option::of(cond()),
            any::<bool>(),
        ),
        (
            prop::collection::vec(order_term(), 0..3),
            any::<bool>(),
            prop::option::of(cond()),
            prop::option::of(0u64..20),
            prop::option::of(0u64..5),
            shape(),
        ),
    )
        .prop_map(
            |((columns, scalars, aggregates, filter, distinct), (order_by, grouped, having, limit, offset, shape))| {
                let annotations: Vec<Annotation> = scalars
                    .into_iter()
                    .chain(aggregates)
                    .enumerate()
                    .map(|(i, expr)| Annotation {
                        alias: format!("x{i}"),
                        expr,
                    })
                    .collect();
                // HAVING needs GROUP BY on SQLite; group by the selected columns.
                let group_by = if grouped { columns.clone() } else { Vec::new() };
                let having = having.filter(|_| !group_by.is_empty());
                Select {
                    table: TABLE.to_owned(),
                    columns,
                    annotations,
                    filter,
                    distinct,
                    order_by,
                    group_by,
                    having,
                    limit,
                    offset: offset.filter(|_| limit.is_some()),
                    shape,
                    ..Select::default()
                }
            },
        )
}

/// The second part of a `UNION`: the same result columns, another filter.
fn union_of(first: &Select, filter: Option<Cond>, all: bool) -> Union {
    Union {
        query: Select {
            table: TABLE.to_owned(),
            columns: first.columns.clone(),
            annotations: first.annotations.clone(),
            filter,
            group_by: first.group_by.clone(),
            ..Select::default()
        },
        all,
    }
}

fn returning() -> impl Strategy<Value = Returning> {
    prop_oneof![
        Just(Returning::Nothing),
        Just(Returning::All),
        prop::sample::subsequence(vec!["id", "a", "s"], 1..=3)
            .prop_map(|c| Returning::Columns(c.into_iter().map(str::to_owned).collect())),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    let data_columns = prop::sample::subsequence(DATA_COLUMNS.to_vec(), 1..=4);
    let insert = (
        data_columns.clone(),
        1usize..4,
        prop::collection::vec(value(), 16),
        returning(),
    )
        .prop_map(|(cols, n, values, returning)| {
            let rows = (0..n)
                .map(|r| {
                    (0..cols.len())
                        .map(|c| values[(r * 4 + c) % values.len()].clone())
                        .collect()
                })
                .collect();
            Op::Insert(Insert {
                schema: None,
                table: TABLE.to_owned(),
                columns: cols.into_iter().map(str::to_owned).collect(),
                rows,
                returning,
                column_types: ColumnTypes::default(),
            })
        });
    let update = (
        data_columns,
        prop::collection::vec(scalar(), 4),
        prop::option::of(cond()),
        returning(),
    )
        .prop_map(|(cols, exprs, filter, returning)| {
            Op::Update(Update {
                schema: None,
                table: TABLE.to_owned(),
                set: cols.into_iter().map(str::to_owned).zip(exprs).collect(),
                filter,
                returning,
                column_types: ColumnTypes::default(),
            })
        });
    let delete = (prop::option::of(cond()), returning()).prop_map(|(filter, returning)| {
        Op::Delete(Delete {
            schema: None,
            table: TABLE.to_owned(),
            filter,
            returning,
            column_types: ColumnTypes::default(),
        })
    });
    let with_union = (select(), prop::option::of(cond()), any::<bool>()).prop_map(|(mut first, filter, all)| {
        // A compound select orders and limits the whole; its parts plain.
        first.union = Some(Box::new(union_of(&first, filter, all)));
        first.shape = SelectShape::Rows;
        first.distinct = false;
        Op::Select(first)
    });
    prop_oneof![
        4 => select().prop_map(Op::Select),
        1 => with_union,
        2 => insert,
        2 => update,
        1 => delete,
    ]
}

#[test]
fn random_valid_ir_renders_sql_that_sqlite_runs() {
    let rt = tokio::runtime::Runtime::new().expect("a tokio runtime");
    // One connection: an in-memory database lives and dies with its connection.
    let db = rt.block_on(async {
        let mut settings = PoolSettings::default();
        settings.max_connections = Some(1);
        common::open(Kind::Sqlite, "valid_ir_sqlite", settings).await;
        let db = Db {
            kind: Kind::Sqlite,
            pool: "valid_ir_sqlite".to_owned(),
            suffix: String::new(),
        };
        let body = "id INTEGER PRIMARY KEY, a INTEGER, b REAL, s TEXT, d TEXT";
        db.create(TABLE, body).await.expect("create the table");
        let seed = format!(
            "INSERT INTO {TABLE} (a, b, s, d) VALUES (1, 1.5, 'a%b', '2024-02-29 10:20:30'), (NULL, -2, 'c_', NULL)"
        );
        db.raw(&seed, vec![]).await.expect("seed rows");
        db
    });
    let (ran, refused) = (Cell::new(0u32), Cell::new(0u32));
    let mut runner = TestRunner::new(Config {
        cases: CASES,
        failure_persistence: None,
        ..Config::default()
    });
    let result = runner.run(&op(), |op| {
        let stmt = match oxyde_sql::render(&op, &SqliteDialect) {
            Ok(stmt) => stmt,
            Err(e) => {
                // A dialect may refuse a valid op, but only with a typed refusal.
                prop_assert!(
                    matches!(e, oxyde_sql::RenderError::Unsupported { .. }),
                    "render failed: {e}"
                );
                refused.set(refused.get() + 1);
                return Ok(());
            }
        };
        let outcome = rt.block_on(db.raw(&stmt.sql, stmt.params.clone()));
        prop_assert!(
            outcome.is_ok(),
            "{}\nparams {:?}\n{:?}",
            stmt.sql,
            stmt.params,
            outcome.err()
        );
        ran.set(ran.get() + 1);
        Ok(())
    });
    rt.block_on(async {
        let _ = oxyde_exec::close_pool(&db.pool).await;
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    println!(
        "valid IR on SQLite: {} ops ran, {} refused as unsupported",
        ran.get(),
        refused.get()
    );
}
