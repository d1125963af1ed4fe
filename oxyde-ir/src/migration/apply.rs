//! Replaying operations on a snapshot: the schema state at each step of a
//! migration, which SQL rendering (SQLite rebuilds, MySQL `MODIFY`) reads.
use super::ops::MigrationOp;
use super::snapshot::{FieldDef, Snapshot, TableDef};
use crate::{ColumnType, IrError};

fn invalid(msg: String) -> IrError {
    IrError::Invalid(msg)
}

fn set_values(ty: &mut ColumnType, enum_name: &str, new: &[String]) {
    match ty {
        ColumnType::Enum { name, values } if name == enum_name => *values = new.to_vec(),
        ColumnType::Array { item } => set_values(item, enum_name, new),
        _ => {}
    }
}

impl Snapshot {
    /// Every column of enum type `name` gets `values`.
    fn set_enum_values(&mut self, name: &str, values: &[String]) {
        for t in self.tables.values_mut() {
            for f in &mut t.fields {
                set_values(&mut f.column_type, name, values);
            }
        }
    }

    fn table_mut(&mut self, name: &str) -> Result<&mut TableDef, IrError> {
        self.tables
            .get_mut(name)
            .ok_or_else(|| invalid(format!("table '{name}' is not in the schema")))
    }

    /// The column an `alter_column` starts from and the one it produces.
    pub fn altered_field(&self, op: &MigrationOp) -> Result<Option<(FieldDef, FieldDef)>, IrError> {
        let MigrationOp::AlterColumn {
            table,
            column,
            changes,
            new_field,
            ..
        } = op
        else {
            return Ok(None);
        };
        let old = self
            .table(table)?
            .field(column)
            .ok_or_else(|| invalid(format!("column '{table}.{column}' is not in the schema")))?;
        let new = match (new_field, changes) {
            (Some(f), _) => f.clone(),
            (None, Some(c)) => c.apply_to(old),
            (None, None) => old.clone(),
        };
        Ok(Some((old.clone(), new)))
    }

    /// Applies one operation; referring to a table or column that does not
    /// exist (or creating one that does) is an error naming it.
    #[allow(clippy::too_many_lines)] // one arm per operation reads best as one match
    pub fn apply(&mut self, op: &MigrationOp) -> Result<(), IrError> {
        match op {
            MigrationOp::CreateTable { table } => {
                if self.tables.contains_key(&table.name) {
                    return Err(invalid(format!("table '{}' already exists", table.name)));
                }
                self.tables.insert(table.name.clone(), table.clone());
            }
            MigrationOp::DropTable { name, .. } => {
                self.tables
                    .remove(name)
                    .ok_or_else(|| invalid(format!("table '{name}' is not in the schema")))?;
            }
            MigrationOp::RenameTable { old_name, new_name } => {
                if self.tables.contains_key(new_name) {
                    return Err(invalid(format!("table '{new_name}' already exists")));
                }
                let mut t = self
                    .tables
                    .remove(old_name)
                    .ok_or_else(|| invalid(format!("table '{old_name}' is not in the schema")))?;
                t.name.clone_from(new_name);
                self.tables.insert(new_name.clone(), t);
                for t in self.tables.values_mut() {
                    for fk in &mut t.foreign_keys {
                        if &fk.ref_table == old_name {
                            fk.ref_table.clone_from(new_name);
                        }
                    }
                }
            }
            MigrationOp::SetTableSchema { table, schema, .. } => {
                self.table_mut(table)?.schema.clone_from(schema);
                for t in self.tables.values_mut() {
                    for fk in t.foreign_keys.iter_mut().filter(|fk| &fk.ref_table == table) {
                        fk.ref_schema.clone_from(schema);
                    }
                }
            }
            MigrationOp::AddColumn { table, field } => {
                let t = self.table_mut(table)?;
                if t.field(&field.name).is_some() {
                    return Err(invalid(format!("column '{table}.{}' already exists", field.name)));
                }
                t.fields.push(field.clone());
            }
            MigrationOp::DropColumn { table, field, .. } => {
                let t = self.table_mut(table)?;
                let before = t.fields.len();
                t.fields.retain(|f| &f.name != field);
                if t.fields.len() == before {
                    return Err(invalid(format!("column '{table}.{field}' is not in the schema")));
                }
                // The database drops what depends on the column with it.
                t.indexes.retain(|i| !i.fields.contains(field));
                t.foreign_keys.retain(|fk| !fk.columns.contains(field));
            }
            MigrationOp::RenameColumn {
                table,
                old_name,
                new_name,
            } => {
                let t = self.table_mut(table)?;
                if t.field(new_name).is_some() {
                    return Err(invalid(format!("column '{table}.{new_name}' already exists")));
                }
                let f = t
                    .fields
                    .iter_mut()
                    .find(|f| &f.name == old_name)
                    .ok_or_else(|| invalid(format!("column '{table}.{old_name}' is not in the schema")))?;
                f.name.clone_from(new_name);
                let rename = |c: &mut String| {
                    if c == old_name {
                        c.clone_from(new_name);
                    }
                };
                t.indexes.iter_mut().for_each(|i| i.fields.iter_mut().for_each(rename));
                t.foreign_keys
                    .iter_mut()
                    .for_each(|fk| fk.columns.iter_mut().for_each(rename));
                let table = table.clone();
                for other in self.tables.values_mut() {
                    for fk in &mut other.foreign_keys {
                        if fk.ref_table == table {
                            fk.ref_columns.iter_mut().for_each(rename);
                        }
                    }
                }
            }
            MigrationOp::AlterColumn { table, column, .. } => {
                if let Some((_, new)) = self.altered_field(op)? {
                    let t = self.table_mut(table)?;
                    if let Some(f) = t.fields.iter_mut().find(|f| &f.name == column) {
                        *f = new;
                    }
                }
            }
            MigrationOp::CreateIndex { table, index } => {
                let t = self.table_mut(table)?;
                if t.indexes.iter().any(|i| i.name == index.name) {
                    return Err(invalid(format!("index '{}' already exists on '{table}'", index.name)));
                }
                t.indexes.push(index.clone());
            }
            MigrationOp::DropIndex { table, name, .. } => {
                let t = self.table_mut(table)?;
                let before = t.indexes.len();
                t.indexes.retain(|i| &i.name != name);
                if t.indexes.len() == before {
                    return Err(invalid(format!("index '{name}' is not on '{table}'")));
                }
            }
            MigrationOp::AddForeignKey { table, fk } => {
                let t = self.table_mut(table)?;
                t.foreign_keys.retain(|f| f.name != fk.name);
                t.foreign_keys.push(fk.clone());
            }
            MigrationOp::DropForeignKey { table, name, .. } => {
                let t = self.table_mut(table)?;
                let before = t.foreign_keys.len();
                t.foreign_keys.retain(|f| &f.name != name);
                if t.foreign_keys.len() == before {
                    return Err(invalid(format!("foreign key '{name}' is not on '{table}'")));
                }
            }
            MigrationOp::AddCheck { table, check } => {
                let t = self.table_mut(table)?;
                t.checks.retain(|c| c.name != check.name);
                t.checks.push(check.clone());
            }
            MigrationOp::DropCheck { table, name, .. } => {
                let t = self.table_mut(table)?;
                let before = t.checks.len();
                t.checks.retain(|c| &c.name != name);
                if t.checks.len() == before {
                    return Err(invalid(format!("check '{name}' is not on '{table}'")));
                }
            }
            MigrationOp::AddEnumValue { name, value, .. } => {
                let mut values = self.enums()?.remove(name).unwrap_or_default();
                if !values.contains(value) {
                    values.push(value.clone());
                }
                self.set_enum_values(name, &values);
            }
            MigrationOp::AlterEnumType { name, new_values, .. } => self.set_enum_values(name, new_values),
            // Enum types live in the columns that use them; raw SQL is opaque.
            MigrationOp::CreateEnumType { .. } | MigrationOp::DropEnumType { .. } | MigrationOp::Execute { .. } => {}
        }
        Ok(())
    }
}
