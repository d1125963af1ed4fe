//! Column changes on MySQL / MariaDB: `MODIFY COLUMN` restates the whole
//! column, so it is written from the definition the column takes.
use oxyde_ir::migration::{FieldDef, TableDef};
use oxyde_sql::render::{alter_table, write_column_definition, DdlWriter};
use oxyde_sql::{RenderError, SqlWriter};

/// `ALTER TABLE t MODIFY COLUMN <definition>`, plus the unique index when
/// uniqueness changes: an inline `UNIQUE` adds an index named after the
/// column, which `MODIFY` would otherwise add again or never remove.
pub(crate) fn modify_column(
    table: &TableDef,
    from: &FieldDef,
    to: &FieldDef,
    out: &mut DdlWriter<'_>,
) -> Result<(), RenderError> {
    let mut def = to.to_column_def();
    def.unique = to.unique && !from.unique;
    if def.primary_key {
        // The key stays as it is; restating it is "multiple primary key defined".
        def.primary_key = false;
        def.nullable = false;
    }
    out.statement(|w| {
        alter_table(table.into(), w);
        w.push_str(" MODIFY COLUMN ");
        write_column_definition(&def, w)
    })?;
    if from.unique && !to.unique && !to.primary_key {
        out.statement(|w| {
            alter_table(table.into(), w);
            w.push_str(" DROP INDEX ");
            w.push_identifier(&to.name);
            Ok(())
        })?;
    }
    Ok(())
}

/// A string literal for DDL text that cannot be bound (comments). MySQL reads
/// backslash escapes in literals by default, so backslashes are doubled as
/// well as quotes, and NUL is spelled `\0`.
pub(crate) fn write_text_literal(text: &str, out: &mut SqlWriter<'_>) {
    let mut s = String::with_capacity(text.len() + 2);
    s.push('\'');
    for c in text.chars() {
        match c {
            '\'' => s.push_str("''"),
            '\\' => s.push_str("\\\\"),
            '\0' => s.push_str("\\0"),
            c => s.push(c),
        }
    }
    s.push('\'');
    out.push_str(&s);
}
