//! ALTER TABLE emulation: SQLite cannot change a column's type, nullability
//! or default, nor add or drop a constraint, so such a change copies the
//! table into a new one with the wanted shape
//! (<https://www.sqlite.org/lang_altertable.html#otheralter>).
//!
//! The caller runs the statements inside one transaction with
//! `PRAGMA foreign_keys=OFF` set before it (the pragma is a no-op inside a
//! transaction), and checks `PRAGMA foreign_key_check` before committing.
use oxyde_ir::migration::TableDef;
use oxyde_sql::render::{write_create_index, write_create_table_named, DdlWriter};
use oxyde_sql::RenderError;

use crate::SqliteDialect;

/// Create `_oxyde_new_<t>` as `after`, copy every row of the columns both
/// shapes have, drop the old table, rename the new one, recreate `after`'s
/// indexes. In this order: the indexes need the final name.
pub(crate) fn rebuild_table(before: &TableDef, after: &TableDef) -> Result<Vec<String>, RenderError> {
    let temp = format!("_oxyde_new_{}", after.name);
    let mut out = DdlWriter::new(&SqliteDialect);
    out.statement(|w| write_create_table_named(after, &temp, w))?;
    let shared: Vec<_> = after
        .fields
        .iter()
        .filter_map(|f| before.field(&f.name).map(|old| (old, f)))
        .collect();
    if !shared.is_empty() {
        out.statement(|w| {
            w.push_str("INSERT INTO ");
            w.push_identifier(&temp);
            w.push_str(" (");
            for (i, (_, f)) in shared.iter().enumerate() {
                if i > 0 {
                    w.push_str(", ");
                }
                w.push_identifier(&f.name);
            }
            w.push_str(") SELECT ");
            for (i, (old, f)) in shared.iter().enumerate() {
                if i > 0 {
                    w.push_str(", ");
                }
                match (&f.default, old.nullable && !f.nullable) {
                    // A column becoming NOT NULL takes its default where it held NULL.
                    (Some(default), true) => {
                        w.push_str("COALESCE(");
                        w.push_identifier(&old.name);
                        w.push_str(", ");
                        w.push_str(default);
                        w.push_str(")");
                    }
                    _ => w.push_identifier(&old.name),
                }
            }
            w.push_str(" FROM ");
            w.push_identifier(&before.name);
            Ok(())
        })?;
    }
    out.statement(|w| {
        w.push_str("DROP TABLE ");
        w.push_identifier(&before.name);
        Ok(())
    })?;
    out.statement(|w| {
        w.push_str("ALTER TABLE ");
        w.push_identifier(&temp);
        w.push_str(" RENAME TO ");
        w.push_identifier(&after.name);
        Ok(())
    })?;
    for index in &after.indexes {
        out.statement(|w| write_create_index(after.into(), index, w))?;
    }
    Ok(out.statements)
}
