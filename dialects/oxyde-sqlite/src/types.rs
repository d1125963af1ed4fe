//! Column type names for SQLite DDL (`spec/types.md` §3). SQLite stores by
//! affinity, so temporal, UUID, decimal and JSON values live as TEXT.
use oxyde_ir::ColumnType;
use oxyde_sql::render::write_varchar;
use oxyde_sql::SqlWriter;

pub(crate) fn write_column_type(ty: &ColumnType, out: &mut SqlWriter<'_>) {
    match ty {
        ColumnType::BigInteger | ColumnType::Boolean => out.push_str("INTEGER"),
        ColumnType::Timedelta => out.push_str("BIGINT"),
        ColumnType::Double => out.push_str("REAL"),
        ColumnType::String { length } => write_varchar(*length, out),
        ColumnType::Blob => out.push_str("BLOB"),
        ColumnType::Text
        | ColumnType::DateTime
        | ColumnType::DateTimeUtc
        | ColumnType::Date
        | ColumnType::Time
        | ColumnType::Uuid
        | ColumnType::Decimal { .. }
        | ColumnType::Json
        | ColumnType::JsonBinary
        | ColumnType::Enum { .. }
        | ColumnType::Array { .. }
        | ColumnType::Unknown => out.push_str("TEXT"),
    }
}

/// `db_type` is verbatim except the PostgreSQL serial names SQLite lacks.
pub(crate) fn translate_db_type(db_type: &str) -> &str {
    if db_type.eq_ignore_ascii_case("SERIAL") || db_type.eq_ignore_ascii_case("BIGSERIAL") {
        "INTEGER"
    } else {
        db_type
    }
}
