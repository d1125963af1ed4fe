//! Golden DDL of migration operations, per dialect, and the schema diff.
//! Review changes with `cargo insta review` (or `INSTA_UPDATE=always`).
use oxyde_ir::migration::{
    diff, CheckDef, ColumnChanges, EnumFieldRef, FieldDef, ForeignKeyDef, IndexDef, MigrationOp, Snapshot, TableDef,
};
use oxyde_ir::ColumnType;
use oxyde_sql::render::render_migration;

// Linked for their registrations alone.
use oxyde_mysql as _;
use oxyde_postgres as _;
use oxyde_sqlite as _;

fn field(name: &str, ty: ColumnType) -> FieldDef {
    FieldDef {
        name: name.into(),
        column_type: ty,
        nullable: false,
        primary_key: false,
        unique: false,
        default: None,
        db_type: None,
        auto_increment: false,
        max_length: None,
        max_digits: None,
        decimal_places: None,
        comment: None,
    }
}

fn pk() -> FieldDef {
    FieldDef {
        primary_key: true,
        auto_increment: true,
        ..field("id", ColumnType::BigInteger)
    }
}

fn status(values: &[&str]) -> ColumnType {
    ColumnType::Enum {
        name: "post_status".into(),
        values: values.iter().map(|v| (*v).to_string()).collect(),
    }
}

fn author() -> TableDef {
    TableDef {
        schema: None,
        name: "author".into(),
        fields: vec![
            pk(),
            field("name", ColumnType::String { length: Some(80) }),
            FieldDef {
                nullable: true,
                ..field("bio", ColumnType::Text)
            },
        ],
        indexes: vec![IndexDef {
            name: "author_name_idx".into(),
            fields: vec!["name".into()],
            unique: true,
            method: None,
            predicate: None,
        }],
        foreign_keys: vec![],
        checks: vec![],
        comment: None,
    }
}

fn post() -> TableDef {
    TableDef {
        schema: None,
        name: "post".into(),
        fields: vec![
            pk(),
            field("author_id", ColumnType::BigInteger),
            field("title", ColumnType::String { length: Some(200) }),
            FieldDef {
                default: Some("'draft'".into()),
                ..field("status", status(&["draft", "live"]))
            },
            FieldDef {
                default: Some("0".into()),
                ..field("score", ColumnType::BigInteger)
            },
        ],
        indexes: vec![IndexDef {
            name: "post_title_idx".into(),
            fields: vec!["title".into(), "status".into()],
            unique: false,
            method: Some("btree".into()),
            predicate: None,
        }],
        foreign_keys: vec![ForeignKeyDef {
            ref_schema: None,
            name: "fk_post_author_id".into(),
            columns: vec!["author_id".into()],
            ref_table: "author".into(),
            ref_columns: vec!["id".into()],
            on_delete: Some("CASCADE".into()),
            on_update: None,
        }],
        checks: vec![CheckDef {
            name: "chk_post_score".into(),
            expression: "score >= 0".into(),
        }],
        comment: None,
    }
}

fn schema(tables: Vec<TableDef>) -> Snapshot {
    Snapshot {
        version: 1,
        tables: tables.into_iter().map(|t| (t.name.clone(), t)).collect(),
    }
}

/// Renders `ops` from `before` on every dialect and snapshots each.
fn golden(name: &str, before: &Snapshot, ops: &[MigrationOp]) {
    for reg in oxyde_sql::registered_dialects() {
        let text = match render_migration(ops, before, reg.dialect()) {
            Ok(stmts) => stmts.join(";\n"),
            Err(e) => format!("error: {e}"),
        };
        insta::with_settings!({ snapshot_suffix => reg.name(), prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(name.to_string(), text);
        });
    }
}

#[test]
fn migration_create_tables() {
    let ops = diff(&Snapshot::default(), &schema(vec![post(), author()])).unwrap();
    golden("migration_create_tables", &Snapshot::default(), &ops);
}

#[test]
fn migration_every_alteration() {
    let before = schema(vec![author(), post()]);
    let ops = vec![
        MigrationOp::AddColumn {
            table: "author".into(),
            field: FieldDef {
                nullable: true,
                ..field("email", ColumnType::String { length: Some(120) })
            },
        },
        MigrationOp::RenameColumn {
            table: "author".into(),
            old_name: "bio".into(),
            new_name: "about".into(),
        },
        MigrationOp::AlterColumn {
            table: "post".into(),
            column: "score".into(),
            changes: Some(ColumnChanges {
                column_type: Some(ColumnType::Double),
                nullable: Some(true),
                default: Some(None),
                ..ColumnChanges::default()
            }),
            old_field: None,
            new_field: None,
        },
        MigrationOp::CreateIndex {
            table: "post".into(),
            index: IndexDef {
                name: "post_live_idx".into(),
                fields: vec!["author_id".into()],
                unique: false,
                method: None,
                predicate: None,
            },
        },
        MigrationOp::DropIndex {
            table: "post".into(),
            name: "post_title_idx".into(),
            index_def: None,
        },
        MigrationOp::DropForeignKey {
            table: "post".into(),
            name: "fk_post_author_id".into(),
            fk_def: None,
        },
        MigrationOp::AddCheck {
            table: "author".into(),
            check: CheckDef {
                name: "chk_author_name".into(),
                expression: "name <> ''".into(),
            },
        },
        MigrationOp::DropCheck {
            table: "post".into(),
            name: "chk_post_score".into(),
            check_def: None,
        },
        MigrationOp::DropColumn {
            table: "author".into(),
            field: "about".into(),
            field_def: None,
        },
        MigrationOp::RenameTable {
            old_name: "author".into(),
            new_name: "writer".into(),
        },
        MigrationOp::Execute {
            sql: "UPDATE post SET score = 1".into(),
        },
    ];
    golden("migration_every_alteration", &before, &ops);
}

#[test]
fn migration_column_comments() {
    let noted = |comment: &str| FieldDef {
        comment: Some(comment.into()),
        ..field("name", ColumnType::String { length: Some(80) })
    };
    let table = TableDef {
        schema: None,
        name: "note".into(),
        fields: vec![pk(), noted("it's \\ quoted")],
        indexes: Vec::new(),
        foreign_keys: Vec::new(),
        checks: Vec::new(),
        comment: None,
    };
    let before = schema(vec![table]);
    let ops = vec![
        MigrationOp::CreateTable {
            table: TableDef {
                name: "tag".into(),
                fields: vec![pk(), noted("Shown to readers")],
                ..before.tables["note"].clone()
            },
        },
        MigrationOp::AddColumn {
            table: "note".into(),
            field: FieldDef {
                name: "extra".into(),
                nullable: true,
                ..noted("Added later")
            },
        },
        MigrationOp::AlterColumn {
            table: "note".into(),
            column: "name".into(),
            changes: Some(ColumnChanges {
                comment: Some(Some("Changed".into())),
                ..ColumnChanges::default()
            }),
            old_field: None,
            new_field: None,
        },
    ];
    golden("migration_column_comments", &before, &ops);
}

#[test]
fn migration_partial_index() {
    let op = MigrationOp::CreateIndex {
        table: "post".into(),
        index: IndexDef {
            name: "post_live_idx".into(),
            fields: vec!["author_id".into()],
            unique: true,
            method: Some("hash".into()),
            predicate: Some(" status = 'live' ".into()),
        },
    };
    golden("migration_partial_index", &schema(vec![author(), post()]), &[op]);
}

#[test]
fn migration_enum_value_and_drop() {
    let before = schema(vec![author(), post()]);
    let mut widened = post().fields[3].clone();
    widened.column_type = status(&["draft", "live", "gone"]);
    let ops = vec![
        MigrationOp::AddEnumValue {
            name: "post_status".into(),
            value: "gone".into(),
            fields: vec![EnumFieldRef {
                table: "post".into(),
                field: widened,
            }],
        },
        MigrationOp::DropTable {
            name: "post".into(),
            table: None,
        },
        MigrationOp::DropEnumType {
            name: "post_status".into(),
            values: None,
        },
    ];
    golden("migration_enum_value_and_drop", &before, &ops);
}

/// Spec defect: a rebuild keeps foreign keys and checks, and runs from the
/// table's state at its step (a dropped column is not copied).
#[test]
fn sqlite_rebuild_keeps_constraints_and_follows_earlier_steps() {
    let before = schema(vec![author(), post()]);
    let ops = vec![
        MigrationOp::DropColumn {
            table: "post".into(),
            field: "title".into(),
            field_def: None,
        },
        MigrationOp::AlterColumn {
            table: "post".into(),
            column: "score".into(),
            changes: Some(ColumnChanges {
                nullable: Some(true),
                ..ColumnChanges::default()
            }),
            old_field: None,
            new_field: None,
        },
    ];
    let sql = render_migration(&ops, &before, oxyde_sql::dialect("sqlite").unwrap()).unwrap();
    let last_create = sql.iter().rposition(|s| s.starts_with("CREATE TABLE")).unwrap();
    let create = &sql[last_create];
    assert!(
        create.contains("FOREIGN KEY (\"author_id\") REFERENCES \"author\""),
        "{create}"
    );
    assert!(create.contains("CHECK (score >= 0)"), "{create}");
    assert!(!create.contains("\"title\""), "{create}");
    let copy = &sql[last_create + 1];
    assert!(!copy.contains("\"title\""), "{copy}");
    // the rename comes before the indexes are recreated under the final name
    let rename = sql.iter().rposition(|s| s.contains("RENAME TO")).unwrap();
    assert!(sql[rename + 1..].iter().all(|s| s.starts_with("CREATE")));
}

#[test]
fn mysql_renames_a_column_keeping_its_type() {
    let before = schema(vec![author()]);
    let op = MigrationOp::RenameColumn {
        table: "author".into(),
        old_name: "bio".into(),
        new_name: "about".into(),
    };
    let sql = render_migration(&[op], &before, oxyde_sql::dialect("mysql").unwrap()).unwrap();
    assert_eq!(sql, vec!["ALTER TABLE `author` RENAME COLUMN `bio` TO `about`"]);
}

#[test]
fn diff_orders_and_detects() {
    let old = schema(vec![author(), post()]);
    assert!(diff(&old, &old).unwrap().is_empty());
    let mut changed = post();
    changed.fields[3].column_type = status(&["draft", "live", "gone"]);
    changed.fields[4].nullable = true;
    changed.fields.remove(2);
    changed.indexes.clear();
    changed.checks[0].expression = "score > 0".into();
    let new = schema(vec![author(), changed]);
    let kinds: Vec<String> = diff(&old, &new)
        .unwrap()
        .iter()
        .map(|op| {
            format!("{op:?}")
                .split([' ', '{'])
                .next()
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "AddEnumValue",
            "DropIndex",
            "DropCheck",
            "DropColumn",
            "AlterColumn",
            "AddCheck"
        ]
    );
    // Removing a value is a manual change.
    let mut reordered = post();
    reordered.fields[3].column_type = status(&["live", "draft"]);
    let ops = diff(&old, &schema(vec![author(), reordered])).unwrap();
    assert!(matches!(&ops[0], MigrationOp::AlterEnumType { .. }));
}

#[test]
fn diff_refuses_fk_cycles_and_conflicting_enums() {
    let mut a = author();
    a.foreign_keys.push(ForeignKeyDef {
        ref_schema: None,
        name: "fk_author_post".into(),
        columns: vec!["id".into()],
        ref_table: "post".into(),
        ref_columns: vec!["id".into()],
        on_delete: None,
        on_update: None,
    });
    let err = diff(&Snapshot::default(), &schema(vec![a, post()])).unwrap_err();
    assert!(err
        .to_string()
        .contains("cyclic foreign key dependency among tables: author, post"));
    let mut other = author();
    other.fields.push(field("mood", status(&["x"])));
    let err = diff(&Snapshot::default(), &schema(vec![other, post()])).unwrap_err();
    assert!(err.to_string().contains("conflicting value sets"));
}

#[test]
fn replay_refuses_unknown_tables() {
    let mut s = Snapshot::default();
    let op = MigrationOp::DropColumn {
        table: "nope".into(),
        field: "x".into(),
        field_def: None,
    };
    assert!(s.apply(&op).is_err());
}
