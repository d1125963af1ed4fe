//! Column changes on MySQL / MariaDB: `MODIFY COLUMN` restates the whole
//! column, so it is written from the definition the column takes.
use oxyde_ir::migration::{FieldDef, TableDef};
use oxyde_sql::render::{alter_table, write_column_definition, DdlWriter};
use oxyde_sql::RenderError;

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
        alter_table(&table.name, w);
        w.push_str(" MODIFY COLUMN ");
        write_column_definition(&def, w)
    })?;
    if from.unique && !to.unique && !to.primary_key {
        out.statement(|w| {
            alter_table(&table.name, w);
            w.push_str(" DROP INDEX ");
            w.push_identifier(&to.name);
            Ok(())
        })?;
    }
    Ok(())
}
