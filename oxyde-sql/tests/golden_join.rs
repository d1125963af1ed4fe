//! Golden SQL: selects with joins, rendered through every registered dialect.
//! Review changes with `cargo insta review` (or `INSTA_UPDATE=always`).
#[macro_use]
mod common;
#[allow(clippy::wildcard_imports)] // the shared fixture builders
use common::*;

fn qcol(table: &str, name: &str) -> Expr {
    Expr::Column {
        table: Some(table.into()),
        name: name.into(),
    }
}

/// `LEFT JOIN <table> AS <alias> ON <parent>.<fk> = <alias>.id`, selecting `columns`.
fn fk_join(table: &str, alias: &str, parent: &str, fk: &str, columns: &[&str]) -> Join {
    Join {
        schema: None,
        table: table.into(),
        alias: alias.into(),
        kind: JoinKind::Left,
        on: Cond::Compare {
            lhs: qcol(parent, fk),
            op: CmpOp::Eq,
            rhs: qcol(alias, "id"),
        },
        columns: columns.iter().map(|c| (*c).to_owned()).collect(),
        column_types: [("name".to_owned(), ColumnType::String { length: Some(80) })].into(),
    }
}

fn posts() -> Select {
    Select {
        table: "post".into(),
        columns: vec!["id".into(), "title".into(), "author_id".into()],
        joins: vec![fk_join("user", "author", "post", "author_id", &["id", "name"])],
        column_types: [("views".to_owned(), ColumnType::BigInteger)].into(),
        ..Select::default()
    }
}

golden!(select_join_fk, |_| select(Select {
    filter: Some(Cond::And(vec![
        Cond::Compare {
            lhs: qcol("author", "name"),
            op: CmpOp::Eq,
            rhs: val(text("ann")),
        },
        cmp("views", CmpOp::Gt, int(10)),
    ])),
    order_by: vec![OrderTerm::Desc(qcol("author", "name")), OrderTerm::Asc(col("title"))],
    limit: Some(20),
    ..posts()
}));
golden!(select_join_nested, |_| select(Select {
    joins: vec![
        fk_join("user", "author", "post", "author_id", &["id", "name"]),
        fk_join("company", "author_company", "author", "company_id", &["id", "name"]),
    ],
    filter: Some(Cond::Like {
        lhs: qcol("author_company", "name"),
        pattern: val(text("%ac%")),
        case_insensitive: true,
        escape: None,
    }),
    ..posts()
}));
golden!(select_join_all_base_columns, |_| select(Select {
    columns: vec![],
    joins: vec![fk_join("user", "author", "post", "author_id", &[])],
    filter: Some(Cond::IsNull {
        lhs: qcol("author", "id"),
        negated: true,
    }),
    ..posts()
}));
golden!(select_join_only_joined_columns, |_| select(Select {
    columns: vec![],
    joins: vec![fk_join("user", "author", "post", "author_id", &["name"])],
    ..posts()
}));
golden!(select_join_inner_on_condition, |_| select(Select {
    joins: vec![Join {
        kind: JoinKind::Inner,
        on: Cond::And(vec![
            Cond::Compare {
                lhs: col("author_id"),
                op: CmpOp::Eq,
                rhs: qcol("author", "id"),
            },
            Cond::Compare {
                lhs: qcol("author", "active"),
                op: CmpOp::Eq,
                rhs: val(Value::Bool(true)),
            },
        ]),
        ..fk_join("user", "author", "post", "author_id", &["name"])
    }],
    ..posts()
}));
golden!(select_join_group_by_annotation, |_| select(Select {
    columns: vec!["author_id".into()],
    joins: vec![fk_join("user", "author", "post", "author_id", &[])],
    annotations: vec![ann("n", agg(AggFunc::Count, Some("id"), false))],
    group_by: vec!["author_id".into()],
    having: Some(Cond::Compare {
        lhs: agg(AggFunc::Count, Some("id"), false),
        op: CmpOp::Ge,
        rhs: val(2),
    }),
    order_by: vec![OrderTerm::Desc(col("n")), OrderTerm::Asc(qcol("author", "name"))],
    ..posts()
}));
golden!(select_join_count, |_| select(Select {
    columns: vec![],
    joins: vec![fk_join("user", "author", "post", "author_id", &[])],
    filter: Some(Cond::Compare {
        lhs: qcol("author", "name"),
        op: CmpOp::Eq,
        rhs: val(text("ann")),
    }),
    shape: SelectShape::Count,
    ..posts()
}));
golden!(select_join_count_distinct, |_| select(Select {
    columns: vec![],
    distinct: true,
    joins: vec![fk_join("user", "author", "post", "author_id", &[])],
    shape: SelectShape::Count,
    ..posts()
}));
golden!(select_join_exists, |_| select(Select {
    columns: vec![],
    joins: vec![fk_join("user", "author", "post", "author_id", &[])],
    filter: Some(Cond::Compare {
        lhs: qcol("author", "name"),
        op: CmpOp::Eq,
        rhs: val(text("ann")),
    }),
    shape: SelectShape::Exists,
    ..posts()
}));
golden!(select_join_for_update, |_| select(Select {
    filter: Some(cmp("id", CmpOp::Eq, int(1))),
    lock: Some(Lock::Update),
    ..posts()
}));
golden!(select_join_union_partner_keeps_its_scope, |_| select(Select {
    union: Some(Box::new(Union {
        query: Select {
            table: "draft".into(),
            columns: vec!["id".into(), "title".into(), "author_id".into()],
            filter: Some(cmp("id", CmpOp::Gt, int(5))),
            ..Select::default()
        },
        all: true,
    })),
    joins: vec![fk_join("user", "author", "post", "author_id", &[])],
    ..posts()
}));
