//! Column type names for MySQL / MariaDB DDL (`spec/types.md` §3).
use oxyde_ir::{ColumnType, IrError};
use oxyde_sql::render::{write_numeric, write_varchar};
use oxyde_sql::{RenderError, SqlWriter};

pub(crate) fn write_column_type(ty: &ColumnType, out: &mut SqlWriter<'_>) -> Result<(), RenderError> {
    match ty {
        ColumnType::BigInteger | ColumnType::Timedelta => out.push_str("BIGINT"),
        ColumnType::Double => out.push_str("DOUBLE"),
        ColumnType::Boolean => out.push_str("TINYINT"),
        ColumnType::String { length } => write_varchar(*length, out),
        ColumnType::Text | ColumnType::Unknown => out.push_str("TEXT"),
        ColumnType::Blob => out.push_str("LONGBLOB"),
        ColumnType::DateTime | ColumnType::DateTimeUtc => out.push_str("DATETIME(6)"),
        ColumnType::Date => out.push_str("DATE"),
        ColumnType::Time => out.push_str("TIME(6)"),
        ColumnType::Uuid => out.push_str("CHAR(36)"),
        ColumnType::Decimal { precision, scale } => write_numeric("DECIMAL", *precision, *scale, out),
        ColumnType::Json | ColumnType::JsonBinary | ColumnType::Array { .. } => out.push_str("JSON"),
        ColumnType::Enum { values, .. } => write_enum(values, out)?,
    }
    Ok(())
}

/// `ENUM('a','b')`: DDL cannot bind, so the values are literals, with `'`
/// doubled and `\` doubled (a backslash escapes in MySQL string literals).
fn write_enum(values: &[String], out: &mut SqlWriter<'_>) -> Result<(), RenderError> {
    if values.is_empty() {
        return Err(RenderError::Invalid(IrError::Invalid(
            "an enum column needs at least one value".into(),
        )));
    }
    out.push_str("ENUM(");
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            out.push_str(",");
        }
        out.push_str("'");
        out.push_str(&v.replace('\\', "\\\\").replace('\'', "''"));
        out.push_str("'");
    }
    out.push_str(")");
    Ok(())
}

/// `db_type` is verbatim except the PostgreSQL serial names, which MySQL
/// reads differently (its `SERIAL` is an unsigned, unique alias).
pub(crate) fn translate_db_type(db_type: &str) -> &str {
    if db_type.eq_ignore_ascii_case("SERIAL") {
        "INT"
    } else if db_type.eq_ignore_ascii_case("BIGSERIAL") {
        "BIGINT"
    } else {
        db_type
    }
}
