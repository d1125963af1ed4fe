//! Joins on the wire: pairs and conditions, aliases, column types of results.
use oxyde_ir::{decode, CmpOp, ColumnType, Cond, Expr, IrError, JoinKind, Op, ReferentialAction};

mod support;
use support::{map, s, M};

fn select_with(joins: M) -> Result<Op, IrError> {
    let envelope = map(&[
        ("proto", M::Int(1)),
        ("op", s("select")),
        ("table", s("post")),
        ("joins", joins),
    ]);
    decode(&envelope.encode())
}

fn qcol(table: &str, name: &str) -> Expr {
    Expr::Column {
        table: Some(table.into()),
        name: name.into(),
    }
}

fn author(parent: Option<&str>, alias: &str) -> M {
    let mut pairs = vec![
        ("table", s("user")),
        ("alias", s(alias)),
        ("kind", s("left")),
        ("on", M::Arr(vec![M::Arr(vec![s("author_id"), s("id")])])),
        ("columns", M::Arr(vec![s("id"), s("name")])),
        ("column_types", map(&[("name", map(&[("kind", s("text"))]))])),
        ("path", s("author")),
    ];
    if let Some(p) = parent {
        pairs.push(("parent", s(p)));
    }
    map(&pairs)
}

#[test]
fn pairs_become_qualified_equalities_and_types_name_results() {
    let Ok(Op::Select(sel)) = select_with(M::Arr(vec![
        author(None, "author"),
        author(Some("author"), "author_author"),
    ])) else {
        panic!("a select")
    };
    assert_eq!(sel.joins.len(), 2);
    assert_eq!(sel.joins[0].kind, JoinKind::Left);
    assert_eq!(
        sel.joins[1].on,
        Cond::Compare {
            lhs: qcol("author", "author_id"),
            op: CmpOp::Eq,
            rhs: qcol("author_author", "id")
        }
    );
    assert_eq!(sel.column_types.get("author__name"), Some(&ColumnType::Text));
    assert_eq!(sel.column_types.get("author_author__name"), Some(&ColumnType::Text));
}

#[test]
fn a_condition_may_be_given_instead_of_pairs() {
    let on = map(&[
        ("type", s("condition")),
        ("field", s("id")),
        ("table", s("a")),
        ("operator", s("=")),
        ("value", map(&[("type", s("column")), ("name", s("author_id"))])),
    ]);
    let join = map(&[
        ("table", s("user")),
        ("alias", s("a")),
        ("kind", s("INNER")),
        ("on", on),
    ]);
    let Ok(Op::Select(sel)) = select_with(M::Arr(vec![join])) else {
        panic!("a select")
    };
    assert_eq!(sel.joins[0].kind, JoinKind::Inner);
    assert!(sel.joins[0].columns.is_empty());
}

#[test]
fn bad_joins_are_typed_errors() {
    let dup = select_with(M::Arr(vec![author(None, "author"), author(None, "author")]));
    assert!(matches!(dup, Err(IrError::Invalid(m)) if m.contains("used twice")));
    let base = select_with(M::Arr(vec![author(None, "post")]));
    assert!(matches!(base, Err(IrError::Invalid(_))));
    let orphan = select_with(M::Arr(vec![author(Some("nobody"), "author")]));
    assert!(matches!(orphan, Err(IrError::Invalid(m)) if m.contains("nobody")));
    let kind = map(&[("table", s("user")), ("kind", s("outer")), ("on", M::Arr(vec![]))]);
    assert!(select_with(M::Arr(vec![kind])).is_err());
    let empty = map(&[("table", s("user")), ("on", M::Arr(vec![]))]);
    assert!(matches!(select_with(M::Arr(vec![empty])), Err(IrError::Invalid(_))));
    let no_on = map(&[("table", s("user"))]);
    assert!(select_with(M::Arr(vec![no_on])).is_err());
}

#[test]
fn create_table_reads_foreign_keys_and_actions() {
    let fk = map(&[
        ("name", s("fk_post_author_id")),
        ("columns", M::Arr(vec![s("author_id")])),
        ("ref_table", s("user")),
        ("ref_columns", M::Arr(vec![s("id")])),
        ("on_delete", s("set null")),
        ("on_update", s("nonsense")),
    ]);
    let col = map(&[("name", s("author_id")), ("type", map(&[("kind", s("big_integer"))]))]);
    let bytes = map(&[
        ("proto", M::Int(1)),
        ("op", s("create_table")),
        ("table", s("post")),
        ("columns", M::Arr(vec![col.clone()])),
        ("foreign_keys", M::Arr(vec![fk])),
    ])
    .encode();
    let Ok(Op::CreateTable(t)) = decode(&bytes) else {
        panic!("a create_table")
    };
    assert_eq!(t.foreign_keys[0].on_delete, Some(ReferentialAction::SetNull));
    assert_eq!(t.foreign_keys[0].on_update, Some(ReferentialAction::NoAction));
    let lopsided = map(&[
        ("columns", M::Arr(vec![s("author_id")])),
        ("ref_table", s("user")),
        ("ref_columns", M::Arr(vec![])),
    ]);
    let bytes = map(&[
        ("proto", M::Int(1)),
        ("op", s("create_table")),
        ("table", s("post")),
        ("columns", M::Arr(vec![col])),
        ("foreign_keys", M::Arr(vec![lopsided])),
    ])
    .encode();
    assert!(matches!(decode(&bytes), Err(IrError::Invalid(_))));
}
