//! Golden SQL: CREATE and DROP TABLE, rendered through every registered dialect.
//! Review changes with `cargo insta review` (or `INSTA_UPDATE=always`).
#[macro_use]
mod common;
#[allow(clippy::wildcard_imports)] // the shared fixture builders
use common::*;

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
        schema: None,
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
        foreign_keys: vec![],
    })
});
golden!(create_table_primary_keys, |_| {
    let mut id = column("id", ColumnType::BigInteger);
    id.primary_key = true;
    id.auto_increment = true;
    id.db_type = Some("SERIAL".into());
    Op::CreateTable(CreateTable {
        schema: None,
        table: "serials".into(),
        columns: vec![id],
        if_not_exists: false,
        foreign_keys: vec![],
    })
});
golden!(create_table_natural_key, |_| {
    let mut code = column("code", ColumnType::String { length: Some(32) });
    code.primary_key = true;
    let mut n = column("n", ColumnType::BigInteger);
    n.db_type = Some("INTEGER".into());
    n.default = Some("0".into());
    Op::CreateTable(CreateTable {
        schema: None,
        table: "codes".into(),
        columns: vec![code, n],
        if_not_exists: false,
        foreign_keys: vec![],
    })
});
golden!(create_table_foreign_keys, |_| {
    let mut id = column("id", ColumnType::BigInteger);
    id.primary_key = true;
    id.auto_increment = true;
    let mut author = column("author_id", ColumnType::BigInteger);
    author.nullable = true;
    let mut parent = column("parent_id", ColumnType::BigInteger);
    parent.nullable = true;
    let fk = |name: &str, col: &str, table: &str, del: Option<&str>, upd: Option<&str>| ForeignKey {
        ref_schema: None,
        name: Some(name.into()),
        columns: vec![col.into()],
        ref_table: table.into(),
        ref_columns: vec!["id".into()],
        on_delete: del.map(ReferentialAction::parse),
        on_update: upd.map(ReferentialAction::parse),
    };
    Op::CreateTable(CreateTable {
        schema: None,
        table: "post".into(),
        columns: vec![id, author, parent],
        if_not_exists: false,
        foreign_keys: vec![
            fk(
                "fk_post_author_id",
                "author_id",
                "user",
                Some("cascade"),
                Some("CASCADE"),
            ),
            fk(
                "fk_post_parent_id",
                "parent_id",
                "post",
                Some("SET NULL"),
                Some("bogus"),
            ),
            ForeignKey {
                name: None,
                ..fk("", "author_id", "user", None, None)
            },
        ],
    })
});
golden!(drop_table, |_| Op::DropTable(DropTable {
    schema: None,
    table: "users".into(),
    if_exists: false
}));
golden!(drop_table_if_exists, |_| Op::DropTable(DropTable {
    schema: None,
    table: "weird \"name`".into(),
    if_exists: true
}));
