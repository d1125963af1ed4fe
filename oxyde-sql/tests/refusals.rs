//! Typed refusals and the `$n` renumbering of raw fragments.
use oxyde_ir::{CmpOp, Cond, Expr, Insert, Op, Returning, Select, Value};
use oxyde_sql::render::shift_dollar_placeholders;
use oxyde_sql::RenderError;

// Linked for their registrations alone.
use oxyde_mysql as _;
use oxyde_postgres as _;
use oxyde_sqlite as _;

fn insert(columns: usize, rows: usize) -> Op {
    Op::Insert(Insert {
        schema: None,
        table: "t".into(),
        columns: (0..columns).map(|i| format!("c{i}")).collect(),
        rows: vec![vec![Value::Int(1); columns]; rows],
        returning: Returning::Nothing,
        column_types: oxyde_ir::ColumnTypes::default(),
    })
}

#[test]
fn too_many_params_is_refused_at_each_dialects_limit() {
    for reg in oxyde_sql::registered_dialects() {
        let max = reg.dialect().max_bind_params();
        assert!(oxyde_sql::render(&insert(1, max), reg.dialect()).is_ok());
        let err = oxyde_sql::render(&insert(1, max + 1), reg.dialect()).unwrap_err();
        assert!(
            matches!(err, RenderError::TooManyParams { count, .. } if count == max + 1),
            "{err}"
        );
    }
}

#[test]
fn several_default_rows_need_dialect_support() {
    for name in ["postgres", "sqlite"] {
        let err = oxyde_sql::render(&insert(0, 2), oxyde_sql::dialect(name).unwrap()).unwrap_err();
        assert!(
            matches!(err, RenderError::Unsupported { dialect, .. } if dialect == name),
            "{err}"
        );
    }
    let mysql = oxyde_sql::render(&insert(0, 2), oxyde_sql::dialect("mariadb").unwrap()).unwrap();
    assert_eq!(mysql.sql, "INSERT INTO `t` () VALUES (), ()");
}

#[test]
fn raw_fragment_referring_past_its_params_is_refused_on_postgres() {
    let op = Op::Select(Select {
        table: "t".into(),
        filter: Some(Cond::Compare {
            lhs: Expr::Raw {
                sql: "a + $2".into(),
                params: vec![Value::Int(1)],
            },
            op: CmpOp::Eq,
            rhs: Expr::Value(Value::Int(3)),
        }),
        ..Select::default()
    });
    let err = oxyde_sql::render(&op, oxyde_sql::dialect("postgresql").unwrap()).unwrap_err();
    assert!(matches!(err, RenderError::RawPlaceholders(_)), "{err}");
}

#[test]
fn shifting_skips_literals_comments_and_identifiers() {
    let cases = [
        ("$1", "$4"),
        ("x = $1 AND y = $2", "x = $4 AND y = $5"),
        ("'$1' || $1", "'$1' || $4"),
        ("'it''s $1' || $1", "'it''s $1' || $4"),
        ("E'\\'$1' || $1", "E'\\'$1' || $4"),
        ("\"col$1\" + $1", "\"col$1\" + $4"),
        ("a$1 + $1", "a$1 + $4"),
        ("$$ $1 $$ || $1", "$$ $1 $$ || $4"),
        ("$tag$ $1 $tag$ || $2", "$tag$ $1 $tag$ || $5"),
        ("-- $1\n$1", "-- $1\n$4"),
        ("/* $1 /* $2 */ */ $1", "/* $1 /* $2 */ */ $4"),
        ("'unterminated $1", "'unterminated $1"),
    ];
    for (sql, want) in cases {
        assert_eq!(shift_dollar_placeholders(sql, 3, 2).unwrap(), want, "{sql}");
    }
    for bad in ["$0", "$3", "$99999999999999999999999"] {
        assert!(shift_dollar_placeholders(bad, 3, 2).is_err(), "{bad}");
    }
}

#[test]
fn unknown_dialect_lists_what_exists() {
    let Err(err) = oxyde_sql::dialect("oracle") else {
        panic!("oracle is not registered")
    };
    assert_eq!(
        err.to_string(),
        "unknown dialect \"oracle\"; registered: mysql, postgres, sqlite"
    );
}
