use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{ColumnDef, ColumnType, IrError};

/// A whole schema: `{"version": 1, "tables": {name: TableDef}}`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Snapshot {
    /// Snapshot format version (1).
    #[serde(default = "one")]
    pub version: u32,
    /// Tables by name.
    #[serde(default)]
    pub tables: BTreeMap<String, TableDef>,
}

fn one() -> u32 {
    1
}

/// One table with its columns and constraints.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableDef {
    /// Table name.
    pub name: String,
    /// Schema the table lives in (`Meta.schema`); `None` is the connection's
    /// default. Tables are still keyed by name alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Columns in order.
    pub fields: Vec<FieldDef>,
    /// Indexes (not the inline UNIQUE of a column).
    #[serde(default)]
    pub indexes: Vec<IndexDef>,
    /// Foreign keys.
    #[serde(default)]
    pub foreign_keys: Vec<ForeignKeyDef>,
    /// CHECK constraints.
    #[serde(default)]
    pub checks: Vec<CheckDef>,
    /// Table comment (kept, never diffed).
    #[serde(default)]
    pub comment: Option<String>,
}

impl TableDef {
    /// The column named `name`.
    pub fn field(&self, name: &str) -> Option<&FieldDef> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// Column definitions for `CREATE TABLE`.
    pub fn column_defs(&self) -> Vec<ColumnDef> {
        self.fields.iter().map(FieldDef::to_column_def).collect()
    }
}

/// One column (`FieldDef` of the spec).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[allow(clippy::struct_excessive_bools)] // independent flags of the wire format
pub struct FieldDef {
    /// Column name.
    pub name: String,
    /// Semantic type.
    pub column_type: ColumnType,
    /// NULL allowed.
    #[serde(default)]
    pub nullable: bool,
    /// Part of the primary key.
    #[serde(default)]
    pub primary_key: bool,
    /// Inline `UNIQUE`.
    #[serde(default)]
    pub unique: bool,
    /// Raw SQL default expression.
    #[serde(default)]
    pub default: Option<String>,
    /// Verbatim DDL type.
    #[serde(default)]
    pub db_type: Option<String>,
    /// Generated integer key.
    #[serde(default)]
    pub auto_increment: bool,
    /// Diff-tracked string length.
    #[serde(default)]
    pub max_length: Option<u32>,
    /// Diff-tracked decimal precision.
    #[serde(default)]
    pub max_digits: Option<u32>,
    /// Diff-tracked decimal scale.
    #[serde(default)]
    pub decimal_places: Option<u32>,
    /// Column comment (`db_comment`); absent from the wire form when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

impl FieldDef {
    /// The `CREATE TABLE` column this field describes.
    pub fn to_column_def(&self) -> ColumnDef {
        ColumnDef {
            name: self.name.clone(),
            column_type: self.column_type.clone(),
            db_type: self.db_type.clone(),
            nullable: self.nullable,
            primary_key: self.primary_key,
            auto_increment: self.auto_increment,
            unique: self.unique,
            default: self.default.clone(),
            comment: self.comment.clone(),
        }
    }
}

/// An index; `where` makes it partial.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndexDef {
    /// Index name.
    pub name: String,
    /// Column names.
    pub fields: Vec<String>,
    /// `UNIQUE`.
    #[serde(default)]
    pub unique: bool,
    /// Access method (`btree`, `gin`, ...), PostgreSQL only.
    #[serde(default)]
    pub method: Option<String>,
    /// Partial-index predicate, raw SQL.
    #[serde(default, rename = "where")]
    pub predicate: Option<String>,
}

impl IndexDef {
    /// The predicate trimmed, blank meaning none.
    pub fn predicate(&self) -> Option<&str> {
        self.predicate.as_deref().map(str::trim).filter(|p| !p.is_empty())
    }

    /// Whether two definitions build the same index.
    pub fn same_as(&self, other: &Self) -> bool {
        self.fields == other.fields
            && self.unique == other.unique
            && self.method == other.method
            && self.predicate() == other.predicate()
    }
}

/// A foreign key constraint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ForeignKeyDef {
    /// Constraint name.
    pub name: String,
    /// Local columns.
    pub columns: Vec<String>,
    /// Referenced table.
    pub ref_table: String,
    /// Schema of the referenced table; `None` is the connection's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ref_schema: Option<String>,
    /// Referenced columns.
    pub ref_columns: Vec<String>,
    /// `ON DELETE` action; none means NO ACTION.
    #[serde(default)]
    pub on_delete: Option<String>,
    /// `ON UPDATE` action; none means NO ACTION.
    #[serde(default)]
    pub on_update: Option<String>,
}

/// Referential actions a foreign key may name; the action is written unquoted.
const FK_ACTIONS: [&str; 5] = ["CASCADE", "SET NULL", "SET DEFAULT", "RESTRICT", "NO ACTION"];

impl ForeignKeyDef {
    /// The `ON DELETE` action; unknown names are NO ACTION.
    pub fn on_delete(&self) -> &'static str {
        action(self.on_delete.as_deref())
    }

    /// The `ON UPDATE` action; unknown names are NO ACTION.
    pub fn on_update(&self) -> &'static str {
        action(self.on_update.as_deref())
    }
}

fn action(found: Option<&str>) -> &'static str {
    let Some(found) = found else { return "NO ACTION" };
    // An unknown action is NO ACTION (spec relations.md §2.3); never written verbatim.
    let wanted = found.trim().to_ascii_uppercase().replace('_', " ");
    FK_ACTIONS
        .iter()
        .find(|a| **a == wanted)
        .copied()
        .unwrap_or("NO ACTION")
}

/// A named CHECK constraint; the expression is raw SQL.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckDef {
    /// Constraint name.
    pub name: String,
    /// Boolean SQL expression.
    pub expression: String,
}

impl Snapshot {
    /// Enum types used by columns, by name; one name with two value lists is an error.
    pub fn enums(&self) -> Result<BTreeMap<String, Vec<String>>, IrError> {
        let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for table in self.tables.values() {
            for field in &table.fields {
                if let Some((name, values)) = enum_of(&field.column_type) {
                    match out.get(name) {
                        Some(seen) if seen != values => {
                            return Err(IrError::Invalid(format!(
                                "enum type '{name}' has conflicting value sets"
                            )));
                        }
                        Some(_) => {}
                        None => {
                            out.insert(name.to_owned(), values.to_vec());
                        }
                    }
                }
            }
        }
        Ok(out)
    }

    /// The table named `name`, or an error naming it.
    pub fn table(&self, name: &str) -> Result<&TableDef, IrError> {
        self.tables
            .get(name)
            .ok_or_else(|| IrError::Invalid(format!("table '{name}' is not in the schema")))
    }
}

/// Name and values of an enum column type (also inside arrays).
pub(crate) fn enum_of(ty: &ColumnType) -> Option<(&str, &[String])> {
    match ty {
        ColumnType::Enum { name, values } => Some((name, values)),
        ColumnType::Array { item } => enum_of(item),
        _ => None,
    }
}
