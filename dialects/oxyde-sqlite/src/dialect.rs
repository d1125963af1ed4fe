use crate::ddl;
use oxyde_ir::migration::TableDef;
use oxyde_ir::{ColumnDef, ColumnType, DatePart, Expr};
use oxyde_sql::render::{write_expr, write_standard_limit_offset};
use oxyde_sql::{Dialect, RenderError, SqlWriter};

/// How SQLite spells SQL: `?` placeholders, `RETURNING` (3.35+), no row
/// locks, bare compound operands, `strftime` for date parts.
///
/// ```
/// use oxyde_ir::{Op, Select};
/// use oxyde_sqlite::SqliteDialect;
///
/// let op = Op::Select(Select { table: "users".into(), offset: Some(5), ..Select::default() });
/// let stmt = oxyde_sql::render(&op, &SqliteDialect).unwrap();
/// assert_eq!(stmt.sql, r#"SELECT * FROM "users" LIMIT -1 OFFSET ?"#);
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct SqliteDialect;

impl Dialect for SqliteDialect {
    fn name(&self) -> &'static str {
        "sqlite"
    }

    fn supports_returning(&self) -> bool {
        true
    }

    /// SQLite locks the whole database for a write transaction; there is no
    /// `FOR UPDATE`.
    fn supports_row_locks(&self) -> bool {
        false
    }

    /// A compound operand must be a bare select core
    /// (<https://www.sqlite.org/lang_select.html#compound_select_statements>).
    fn supports_parenthesized_union_operands(&self) -> bool {
        false
    }

    /// `SQLITE_MAX_VARIABLE_NUMBER` defaults to 32766 since 3.32
    /// (<https://www.sqlite.org/limits.html#max_variable_number>).
    fn max_bind_params(&self) -> usize {
        32_766
    }

    /// `OFFSET` needs a `LIMIT` before it; `-1` means no limit.
    fn write_limit_offset(
        &self,
        limit: Option<u64>,
        offset: Option<u64>,
        out: &mut SqlWriter<'_>,
    ) -> Result<(), RenderError> {
        if limit.is_none() && offset.is_some() {
            out.push_str(" LIMIT -1");
        }
        write_standard_limit_offset(limit, offset, out)
    }

    /// Dates are ISO text here; `strftime` reads them and yields text, cast
    /// back to a number so comparisons with bound integers hold.
    fn write_date_part(&self, part: DatePart, expr: &Expr, out: &mut SqlWriter<'_>) -> Result<(), RenderError> {
        out.push_str("CAST(strftime('");
        out.push_str(match part {
            DatePart::Year => "%Y",
            DatePart::Month => "%m",
            DatePart::Day => "%d",
            DatePart::Hour => "%H",
            DatePart::Minute => "%M",
            DatePart::Second => "%S",
        });
        out.push_str("', ");
        write_expr(expr, out)?;
        out.push_str(") AS INTEGER)");
        Ok(())
    }

    fn write_column_type(&self, ty: &ColumnType, out: &mut SqlWriter<'_>) -> Result<(), RenderError> {
        crate::types::write_column_type(ty, out);
        Ok(())
    }

    fn write_db_type(&self, db_type: &str, out: &mut SqlWriter<'_>) {
        out.push_str(crate::types::translate_db_type(db_type));
    }

    /// `INTEGER PRIMARY KEY` aliases the rowid, which is generated; the
    /// `AUTOINCREMENT` keyword (never reuse ids) only when asked for
    /// (<https://www.sqlite.org/autoinc.html>).
    fn write_auto_increment_primary_key(&self, col: &ColumnDef, out: &mut SqlWriter<'_>) -> Result<(), RenderError> {
        out.push_str("INTEGER PRIMARY KEY");
        if col.auto_increment {
            out.push_str(" AUTOINCREMENT");
        }
        Ok(())
    }

    // ---- migrations ---------------------------------------------------------

    /// `ALTER TABLE ... ADD CONSTRAINT` does not exist in SQLite.
    fn writes_constraints_inline(&self) -> bool {
        true
    }

    /// No `ALTER COLUMN` or constraint changes; `DROP COLUMN` fails on
    /// indexed or constrained columns. See `ddl.rs`.
    /// A file is one database; attached ones are not schemas to create tables in.
    fn supports_schemas(&self) -> bool {
        false
    }

    fn alters_by_rebuild(&self) -> bool {
        true
    }

    fn table_rebuild_statements(&self, before: &TableDef, after: &TableDef) -> Result<Vec<String>, RenderError> {
        ddl::rebuild_table(before, after)
    }
}
