//! Golden SQL: selects, rendered through every registered dialect.
//! Review changes with `cargo insta review` (or `INSTA_UPDATE=always`).
#[macro_use]
mod common;
#[allow(clippy::wildcard_imports)] // the shared fixture builders
use common::*;

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
golden!(select_for_update_nowait, |_| select(Select {
    lock: Some(Lock::Update),
    lock_wait: LockWait::NoWait,
    ..users()
}));
golden!(select_for_share_skip_locked, |_| select(Select {
    lock: Some(Lock::Share),
    lock_wait: LockWait::SkipLocked,
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
