use oxyde_ir::migration::{FieldDef, TableDef};
use oxyde_ir::{ColumnDef, ColumnType, DatePart, Expr, Lock, LockWait, Value};

use crate::render::{self, SqlWriter, TableRef};
use crate::RenderError;

/// How one database spells SQL; every default follows the SQL standard.
///
/// The renderer is shared: a dialect overrides only the hooks where its
/// database differs. Hooks that write SQL are named after that SQL
/// (`write_*`); capability questions are `supports_*`. An override that wants
/// the default plus a little more calls the public standard form in
/// [`mod@crate::render`] (e.g. [`render::write_standard_limit_offset`]), since a
/// Rust override cannot call the trait's own default. See `docs/dialects.md`.
///
/// ```
/// use oxyde_sql::{Dialect, SqlWriter};
///
/// struct Plain;
/// impl Dialect for Plain {
///     fn name(&self) -> &'static str { "plain" }
/// }
///
/// let mut out = SqlWriter::new(&Plain);
/// out.push_identifier("user");
/// out.push_param(oxyde_ir::Value::Int(1));
/// assert_eq!(out.finish().sql, "\"user\"?");
/// ```
pub trait Dialect: Send + Sync + 'static {
    /// Registry key and error label, e.g. `"postgres"`.
    fn name(&self) -> &'static str;

    // ---- capabilities -------------------------------------------------

    /// Whether `INSERT/UPDATE/DELETE ... RETURNING` can hand rows back.
    ///
    /// When false the renderer leaves `RETURNING` out and the executor falls
    /// back to the affected-row count and last insert id.
    fn supports_returning(&self) -> bool {
        false
    }

    /// Whether `SELECT ... FOR UPDATE / FOR SHARE` exists; when false the
    /// lock is left out (the database locks more coarsely anyway).
    fn supports_row_locks(&self) -> bool {
        true
    }

    /// Whether compound-select operands may be wrapped in parentheses,
    /// `(SELECT ...) UNION (SELECT ...)`.
    fn supports_parenthesized_union_operands(&self) -> bool {
        true
    }

    /// Most parameters one statement may bind; rendering more is an error, so
    /// bulk writes split into batches below this. 65535 is the PostgreSQL
    /// wire-protocol limit (a 16-bit count), a safe default.
    fn max_bind_params(&self) -> usize {
        65_535
    }

    // ---- names and parameters ------------------------------------------

    /// Writes the placeholder for the parameter at 1-based `position`:
    /// `?` by default.
    fn write_placeholder(&self, _position: usize, out: &mut SqlWriter<'_>) {
        out.push_str("?");
    }

    /// Writes a quoted identifier: `"name"` by default, embedded quotes doubled.
    fn write_identifier(&self, name: &str, out: &mut SqlWriter<'_>) {
        render::write_quoted(name, '"', out);
    }

    /// Refuses a name this database would silently change (truncate, trim),
    /// since it could not come back as it was asked for. Called for every
    /// identifier written; the default accepts all of them.
    fn check_identifier(&self, _name: &str) -> Result<(), RenderError> {
        Ok(())
    }

    /// Writes a raw SQL fragment whose placeholders are already in this
    /// dialect's style, and binds its parameters. The default suits
    /// positionless placeholders (`?`): text verbatim, params appended.
    fn write_raw_fragment(&self, sql: &str, params: &[Value], out: &mut SqlWriter<'_>) -> Result<(), RenderError> {
        out.push_str(sql);
        out.bind_without_placeholder(params);
        Ok(())
    }

    // ---- clauses ----------------------------------------------------------

    /// Writes ` LIMIT ? OFFSET ?` (either part may be absent), values bound.
    fn write_limit_offset(
        &self,
        limit: Option<u64>,
        offset: Option<u64>,
        out: &mut SqlWriter<'_>,
    ) -> Result<(), RenderError> {
        render::write_standard_limit_offset(limit, offset, out)
    }

    /// Writes the row lock clause, ` FOR UPDATE` or ` FOR SHARE`.
    fn write_lock(&self, lock: Lock, out: &mut SqlWriter<'_>) {
        out.push_str(match lock {
            Lock::Update => " FOR UPDATE",
            Lock::Share => " FOR SHARE",
        });
    }

    /// Writes the row lock of a select with joins, locking only the base
    /// table's rows: ` FOR UPDATE OF "t"` (PostgreSQL refuses to lock the
    /// nullable side of an outer join).
    fn write_lock_of_table(&self, lock: Lock, table: &str, out: &mut SqlWriter<'_>) {
        self.write_lock(lock, out);
        out.push_str(" OF ");
        out.push_identifier(table);
    }

    /// Writes what a row lock does with rows another transaction holds,
    /// after the lock clause: nothing, ` NOWAIT` or ` SKIP LOCKED`.
    fn write_lock_wait(&self, wait: LockWait, out: &mut SqlWriter<'_>) {
        out.push_str(match wait {
            LockWait::Wait => "",
            LockWait::NoWait => " NOWAIT",
            LockWait::SkipLocked => " SKIP LOCKED",
        });
    }

    /// Writes the random ordering expression, `RANDOM()`.
    fn write_random(&self, out: &mut SqlWriter<'_>) {
        out.push_str("RANDOM()");
    }

    // ---- expressions ------------------------------------------------------

    /// Writes a case-insensitive match, `LOWER(lhs) LIKE LOWER(pattern)`; the
    /// renderer appends any `ESCAPE` clause.
    fn write_case_insensitive_like(
        &self,
        lhs: &Expr,
        pattern: &Expr,
        out: &mut SqlWriter<'_>,
    ) -> Result<(), RenderError> {
        out.push_str("LOWER(");
        render::write_expr(lhs, out)?;
        out.push_str(") LIKE LOWER(");
        render::write_expr(pattern, out)?;
        out.push_str(")");
        Ok(())
    }

    /// Writes the extraction of a date part as a number,
    /// `EXTRACT(YEAR FROM expr)`.
    fn write_date_part(&self, part: DatePart, expr: &Expr, out: &mut SqlWriter<'_>) -> Result<(), RenderError> {
        render::write_standard_date_part(part, expr, out)
    }

    /// Writes the portable `concat`, where NULL counts as the empty string:
    /// `(COALESCE(a, '') || COALESCE(b, ''))`.
    fn write_concat(&self, args: &[Expr], out: &mut SqlWriter<'_>) -> Result<(), RenderError> {
        render::write_standard_concat(args, out)
    }

    /// The function counting characters (not bytes) of a string, `LENGTH`.
    fn char_length_function(&self) -> &'static str {
        "LENGTH"
    }

    // ---- writes -----------------------------------------------------------

    /// Writes what follows `INSERT INTO "t"` when there are no columns, one
    /// `DEFAULT VALUES` row; more rows are unsupported by default.
    fn write_insert_default_values(&self, rows: usize, out: &mut SqlWriter<'_>) -> Result<(), RenderError> {
        if rows == 1 {
            out.push_str(" DEFAULT VALUES");
            Ok(())
        } else {
            Err(RenderError::Unsupported {
                dialect: self.name(),
                feature: "inserting several all-default rows",
            })
        }
    }

    // ---- DDL --------------------------------------------------------------

    /// Writes the SQL type for a semantic column type (the `types.rs` table).
    fn write_column_type(&self, ty: &ColumnType, out: &mut SqlWriter<'_>) -> Result<(), RenderError> {
        render::write_standard_column_type(ty, out)
    }

    /// Writes a verbatim `db_type` override; a dialect may translate a few
    /// names it lacks (e.g. `SERIAL`).
    fn write_db_type(&self, db_type: &str, out: &mut SqlWriter<'_>) {
        out.push_str(db_type);
    }

    /// Writes type and key of an auto-generated integer primary key column
    /// (after its name): `BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY`.
    fn write_auto_increment_primary_key(&self, col: &ColumnDef, out: &mut SqlWriter<'_>) -> Result<(), RenderError> {
        match &col.db_type {
            Some(t) => self.write_db_type(t, out),
            None => out.push_str("BIGINT"),
        }
        out.push_str(" GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY");
        Ok(())
    }

    // ---- migrations ---------------------------------------------------------

    /// Whether `CREATE TABLE` carries its foreign keys and checks inline
    /// (instead of `ALTER TABLE ... ADD CONSTRAINT` afterwards).
    fn writes_constraints_inline(&self) -> bool {
        false
    }

    /// Whether column changes, foreign key and check changes and column drops
    /// go through [`Dialect::table_rebuild_statements`] instead of `ALTER TABLE`.
    fn alters_by_rebuild(&self) -> bool {
        false
    }

    /// Whether `CREATE INDEX ... USING <method>` is understood (else the method is left out).
    fn supports_index_methods(&self) -> bool {
        false
    }

    /// Whether an index may carry a `WHERE` predicate.
    fn supports_partial_indexes(&self) -> bool {
        true
    }

    /// Whether columns keep comments (`db_comment`). Where they do not, comments
    /// are left out of DDL and a change of comment alone writes nothing.
    fn supports_column_comments(&self) -> bool {
        false
    }

    /// Writes a column's comment inside its definition (MySQL's `COMMENT '...'`);
    /// nothing by default.
    fn write_inline_column_comment(&self, _comment: &str, _out: &mut SqlWriter<'_>) {}

    /// Writes the statement setting the comment of `table.column` once the
    /// column exists, or removing it for `None` (PostgreSQL's `COMMENT ON
    /// COLUMN`); none by default.
    fn write_column_comment(
        &self,
        _table: TableRef<'_>,
        _column: &str,
        _comment: Option<&str>,
        _out: &mut render::DdlWriter<'_>,
    ) -> Result<(), RenderError> {
        Ok(())
    }

    /// Whether tables may live in named schemas (`Meta.schema`), written
    /// `"schema"."table"`. Where they may not, a schema is a render error.
    fn supports_schemas(&self) -> bool {
        true
    }

    /// Writes `CREATE SCHEMA IF NOT EXISTS "name"`, run before a table is
    /// created in (or moved to) a schema.
    fn write_create_schema(&self, name: &str, out: &mut SqlWriter<'_>) {
        out.push_str("CREATE SCHEMA IF NOT EXISTS ");
        out.push_identifier(name);
    }

    /// Writes the statement moving `table` from schema `from` to `to`
    /// (`None`: the default schema, `public`): `ALTER TABLE .. SET SCHEMA ..`.
    fn write_set_table_schema(&self, table: &str, from: Option<&str>, to: Option<&str>, out: &mut SqlWriter<'_>) {
        render::alter_table(TableRef::new(from, table), out);
        out.push_str(" SET SCHEMA ");
        out.push_identifier(to.unwrap_or("public"));
    }

    /// Writes `ALTER TABLE "old" RENAME TO "new"`; the table keeps its schema.
    fn write_rename_table(&self, old: TableRef<'_>, new: &str, out: &mut SqlWriter<'_>) {
        render::alter_table(old, out);
        out.push_str(" RENAME TO ");
        out.push_identifier(new);
    }

    /// Writes `DROP INDEX "name"`, in the schema of its table.
    fn write_drop_index(&self, table: TableRef<'_>, name: &str, out: &mut SqlWriter<'_>) {
        out.push_str("DROP INDEX ");
        out.push_table(TableRef::new(table.schema, name));
    }

    /// Writes `ALTER TABLE "t" DROP CONSTRAINT "name"` for a foreign key.
    fn write_drop_foreign_key(&self, table: TableRef<'_>, name: &str, out: &mut SqlWriter<'_>) {
        render::alter_table(table, out);
        out.push_str(" DROP CONSTRAINT ");
        out.push_identifier(name);
    }

    /// Writes `ALTER TABLE "t" DROP CONSTRAINT "name"` for a check.
    fn write_drop_check(&self, table: TableRef<'_>, name: &str, out: &mut SqlWriter<'_>) {
        render::alter_table(table, out);
        out.push_str(" DROP CONSTRAINT ");
        out.push_identifier(name);
    }

    /// Writes the statements changing column `from` of `table` into `to`
    /// (standard `ALTER COLUMN` forms, see [`render::standard_alter_column`]).
    fn write_alter_column(
        &self,
        table: &TableDef,
        from: &FieldDef,
        to: &FieldDef,
        out: &mut render::DdlWriter<'_>,
    ) -> Result<(), RenderError> {
        render::standard_alter_column(table, from, to, false, out)
    }

    /// Statements turning table `before` into `after` by copying it into a
    /// new table, for dialects that [`alter by rebuild`](Dialect::alters_by_rebuild).
    fn table_rebuild_statements(&self, _before: &TableDef, _after: &TableDef) -> Result<Vec<String>, RenderError> {
        Err(RenderError::Unsupported {
            dialect: self.name(),
            feature: "table rebuilds",
        })
    }

    /// Statements creating a named enum type; none where enums are column types.
    fn create_enum_type_statements(&self, _name: &str, _values: &[String]) -> Result<Vec<String>, RenderError> {
        Ok(Vec::new())
    }

    /// Statements dropping a named enum type; none where enums are column types.
    fn drop_enum_type_statements(&self, _name: &str) -> Result<Vec<String>, RenderError> {
        Ok(Vec::new())
    }

    /// Statements appending `value` to enum `name`; `columns` lists each
    /// column of the type as (table, column before, column after). None by
    /// default: the value is stored as text.
    fn add_enum_value_statements(
        &self,
        _name: &str,
        _value: &str,
        _columns: &[(&TableDef, &FieldDef, &FieldDef)],
    ) -> Result<Vec<String>, RenderError> {
        Ok(Vec::new())
    }
}
