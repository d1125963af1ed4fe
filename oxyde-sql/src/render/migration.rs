//! Migration operations to DDL. The renderer replays each operation on a
//! copy of the schema, so every hook sees the table as it is at that step
//! (SQLite rebuilds, MySQL `MODIFY COLUMN`), and statements come out in the
//! order the operations were written.
use oxyde_ir::migration::{CheckDef, FieldDef, ForeignKeyDef, IndexDef, MigrationOp, Snapshot, TableDef};
use oxyde_ir::IrError;

use super::{write_column_definition, SqlWriter, TableRef};
use crate::{Dialect, RenderError};

/// Renders `ops`, starting from the schema `before`, into DDL statements.
///
/// Foreign keys of tables created in this batch are added after every
/// table of the batch exists (dialects that add them by `ALTER TABLE`).
///
/// ```
/// use oxyde_ir::migration::{MigrationOp, Snapshot};
/// use oxyde_postgres::PostgresDialect;
///
/// let op = MigrationOp::RenameTable { old_name: "a".into(), new_name: "b".into() };
/// let mut before = Snapshot::default();
/// let sql = oxyde_sql::render::render_migration(&[op], &before, &PostgresDialect);
/// assert!(sql.is_err()); // table "a" is not in the schema
/// ```
pub fn render_migration(ops: &[MigrationOp], before: &Snapshot, d: &dyn Dialect) -> Result<Vec<String>, RenderError> {
    let mut state = before.clone();
    let mut out = Vec::new();
    let mut deferred = Vec::new();
    for op in ops {
        let old = state.clone();
        state.apply(op)?;
        render_op(op, &old, &state, d, &mut out, &mut deferred)?;
    }
    out.extend(deferred);
    Ok(out)
}

/// Collects the statements of a multi-statement DDL hook.
pub struct DdlWriter<'d> {
    dialect: &'d dyn Dialect,
    /// Statements so far, in order.
    pub statements: Vec<String>,
}

impl<'d> DdlWriter<'d> {
    /// An empty list for `dialect`.
    pub fn new(dialect: &'d dyn Dialect) -> Self {
        Self {
            dialect,
            statements: Vec::new(),
        }
    }

    /// Adds one statement written by `f`.
    pub fn statement(
        &mut self,
        f: impl FnOnce(&mut SqlWriter<'_>) -> Result<(), RenderError>,
    ) -> Result<(), RenderError> {
        let s = stmt(self.dialect, f)?;
        self.statements.push(s);
        Ok(())
    }
}

/// One statement built with a fresh writer.
pub(crate) fn stmt(
    d: &dyn Dialect,
    f: impl FnOnce(&mut SqlWriter<'_>) -> Result<(), RenderError>,
) -> Result<String, RenderError> {
    let mut w = SqlWriter::new(d);
    f(&mut w)?;
    w.check_identifiers()?;
    Ok(w.finish().sql)
}

/// The separate statement a commented column needs on dialects that comment after the fact.
fn comment_statements(
    d: &dyn Dialect,
    table: TableRef<'_>,
    column: &str,
    comment: Option<&str>,
) -> Result<Vec<String>, RenderError> {
    let mut ddl = DdlWriter::new(d);
    d.write_column_comment(table, column, comment, &mut ddl)?;
    Ok(ddl.statements)
}

fn table_of<'a>(s: &'a Snapshot, name: &str) -> Result<&'a TableDef, RenderError> {
    Ok(s.table(name)?)
}

/// Table `name` as the step names it: in its schema after the step, or
/// before it for a table the step drops.
fn named<'a>(old: &'a Snapshot, new: &'a Snapshot, name: &'a str) -> TableRef<'a> {
    let def = new.tables.get(name).or_else(|| old.tables.get(name));
    TableRef::new(def.and_then(|t| t.schema.as_deref()), name)
}

#[allow(clippy::too_many_lines)] // one arm per operation
fn render_op(
    op: &MigrationOp,
    old: &Snapshot,
    new: &Snapshot,
    d: &dyn Dialect,
    out: &mut Vec<String>,
    deferred: &mut Vec<String>,
) -> Result<(), RenderError> {
    match op {
        MigrationOp::CreateTable { table } => {
            let t = TableRef::from(table);
            if let Some(schema) = t.schema {
                out.push(stmt(d, |w| {
                    d.write_create_schema(schema, w);
                    Ok(())
                })?);
            }
            out.push(stmt(d, |w| write_create_table(table, w))?);
            for field in table.fields.iter().filter(|f| f.comment.is_some()) {
                out.extend(comment_statements(d, t, &field.name, field.comment.as_deref())?);
            }
            for index in &table.indexes {
                out.push(stmt(d, |w| write_create_index(t, index, w))?);
            }
            if !d.writes_constraints_inline() {
                for fk in &table.foreign_keys {
                    deferred.push(stmt(d, |w| write_add_foreign_key(t, fk, w))?);
                }
                for check in &table.checks {
                    out.push(stmt(d, |w| {
                        write_add_check(t, check, w);
                        Ok(())
                    })?);
                }
            }
        }
        MigrationOp::DropTable { name, .. } => out.push(stmt(d, |w| {
            w.push_str("DROP TABLE ");
            w.push_table(named(old, new, name));
            Ok(())
        })?),
        MigrationOp::RenameTable { old_name, new_name } => {
            out.push(stmt(d, |w| {
                d.write_rename_table(named(old, new, old_name), new_name, w);
                Ok(())
            })?);
        }
        MigrationOp::SetTableSchema {
            table,
            schema,
            old_schema,
        } => {
            if let Some(to) = schema {
                out.push(stmt(d, |w| {
                    d.write_create_schema(to, w);
                    Ok(())
                })?);
            }
            out.push(stmt(d, |w| {
                d.write_set_table_schema(table, old_schema.as_deref(), schema.as_deref(), w);
                Ok(())
            })?);
        }
        MigrationOp::AddColumn { table, field } => {
            let t = named(old, new, table);
            out.push(stmt(d, |w| {
                alter_table(t, w);
                w.push_str(" ADD COLUMN ");
                write_column_definition(&field.to_column_def(), w)
            })?);
            if field.comment.is_some() {
                out.extend(comment_statements(d, t, &field.name, field.comment.as_deref())?);
            }
        }
        MigrationOp::DropColumn { table, field, .. } => {
            let (before, after) = (table_of(old, table)?, table_of(new, table)?);
            if d.alters_by_rebuild() {
                out.extend(d.table_rebuild_statements(before, after)?);
            } else {
                // Foreign keys on the column go first: MySQL refuses to drop it otherwise.
                for fk in before.foreign_keys.iter().filter(|fk| fk.columns.contains(field)) {
                    out.push(stmt(d, |w| {
                        d.write_drop_foreign_key(before.into(), &fk.name, w);
                        Ok(())
                    })?);
                }
                out.push(stmt(d, |w| {
                    alter_table(before.into(), w);
                    w.push_str(" DROP COLUMN ");
                    w.push_identifier(field);
                    Ok(())
                })?);
            }
        }
        MigrationOp::RenameColumn {
            table,
            old_name,
            new_name,
        } => out.push(stmt(d, |w| {
            alter_table(named(old, new, table), w);
            w.push_str(" RENAME COLUMN ");
            w.push_identifier(old_name);
            w.push_str(" TO ");
            w.push_identifier(new_name);
            Ok(())
        })?),
        MigrationOp::AlterColumn { table, .. } => {
            let Some((from, to)) = old.altered_field(op)? else {
                return Ok(());
            };
            let comment_only = from.comment != to.comment
                && FieldDef {
                    comment: None,
                    ..from.clone()
                } == FieldDef {
                    comment: None,
                    ..to.clone()
                };
            if from == to || (comment_only && !d.supports_column_comments()) {
                return Ok(());
            }
            if d.alters_by_rebuild() {
                out.extend(d.table_rebuild_statements(table_of(old, table)?, table_of(new, table)?)?);
            } else {
                let mut ddl = DdlWriter::new(d);
                d.write_alter_column(table_of(old, table)?, &from, &to, &mut ddl)?;
                out.extend(ddl.statements);
            }
            if from.comment != to.comment {
                out.extend(comment_statements(
                    d,
                    named(old, new, table),
                    &to.name,
                    to.comment.as_deref(),
                )?);
            }
        }
        MigrationOp::CreateIndex { table, index } => {
            out.push(stmt(d, |w| write_create_index(named(old, new, table), index, w))?);
        }
        MigrationOp::DropIndex { table, name, .. } => out.push(stmt(d, |w| {
            d.write_drop_index(named(old, new, table), name, w);
            Ok(())
        })?),
        MigrationOp::AddForeignKey { table, fk } => {
            if d.alters_by_rebuild() {
                out.extend(d.table_rebuild_statements(table_of(old, table)?, table_of(new, table)?)?);
            } else {
                out.push(stmt(d, |w| write_add_foreign_key(named(old, new, table), fk, w))?);
            }
        }
        MigrationOp::DropForeignKey { table, name, .. } => {
            if d.alters_by_rebuild() {
                out.extend(d.table_rebuild_statements(table_of(old, table)?, table_of(new, table)?)?);
            } else {
                out.push(stmt(d, |w| {
                    d.write_drop_foreign_key(named(old, new, table), name, w);
                    Ok(())
                })?);
            }
        }
        MigrationOp::AddCheck { table, check } => {
            if d.alters_by_rebuild() {
                out.extend(d.table_rebuild_statements(table_of(old, table)?, table_of(new, table)?)?);
            } else {
                out.push(stmt(d, |w| {
                    write_add_check(named(old, new, table), check, w);
                    Ok(())
                })?);
            }
        }
        MigrationOp::DropCheck { table, name, .. } => {
            if d.alters_by_rebuild() {
                out.extend(d.table_rebuild_statements(table_of(old, table)?, table_of(new, table)?)?);
            } else {
                out.push(stmt(d, |w| {
                    d.write_drop_check(named(old, new, table), name, w);
                    Ok(())
                })?);
            }
        }
        MigrationOp::CreateEnumType { name, values } => out.extend(d.create_enum_type_statements(name, values)?),
        MigrationOp::DropEnumType { name, .. } => out.extend(d.drop_enum_type_statements(name)?),
        MigrationOp::AddEnumValue { name, value, .. } => {
            // Every column of the type, before and after the value is appended.
            let mut columns = Vec::new();
            for t in new.tables.values() {
                let before = table_of(old, &t.name)?;
                for f in &t.fields {
                    if let Some(prev) = before.field(&f.name).filter(|p| *p != f) {
                        columns.push((before, prev, f));
                    }
                }
            }
            out.extend(d.add_enum_value_statements(name, value, &columns)?);
        }
        MigrationOp::AlterEnumType { .. } => {}
        MigrationOp::Execute { sql } => out.push(sql.clone()),
    }
    Ok(())
}

/// `ALTER TABLE "t"` (or `"schema"."t"`).
pub fn alter_table(table: TableRef<'_>, w: &mut SqlWriter<'_>) {
    w.push_str("ALTER TABLE ");
    w.push_table(table);
}

fn write_identifiers(names: &[String], w: &mut SqlWriter<'_>) -> Result<(), RenderError> {
    if names.is_empty() {
        return Err(IrError::Invalid("a column list may not be empty".into()).into());
    }
    w.push_str("(");
    for (i, n) in names.iter().enumerate() {
        if i > 0 {
            w.push_str(", ");
        }
        w.push_identifier(n);
    }
    w.push_str(")");
    Ok(())
}

/// `CREATE TABLE` from a table definition; foreign keys and checks go inside
/// when the dialect writes them inline.
pub fn write_create_table(t: &TableDef, w: &mut SqlWriter<'_>) -> Result<(), RenderError> {
    write_create_table_named(t, &t.name, w)
}

/// Like [`write_create_table`] under another name (a rebuild's new table).
pub fn write_create_table_named(t: &TableDef, name: &str, w: &mut SqlWriter<'_>) -> Result<(), RenderError> {
    if t.fields.is_empty() {
        return Err(IrError::Invalid(format!("table '{}' needs at least one column", t.name)).into());
    }
    w.push_str("CREATE TABLE ");
    w.push_table(TableRef::new(t.schema.as_deref(), name));
    w.push_str(" (");
    for (i, f) in t.fields.iter().enumerate() {
        if i > 0 {
            w.push_str(", ");
        }
        write_column_definition(&f.to_column_def(), w)?;
    }
    if w.dialect().writes_constraints_inline() {
        for fk in &t.foreign_keys {
            w.push_str(", ");
            write_foreign_key_constraint(fk, w)?;
        }
        for c in &t.checks {
            w.push_str(", ");
            write_check_constraint(c, w);
        }
    }
    w.push_str(")");
    Ok(())
}

/// `CONSTRAINT "n" FOREIGN KEY (..) REFERENCES "t" (..) ON DELETE .. ON UPDATE ..`.
pub fn write_foreign_key_constraint(fk: &ForeignKeyDef, w: &mut SqlWriter<'_>) -> Result<(), RenderError> {
    w.push_str("CONSTRAINT ");
    w.push_identifier(&fk.name);
    w.push_str(" FOREIGN KEY ");
    write_identifiers(&fk.columns, w)?;
    w.push_str(" REFERENCES ");
    w.push_table(TableRef::new(fk.ref_schema.as_deref(), &fk.ref_table));
    w.push_str(" ");
    write_identifiers(&fk.ref_columns, w)?;
    w.push_str(" ON DELETE ");
    w.push_str(fk.on_delete());
    w.push_str(" ON UPDATE ");
    w.push_str(fk.on_update());
    Ok(())
}

/// `CONSTRAINT "n" CHECK (expr)`; the expression is raw SQL by contract.
pub fn write_check_constraint(c: &CheckDef, w: &mut SqlWriter<'_>) {
    w.push_str("CONSTRAINT ");
    w.push_identifier(&c.name);
    w.push_str(" CHECK (");
    w.push_str(&c.expression);
    w.push_str(")");
}

fn write_add_foreign_key(table: TableRef<'_>, fk: &ForeignKeyDef, w: &mut SqlWriter<'_>) -> Result<(), RenderError> {
    alter_table(table, w);
    w.push_str(" ADD ");
    write_foreign_key_constraint(fk, w)
}

fn write_add_check(table: TableRef<'_>, c: &CheckDef, w: &mut SqlWriter<'_>) {
    alter_table(table, w);
    w.push_str(" ADD ");
    write_check_constraint(c, w);
}

/// `CREATE [UNIQUE] INDEX "n" ON "t" [USING m] (cols) [WHERE pred]`.
pub fn write_create_index(table: TableRef<'_>, index: &IndexDef, w: &mut SqlWriter<'_>) -> Result<(), RenderError> {
    let d = w.dialect();
    w.push_str(if index.unique {
        "CREATE UNIQUE INDEX "
    } else {
        "CREATE INDEX "
    });
    w.push_identifier(&index.name);
    w.push_str(" ON ");
    w.push_table(table);
    if let Some(method) = index.method.as_deref().filter(|_| d.supports_index_methods()) {
        // Written bare, so only a plain word is accepted.
        if method.is_empty() || !method.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(IrError::Unknown {
                what: "index method",
                found: method.into(),
            }
            .into());
        }
        w.push_str(" USING ");
        w.push_str(method);
    }
    w.push_str(" ");
    write_identifiers(&index.fields, w)?;
    if let Some(predicate) = index.predicate() {
        if !d.supports_partial_indexes() {
            return Err(RenderError::Unsupported {
                dialect: d.name(),
                feature: "partial indexes (an index with a WHERE predicate)",
            });
        }
        w.push_str(" WHERE ");
        w.push_str(predicate);
    }
    Ok(())
}

/// The standard column alteration: `ALTER COLUMN .. SET DATA TYPE`, `SET/DROP
/// NOT NULL`, `SET/DROP DEFAULT`, and a `"<table>_<column>_key"` unique
/// constraint; `type_suffix` follows the type (PostgreSQL's `USING` cast).
pub fn standard_alter_column(
    table: &TableDef,
    from: &FieldDef,
    to: &FieldDef,
    type_using_cast: bool,
    ddl: &mut DdlWriter<'_>,
) -> Result<(), RenderError> {
    let d = ddl.dialect;
    let out = &mut ddl.statements;
    let col = &to.name;
    if from.column_type != to.column_type || from.db_type != to.db_type {
        out.push(stmt(d, |w| {
            alter_table(table.into(), w);
            w.push_str(" ALTER COLUMN ");
            w.push_identifier(col);
            w.push_str(" TYPE ");
            write_type(to, w)?;
            if type_using_cast {
                w.push_str(" USING ");
                w.push_identifier(col);
                w.push_str("::text::");
                write_type(to, w)?;
            }
            Ok(())
        })?);
    }
    if from.nullable != to.nullable && !to.primary_key {
        out.push(stmt(d, |w| {
            alter_table(table.into(), w);
            w.push_str(" ALTER COLUMN ");
            w.push_identifier(col);
            w.push_str(if to.nullable { " DROP NOT NULL" } else { " SET NOT NULL" });
            Ok(())
        })?);
    }
    if from.default != to.default {
        out.push(stmt(d, |w| {
            alter_table(table.into(), w);
            w.push_str(" ALTER COLUMN ");
            w.push_identifier(col);
            match &to.default {
                Some(def) => {
                    w.push_str(" SET DEFAULT ");
                    w.push_str(def);
                }
                None => w.push_str(" DROP DEFAULT"),
            }
            Ok(())
        })?);
    }
    if from.unique != to.unique && !to.primary_key {
        let name = format!("{}_{}_key", table.name, col);
        out.push(stmt(d, |w| {
            alter_table(table.into(), w);
            if to.unique {
                w.push_str(" ADD CONSTRAINT ");
                w.push_identifier(&name);
                w.push_str(" UNIQUE (");
                w.push_identifier(col);
                w.push_str(")");
            } else {
                w.push_str(" DROP CONSTRAINT ");
                w.push_identifier(&name);
            }
            Ok(())
        })?);
    }
    Ok(())
}

/// The type of a column: its `db_type` or the dialect's name for its kind.
pub fn write_type(f: &FieldDef, w: &mut SqlWriter<'_>) -> Result<(), RenderError> {
    let d = w.dialect();
    match &f.db_type {
        Some(t) => d.write_db_type(t, w),
        None => d.write_column_type(&f.column_type, w)?,
    }
    Ok(())
}
