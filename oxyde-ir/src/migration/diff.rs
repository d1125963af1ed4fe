//! The diff: two snapshots in, the ordered operations between them out.
//! Deterministic: every iteration is over sorted names.
use std::collections::{BTreeMap, BTreeSet};

use super::ops::{EnumFieldRef, MigrationOp};
use super::snapshot::{enum_of, FieldDef, Snapshot, TableDef};
use crate::{ColumnType, IrError};

/// Operations turning `old` into `new`.
///
/// Order: new enum types, appended enum values, created tables (referenced
/// first), foreign keys of kept tables that go away, dropped tables (dependents
/// first), per kept table the index/check drops, column drops, adds and
/// alters, then index/FK/check additions; last, enum types nothing uses.
/// Renames are never guessed: they show as drop + add.
pub fn diff(old: &Snapshot, new: &Snapshot) -> Result<Vec<MigrationOp>, IrError> {
    let mut ops = Vec::new();
    let old_enums = old.enums()?;
    let new_enums = new.enums()?;
    for (name, values) in &new_enums {
        if !old_enums.contains_key(name) {
            ops.push(MigrationOp::CreateEnumType {
                name: name.clone(),
                values: values.clone(),
            });
        }
    }
    for (name, new_values) in &new_enums {
        let Some(old_values) = old_enums.get(name) else {
            continue;
        };
        if old_values == new_values {
            continue;
        }
        if new_values.starts_with(old_values) {
            let fields = enum_fields(old, new, name);
            for value in &new_values[old_values.len()..] {
                ops.push(MigrationOp::AddEnumValue {
                    name: name.clone(),
                    value: value.clone(),
                    fields: fields.clone(),
                });
            }
        } else {
            ops.push(MigrationOp::AlterEnumType {
                name: name.clone(),
                old_values: old_values.clone(),
                new_values: new_values.clone(),
            });
        }
    }
    let created: Vec<&TableDef> = new
        .tables
        .values()
        .filter(|t| !old.tables.contains_key(&t.name))
        .collect();
    for t in dependency_order(&created)? {
        ops.push(MigrationOp::CreateTable { table: t.clone() });
    }
    let kept: Vec<(&TableDef, &TableDef)> = old
        .tables
        .values()
        .filter_map(|o| new.tables.get(&o.name).map(|n| (o, n)))
        .collect();
    for (o, n) in &kept {
        for fk in o
            .foreign_keys
            .iter()
            .filter(|fk| !n.foreign_keys.iter().any(|f| f.name == fk.name))
        {
            ops.push(MigrationOp::DropForeignKey {
                table: o.name.clone(),
                name: fk.name.clone(),
                fk_def: Some(fk.clone()),
            });
        }
    }
    let dropped: Vec<&TableDef> = old
        .tables
        .values()
        .filter(|t| !new.tables.contains_key(&t.name))
        .collect();
    for t in dependency_order(&dropped)?.into_iter().rev() {
        ops.push(MigrationOp::DropTable {
            name: t.name.clone(),
            table: Some(t.clone()),
        });
    }
    for (o, n) in &kept {
        diff_table(o, n, &mut ops);
    }
    for (name, values) in &old_enums {
        if !new_enums.contains_key(name) {
            ops.push(MigrationOp::DropEnumType {
                name: name.clone(),
                values: Some(values.clone()),
            });
        }
    }
    Ok(ops)
}

/// Scalar columns of enum `name` in tables both schemas have, as they become.
fn enum_fields(old: &Snapshot, new: &Snapshot, name: &str) -> Vec<EnumFieldRef> {
    let mut out = Vec::new();
    for t in new.tables.values().filter(|t| old.tables.contains_key(&t.name)) {
        for f in &t.fields {
            if matches!(&f.column_type, ColumnType::Enum { name: n, .. } if n == name) {
                out.push(EnumFieldRef {
                    table: t.name.clone(),
                    field: f.clone(),
                });
            }
        }
    }
    out
}

/// Tables ordered so that each comes after the tables (of this set) it
/// references; ties by name; self-references ignored; a cycle is an error.
fn dependency_order<'a>(tables: &[&'a TableDef]) -> Result<Vec<&'a TableDef>, IrError> {
    let names: BTreeSet<&str> = tables.iter().map(|t| t.name.as_str()).collect();
    let mut deps: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for t in tables {
        let refs = t
            .foreign_keys
            .iter()
            .map(|fk| fk.ref_table.as_str())
            .filter(|r| *r != t.name && names.contains(r))
            .collect();
        deps.insert(t.name.as_str(), refs);
    }
    let by_name: BTreeMap<&str, &'a TableDef> = tables.iter().map(|t| (t.name.as_str(), *t)).collect();
    let mut out = Vec::new();
    while !deps.is_empty() {
        let ready: Vec<&str> = deps.iter().filter(|(_, d)| d.is_empty()).map(|(n, _)| *n).collect();
        let Some(first) = ready.first().copied() else {
            let stuck: Vec<&str> = deps.keys().copied().collect();
            return Err(IrError::Invalid(format!(
                "cyclic foreign key dependency among tables: {}. Make one side nullable and add that \
                 foreign key in a later migration",
                stuck.join(", ")
            )));
        };
        deps.remove(first);
        for d in deps.values_mut() {
            d.remove(first);
        }
        if let Some(t) = by_name.get(first) {
            out.push(*t);
        }
    }
    Ok(out)
}

/// Types equal for diffing: enums by name only (values move by enum ops).
fn same_type(a: &ColumnType, b: &ColumnType) -> bool {
    match (a, b) {
        (ColumnType::Array { item: x }, ColumnType::Array { item: y }) => same_type(x, y),
        _ => match (enum_of(a), enum_of(b)) {
            (Some((x, _)), Some((y, _))) => x == y,
            _ => a == b,
        },
    }
}

fn column_changed(o: &FieldDef, n: &FieldDef) -> bool {
    !same_type(&o.column_type, &n.column_type)
        || o.db_type != n.db_type
        || o.nullable != n.nullable
        || o.default != n.default
        || o.unique != n.unique
        || o.max_length != n.max_length
        || o.max_digits != n.max_digits
        || o.decimal_places != n.decimal_places
        || o.comment != n.comment
}

fn diff_table(o: &TableDef, n: &TableDef, ops: &mut Vec<MigrationOp>) {
    let table = || n.name.clone();
    if o.schema != n.schema {
        ops.push(MigrationOp::SetTableSchema {
            table: table(),
            schema: n.schema.clone(),
            old_schema: o.schema.clone(),
        });
    }
    let mut created_indexes = Vec::new();
    for old_index in &o.indexes {
        match n.indexes.iter().find(|i| i.name == old_index.name) {
            Some(i) if i.same_as(old_index) => {}
            found => {
                ops.push(MigrationOp::DropIndex {
                    table: table(),
                    name: old_index.name.clone(),
                    index_def: Some(old_index.clone()),
                });
                created_indexes.extend(found.cloned());
            }
        }
    }
    let mut added_checks = Vec::new();
    for c in &o.checks {
        match n.checks.iter().find(|x| x.name == c.name) {
            Some(x) if x.expression == c.expression => {}
            found => {
                ops.push(MigrationOp::DropCheck {
                    table: table(),
                    name: c.name.clone(),
                    check_def: Some(c.clone()),
                });
                added_checks.extend(found.cloned());
            }
        }
    }
    for f in o.fields.iter().filter(|f| n.field(&f.name).is_none()) {
        ops.push(MigrationOp::DropColumn {
            table: table(),
            field: f.name.clone(),
            field_def: Some(f.clone()),
        });
    }
    for f in n.fields.iter().filter(|f| o.field(&f.name).is_none()) {
        ops.push(MigrationOp::AddColumn {
            table: table(),
            field: f.clone(),
        });
    }
    for f in &n.fields {
        if let Some(old) = o.field(&f.name).filter(|old| column_changed(old, f)) {
            ops.push(MigrationOp::AlterColumn {
                table: table(),
                column: f.name.clone(),
                changes: None,
                old_field: Some(old.clone()),
                new_field: Some(f.clone()),
            });
        }
    }
    created_indexes.extend(
        n.indexes
            .iter()
            .filter(|i| !o.indexes.iter().any(|x| x.name == i.name))
            .cloned(),
    );
    for index in created_indexes {
        ops.push(MigrationOp::CreateIndex { table: table(), index });
    }
    for fk in n
        .foreign_keys
        .iter()
        .filter(|fk| !o.foreign_keys.iter().any(|f| f.name == fk.name))
    {
        ops.push(MigrationOp::AddForeignKey {
            table: table(),
            fk: fk.clone(),
        });
    }
    added_checks.extend(
        n.checks
            .iter()
            .filter(|c| !o.checks.iter().any(|x| x.name == c.name))
            .cloned(),
    );
    for check in added_checks {
        ops.push(MigrationOp::AddCheck { table: table(), check });
    }
}
