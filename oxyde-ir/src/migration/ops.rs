use serde::{Deserialize, Deserializer, Serialize};

use super::snapshot::{CheckDef, FieldDef, ForeignKeyDef, IndexDef, TableDef};
use crate::ColumnType;

/// One schema change. The wire form is a map whose `type` is the snake-case
/// name, as written by `ctx.<name>(...)` in a migration file. Keys holding a
/// full old definition (`field_def`, `index_def`, ...) are optional: they
/// only serve generated downgrades.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[allow(clippy::large_enum_variant)] // few, short-lived values; a Box would clutter every match
pub enum MigrationOp {
    /// `CREATE TABLE` with its indexes, foreign keys and checks.
    CreateTable {
        /// The new table.
        table: TableDef,
    },
    /// `DROP TABLE`.
    DropTable {
        /// Table name.
        name: String,
        /// The dropped definition, for downgrades.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        table: Option<TableDef>,
    },
    /// Rename a table.
    RenameTable {
        /// Current name.
        old_name: String,
        /// New name.
        new_name: String,
    },
    /// Move a table to another schema (`Meta.schema` changed).
    SetTableSchema {
        /// Table name.
        table: String,
        /// The schema it moves to; `None` is the connection's default.
        #[serde(default)]
        schema: Option<String>,
        /// The schema it was in, for downgrades and rendering.
        #[serde(default)]
        old_schema: Option<String>,
    },
    /// Add a column.
    AddColumn {
        /// Table name.
        table: String,
        /// The new column.
        field: FieldDef,
    },
    /// Drop a column.
    DropColumn {
        /// Table name.
        table: String,
        /// Column name.
        field: String,
        /// The dropped definition, for downgrades.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        field_def: Option<FieldDef>,
    },
    /// Rename a column, keeping its type.
    RenameColumn {
        /// Table name.
        table: String,
        /// Current name.
        old_name: String,
        /// New name.
        new_name: String,
    },
    /// Change type, nullability, default or uniqueness of a column. Either
    /// `changes` (written by hand or by `ctx.alter_column`) or `new_field`
    /// (the diff) says what the column becomes; the old column comes from
    /// the schema at that step.
    AlterColumn {
        /// Table name.
        table: String,
        /// Column name.
        column: String,
        /// Only the keys that change.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        changes: Option<ColumnChanges>,
        /// The column before, for downgrades.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        old_field: Option<FieldDef>,
        /// The column after.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        new_field: Option<FieldDef>,
    },
    /// `CREATE INDEX`.
    CreateIndex {
        /// Table name.
        table: String,
        /// The index.
        index: IndexDef,
    },
    /// `DROP INDEX`.
    DropIndex {
        /// Table name.
        table: String,
        /// Index name.
        name: String,
        /// The dropped definition, for downgrades.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        index_def: Option<IndexDef>,
    },
    /// Add a foreign key.
    AddForeignKey {
        /// Table name.
        table: String,
        /// The constraint.
        fk: ForeignKeyDef,
    },
    /// Drop a foreign key.
    DropForeignKey {
        /// Table name.
        table: String,
        /// Constraint name.
        name: String,
        /// The dropped definition, for downgrades.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        fk_def: Option<ForeignKeyDef>,
    },
    /// Add a CHECK constraint.
    AddCheck {
        /// Table name.
        table: String,
        /// The constraint.
        check: CheckDef,
    },
    /// Drop a CHECK constraint.
    DropCheck {
        /// Table name.
        table: String,
        /// Constraint name.
        name: String,
        /// The dropped definition, for downgrades.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        check_def: Option<CheckDef>,
    },
    /// Create an enum type (a native type on PostgreSQL only).
    CreateEnumType {
        /// Type name.
        name: String,
        /// Values in order.
        values: Vec<String>,
    },
    /// Drop an enum type.
    DropEnumType {
        /// Type name.
        name: String,
        /// The dropped values, for downgrades.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        values: Option<Vec<String>>,
    },
    /// Append one value to an enum type.
    AddEnumValue {
        /// Type name.
        name: String,
        /// The new value.
        value: String,
        /// Columns using the type, widened (MySQL rewrites each).
        #[serde(default)]
        fields: Vec<EnumFieldRef>,
    },
    /// Bookkeeping for a manual enum change; renders no SQL.
    AlterEnumType {
        /// Type name.
        name: String,
        /// Values before.
        old_values: Vec<String>,
        /// Values after.
        new_values: Vec<String>,
    },
    /// Raw SQL, run verbatim.
    Execute {
        /// The statement.
        sql: String,
    },
}

/// A column using an enum type, with the widened definition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnumFieldRef {
    /// Table name.
    pub table: String,
    /// The column after the change.
    pub field: FieldDef,
}

/// The keys an `alter_column` may change. An absent key keeps the old value;
/// a key given as nil clears it (e.g. `default=None` drops the default).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[allow(clippy::option_option)] // absent (keep) differs from nil (clear)
pub struct ColumnChanges {
    /// New semantic type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column_type: Option<ColumnType>,
    /// New verbatim type.
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    pub db_type: Option<Option<String>>,
    /// New nullability.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nullable: Option<bool>,
    /// New default.
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    pub default: Option<Option<String>>,
    /// New uniqueness.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unique: Option<bool>,
    /// New tracked length.
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    pub max_length: Option<Option<u32>>,
    /// New tracked precision.
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    pub max_digits: Option<Option<u32>>,
    /// New tracked scale.
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    pub decimal_places: Option<Option<u32>>,
    /// New column comment (nil removes it).
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    pub comment: Option<Option<String>>,
}

/// A key that is present is `Some`, even when its value is nil.
#[allow(clippy::option_option)] // see `ColumnChanges`
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

impl ColumnChanges {
    /// `old` with these changes applied.
    pub fn apply_to(&self, old: &FieldDef) -> FieldDef {
        let mut f = old.clone();
        if let Some(t) = &self.column_type {
            f.column_type = t.clone();
        }
        if let Some(v) = &self.db_type {
            f.db_type.clone_from(v);
        }
        if let Some(v) = self.nullable {
            f.nullable = v;
        }
        if let Some(v) = &self.default {
            f.default.clone_from(v);
        }
        if let Some(v) = self.unique {
            f.unique = v;
        }
        if let Some(v) = self.max_length {
            f.max_length = v;
        }
        if let Some(v) = self.max_digits {
            f.max_digits = v;
        }
        if let Some(v) = self.decimal_places {
            f.decimal_places = v;
        }
        if let Some(v) = &self.comment {
            f.comment.clone_from(v);
        }
        f
    }
}
