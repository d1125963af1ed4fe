//! Column type names for PostgreSQL DDL (`spec/types.md` §3).
use oxyde_ir::ColumnType;
use oxyde_sql::render::{write_numeric, write_varchar};
use oxyde_sql::{RenderError, SqlWriter};

pub(crate) fn write_column_type(ty: &ColumnType, out: &mut SqlWriter<'_>) -> Result<(), RenderError> {
    match ty {
        ColumnType::BigInteger | ColumnType::Timedelta => out.push_str("BIGINT"),
        ColumnType::Double => out.push_str("DOUBLE PRECISION"),
        ColumnType::Boolean => out.push_str("BOOLEAN"),
        ColumnType::String { length } => write_varchar(*length, out),
        ColumnType::Text | ColumnType::Unknown => out.push_str("TEXT"),
        ColumnType::Blob => out.push_str("BYTEA"),
        ColumnType::DateTime => out.push_str("TIMESTAMP"),
        ColumnType::DateTimeUtc => out.push_str("TIMESTAMPTZ"),
        ColumnType::Date => out.push_str("DATE"),
        ColumnType::Time => out.push_str("TIME"),
        ColumnType::Uuid => out.push_str("UUID"),
        ColumnType::Decimal { precision, scale } => write_numeric("NUMERIC", *precision, *scale, out),
        ColumnType::Json | ColumnType::JsonBinary => out.push_str("JSONB"),
        // A native enum type, created separately under this name.
        ColumnType::Enum { name, .. } => out.push_identifier(name),
        ColumnType::Array { item } => {
            write_column_type(item, out)?;
            out.push_str("[]");
        }
    }
    Ok(())
}
