//! Migration DDL PostgreSQL writes its own way: type changes cast through
//! text, and native enum types.
use oxyde_ir::migration::{FieldDef, TableDef};
use oxyde_sql::render::{write_string_literal, DdlWriter};
use oxyde_sql::{RenderError, SqlWriter, TableRef};

use crate::PostgresDialect;

fn one(f: impl FnOnce(&mut SqlWriter<'_>)) -> String {
    let mut w = SqlWriter::new(&PostgresDialect);
    f(&mut w);
    w.finish().sql
}

/// `CREATE TYPE "n" AS ENUM ('a', 'b')`.
pub(crate) fn create_enum_type(name: &str, values: &[String]) -> Vec<String> {
    vec![one(|w| {
        w.push_str("CREATE TYPE ");
        w.push_identifier(name);
        w.push_str(" AS ENUM (");
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                w.push_str(", ");
            }
            write_string_literal(v, w);
        }
        w.push_str(")");
    })]
}

/// `COMMENT ON COLUMN "t"."c" IS '...'` (or `IS NULL`, which removes it).
pub(crate) fn comment_on_column(
    table: TableRef<'_>,
    column: &str,
    comment: Option<&str>,
    out: &mut DdlWriter<'_>,
) -> Result<(), RenderError> {
    out.statement(|w| {
        w.push_str("COMMENT ON COLUMN ");
        w.push_table(table);
        w.push_str(".");
        w.push_identifier(column);
        w.push_str(" IS ");
        match comment {
            Some(text) => write_string_literal(text, w),
            None => w.push_str("NULL"),
        }
        Ok(())
    })
}

/// `DROP TYPE "n"`.
pub(crate) fn drop_enum_type(name: &str) -> Vec<String> {
    vec![one(|w| {
        w.push_str("DROP TYPE ");
        w.push_identifier(name);
    })]
}

/// `ALTER TYPE "n" ADD VALUE IF NOT EXISTS 'v'`: the columns follow the type.
/// Before PostgreSQL 12 this cannot run inside a transaction block.
pub(crate) fn add_enum_value(name: &str, value: &str) -> Vec<String> {
    vec![one(|w| {
        w.push_str("ALTER TYPE ");
        w.push_identifier(name);
        w.push_str(" ADD VALUE IF NOT EXISTS ");
        write_string_literal(value, w);
    })]
}

/// Standard forms, with `USING "c"::text::<type>` so any value whose text
/// parses as the new type converts (e.g. TEXT holding digits to BIGINT).
pub(crate) fn alter_column(
    table: &TableDef,
    from: &FieldDef,
    to: &FieldDef,
    out: &mut DdlWriter<'_>,
) -> Result<(), RenderError> {
    oxyde_sql::render::standard_alter_column(table, from, to, true, out)
}
