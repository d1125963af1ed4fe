use crate::ddl;
use oxyde_ir::migration::{FieldDef, TableDef};
use oxyde_ir::{ColumnDef, ColumnType, Expr, IrError, Value};
use oxyde_sql::render::DdlWriter;
use oxyde_sql::render::{shift_dollar_placeholders, write_concat_with, write_expr, ConcatSpelling};
use oxyde_sql::{Dialect, RenderError, SqlWriter, TableRef};

/// How PostgreSQL spells SQL: `$n` placeholders, native `ILIKE`,
/// `RETURNING`, `BIGSERIAL` keys.
///
/// ```
/// use oxyde_ir::{Cond, Expr, Op, Select, Value};
/// use oxyde_postgres::PostgresDialect;
///
/// let op = Op::Select(Select {
///     table: "users".into(),
///     filter: Some(Cond::Like {
///         lhs: Expr::column("name"), pattern: Expr::Value(Value::Text("%ada%".into())),
///         case_insensitive: true, escape: None,
///     }),
///     ..Select::default()
/// });
/// let stmt = oxyde_sql::render(&op, &PostgresDialect).unwrap();
/// assert_eq!(stmt.sql, r#"SELECT * FROM "users" WHERE "name" ILIKE $1"#);
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct PostgresDialect;

impl Dialect for PostgresDialect {
    fn name(&self) -> &'static str {
        "postgres"
    }

    fn supports_returning(&self) -> bool {
        true
    }

    /// PostgreSQL truncates a name beyond 63 bytes (`NAMEDATALEN` - 1) with a
    /// mere notice, so a column would come back under another name
    /// (<https://www.postgresql.org/docs/current/sql-syntax-lexical.html#SQL-SYNTAX-IDENTIFIERS>).
    fn check_identifier(&self, name: &str) -> Result<(), RenderError> {
        if name.len() <= 63 {
            return Ok(());
        }
        let head: String = name.chars().take(32).collect();
        Err(IrError::Invalid(format!(
            "identifier longer than 63 bytes, which PostgreSQL would truncate: '{head}…'"
        ))
        .into())
    }

    /// The Bind message counts parameters in an unsigned 16-bit field
    /// (<https://www.postgresql.org/docs/current/protocol-message-formats.html>).
    fn max_bind_params(&self) -> usize {
        65_535
    }

    fn write_placeholder(&self, position: usize, out: &mut SqlWriter<'_>) {
        out.push_str("$");
        out.push_str(&position.to_string());
    }

    /// Fragments number their own parameters from `$1`; they move past the
    /// values already bound.
    fn write_raw_fragment(&self, sql: &str, params: &[Value], out: &mut SqlWriter<'_>) -> Result<(), RenderError> {
        out.push_str(&shift_dollar_placeholders(sql, out.param_count(), params.len())?);
        out.bind_without_placeholder(params);
        Ok(())
    }

    fn write_case_insensitive_like(
        &self,
        lhs: &Expr,
        pattern: &Expr,
        out: &mut SqlWriter<'_>,
    ) -> Result<(), RenderError> {
        write_expr(lhs, out)?;
        out.push_str(" ILIKE ");
        write_expr(pattern, out)
    }

    /// `CONCAT` skips NULLs by itself; each argument is cast to text because
    /// the variadic `"any"` signature cannot infer a bound parameter's type.
    fn write_concat(&self, args: &[Expr], out: &mut SqlWriter<'_>) -> Result<(), RenderError> {
        let spelling = ConcatSpelling {
            open: "CONCAT(",
            separator: ", ",
            close: ")",
            part_before: "CAST(",
            part_after: " AS TEXT)",
        };
        write_concat_with(&spelling, args, out)
    }

    fn write_column_type(&self, ty: &ColumnType, out: &mut SqlWriter<'_>) -> Result<(), RenderError> {
        crate::types::write_column_type(ty, out)
    }

    /// `BIGSERIAL` (or the `SERIAL` asked for) owns a sequence.
    fn write_auto_increment_primary_key(&self, col: &ColumnDef, out: &mut SqlWriter<'_>) -> Result<(), RenderError> {
        out.push_str(match col.db_type.as_deref() {
            Some(t) if t.eq_ignore_ascii_case("SERIAL") => "SERIAL",
            _ => "BIGSERIAL",
        });
        out.push_str(" PRIMARY KEY");
        Ok(())
    }

    // ---- migrations ---------------------------------------------------------

    fn supports_index_methods(&self) -> bool {
        true
    }

    fn supports_column_comments(&self) -> bool {
        true
    }

    fn write_column_comment(
        &self,
        table: TableRef<'_>,
        column: &str,
        comment: Option<&str>,
        out: &mut DdlWriter<'_>,
    ) -> Result<(), RenderError> {
        ddl::comment_on_column(table, column, comment, out)
    }

    fn write_alter_column(
        &self,
        table: &TableDef,
        from: &FieldDef,
        to: &FieldDef,
        out: &mut DdlWriter<'_>,
    ) -> Result<(), RenderError> {
        ddl::alter_column(table, from, to, out)
    }

    fn create_enum_type_statements(&self, name: &str, values: &[String]) -> Result<Vec<String>, RenderError> {
        Ok(ddl::create_enum_type(name, values))
    }

    fn drop_enum_type_statements(&self, name: &str) -> Result<Vec<String>, RenderError> {
        Ok(ddl::drop_enum_type(name))
    }

    fn add_enum_value_statements(
        &self,
        name: &str,
        value: &str,
        _columns: &[(&TableDef, &FieldDef, &FieldDef)],
    ) -> Result<Vec<String>, RenderError> {
        Ok(ddl::add_enum_value(name, value))
    }
}
