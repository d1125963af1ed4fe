//! Standard SQL forms: the defaults of the `Dialect` hooks, public so an
//! override can reuse them.
use oxyde_ir::{ColumnType, DatePart, Expr, Value};

use super::{write_expr, SqlWriter};
use crate::RenderError;

/// Writes ` LIMIT ? OFFSET ?`, leaving out an absent part; values are bound.
///
/// ```
/// use oxyde_sql::{render::write_standard_limit_offset, SqlWriter};
/// use oxyde_postgres::PostgresDialect;
///
/// let mut out = SqlWriter::new(&PostgresDialect);
/// write_standard_limit_offset(Some(10), Some(20), &mut out).unwrap();
/// assert_eq!(out.finish().sql, " LIMIT $1 OFFSET $2");
/// ```
pub fn write_standard_limit_offset(
    limit: Option<u64>,
    offset: Option<u64>,
    out: &mut SqlWriter<'_>,
) -> Result<(), RenderError> {
    if let Some(n) = limit {
        out.push_str(" LIMIT ");
        out.push_param(count_value(n, "limit")?);
    }
    if let Some(n) = offset {
        out.push_str(" OFFSET ");
        out.push_param(count_value(n, "offset")?);
    }
    Ok(())
}

/// A row count as a bindable integer; drivers bind signed 64-bit values.
fn count_value(n: u64, what: &str) -> Result<Value, RenderError> {
    i64::try_from(n).map(Value::Int).map_err(|_| {
        RenderError::Invalid(oxyde_ir::IrError::Invalid(format!(
            "{what} {n} exceeds the signed 64-bit range"
        )))
    })
}

/// Writes `EXTRACT(<PART> FROM expr)`.
///
/// ```
/// use oxyde_ir::{DatePart, Expr};
/// use oxyde_sql::{render::write_standard_date_part, SqlWriter};
/// use oxyde_postgres::PostgresDialect;
///
/// let mut out = SqlWriter::new(&PostgresDialect);
/// write_standard_date_part(DatePart::Month, &Expr::column("born"), &mut out).unwrap();
/// assert_eq!(out.finish().sql, r#"EXTRACT(MONTH FROM "born")"#);
/// ```
pub fn write_standard_date_part(part: DatePart, expr: &Expr, out: &mut SqlWriter<'_>) -> Result<(), RenderError> {
    out.push_str("EXTRACT(");
    out.push_str(match part {
        DatePart::Year => "YEAR",
        DatePart::Month => "MONTH",
        DatePart::Day => "DAY",
        DatePart::Hour => "HOUR",
        DatePart::Minute => "MINUTE",
        DatePart::Second => "SECOND",
    });
    out.push_str(" FROM ");
    write_expr(expr, out)?;
    out.push_str(")");
    Ok(())
}

/// Writes `(COALESCE(a, '') || COALESCE(b, ''))`: concatenation where NULL
/// counts as the empty string. No arguments give `''`.
///
/// ```
/// use oxyde_ir::Expr;
/// use oxyde_sql::{render::write_standard_concat, SqlWriter};
/// use oxyde_sqlite::SqliteDialect;
///
/// let mut out = SqlWriter::new(&SqliteDialect);
/// write_standard_concat(&[Expr::column("first"), Expr::column("last")], &mut out).unwrap();
/// assert_eq!(out.finish().sql, r#"(COALESCE("first", '') || COALESCE("last", ''))"#);
/// ```
pub fn write_standard_concat(args: &[Expr], out: &mut SqlWriter<'_>) -> Result<(), RenderError> {
    write_concat_with(&ConcatSpelling::STANDARD, args, out)
}

/// How a dialect spells a concatenation that treats NULL parts as empty:
/// the text around the whole list, between parts, and around each part.
#[derive(Debug, Clone, Copy)]
pub struct ConcatSpelling {
    /// Before the first part, e.g. `CONCAT(`.
    pub open: &'static str,
    /// Between parts, e.g. `, ` or ` || `.
    pub separator: &'static str,
    /// After the last part.
    pub close: &'static str,
    /// Before each part, e.g. `COALESCE(`.
    pub part_before: &'static str,
    /// After each part, e.g. `, '')`.
    pub part_after: &'static str,
}

impl ConcatSpelling {
    /// `(COALESCE(a, '') || COALESCE(b, ''))`.
    pub const STANDARD: Self = Self {
        open: "(",
        separator: " || ",
        close: ")",
        part_before: "COALESCE(",
        part_after: ", '')",
    };
}

/// Writes `args` concatenated as `spelling` says; no parts is `''`.
pub fn write_concat_with(spelling: &ConcatSpelling, args: &[Expr], out: &mut SqlWriter<'_>) -> Result<(), RenderError> {
    if args.is_empty() {
        out.push_str("''");
        return Ok(());
    }
    out.push_str(spelling.open);
    for (i, arg) in args.iter().enumerate() {
        if i > 0 {
            out.push_str(spelling.separator);
        }
        out.push_str(spelling.part_before);
        write_expr(arg, out)?;
        out.push_str(spelling.part_after);
    }
    out.push_str(spelling.close);
    Ok(())
}

/// Writes a SQL string literal, doubling single quotes. Only for DDL text
/// that cannot be bound (enum value lists); values are always bound.
///
/// ```
/// use oxyde_sql::{render::write_string_literal, SqlWriter};
/// use oxyde_sqlite::SqliteDialect;
///
/// let mut out = SqlWriter::new(&SqliteDialect);
/// write_string_literal("it's", &mut out);
/// assert_eq!(out.finish().sql, "'it''s'");
/// ```
pub fn write_string_literal(s: &str, out: &mut SqlWriter<'_>) {
    super::write_quoted(s, '\'', out);
}

/// Writes the SQL-standard type name for a semantic column type.
///
/// ```
/// use oxyde_ir::ColumnType;
/// use oxyde_sql::{render::write_standard_column_type, SqlWriter};
/// use oxyde_sqlite::SqliteDialect;
///
/// let mut out = SqlWriter::new(&SqliteDialect);
/// write_standard_column_type(&ColumnType::String { length: None }, &mut out).unwrap();
/// assert_eq!(out.finish().sql, "VARCHAR(255)");
/// ```
pub fn write_standard_column_type(ty: &ColumnType, out: &mut SqlWriter<'_>) -> Result<(), RenderError> {
    match ty {
        ColumnType::BigInteger | ColumnType::Timedelta => out.push_str("BIGINT"),
        ColumnType::Double => out.push_str("DOUBLE PRECISION"),
        ColumnType::Boolean => out.push_str("BOOLEAN"),
        ColumnType::String { length } => write_varchar(*length, out),
        ColumnType::Blob => out.push_str("BLOB"),
        ColumnType::DateTime => out.push_str("TIMESTAMP"),
        ColumnType::DateTimeUtc => out.push_str("TIMESTAMP WITH TIME ZONE"),
        ColumnType::Date => out.push_str("DATE"),
        ColumnType::Time => out.push_str("TIME"),
        ColumnType::Uuid => out.push_str("CHAR(36)"),
        ColumnType::Decimal { precision, scale } => write_numeric("NUMERIC", *precision, *scale, out),
        ColumnType::Text
        | ColumnType::Json
        | ColumnType::JsonBinary
        | ColumnType::Enum { .. }
        | ColumnType::Array { .. }
        | ColumnType::Unknown => out.push_str("TEXT"),
    }
    Ok(())
}

/// Writes `VARCHAR(n)`, n = 255 when no length is given.
pub fn write_varchar(length: Option<u32>, out: &mut SqlWriter<'_>) {
    out.push_str(&format!("VARCHAR({})", length.unwrap_or(255)));
}

/// Writes `NAME(p,s)` when a precision is given (scale defaults to 0), else `NAME`.
pub fn write_numeric(name: &str, precision: Option<u32>, scale: Option<u32>, out: &mut SqlWriter<'_>) {
    out.push_str(name);
    if let Some(p) = precision {
        out.push_str(&format!("({p},{})", scale.unwrap_or(0)));
    }
}
