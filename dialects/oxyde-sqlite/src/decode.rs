//! SQLite rows → encoded result cells, typed by the op's column types since
//! SQLite stores booleans as INTEGER and temporal values, UUIDs and decimals
//! as TEXT.
use oxyde_exec::{sqlx_support, temporal, write_json_column, ErrorKind, ExecError, Plan, ResultWriter};
use oxyde_ir::ColumnType;
use sqlx::sqlite::SqliteRow;
use sqlx::{Column as _, Row as _, TypeInfo as _, ValueRef as _};

fn decode_error(e: sqlx::Error) -> ExecError {
    ExecError::with_source(ErrorKind::Database, format!("cannot decode sqlite value: {e}"), e)
}

/// Writes `rows` (columns first) into `out`.
pub(crate) fn write_rows(rows: &[SqliteRow], plan: &Plan<'_>, out: &mut ResultWriter) -> Result<(), ExecError> {
    sqlx_support::write_rows(
        rows,
        out,
        |c| {
            plan.column_type(c.name()).cloned().or_else(|| {
                // Declared BOOLEAN columns hold 0/1.
                (c.type_info().name() == "BOOLEAN").then_some(ColumnType::Boolean)
            })
        },
        |row, i, ty, out| write_cell(row, i, ty.as_ref(), out),
    )
}

fn write_cell(row: &SqliteRow, i: usize, ty: Option<&ColumnType>, out: &mut ResultWriter) -> Result<(), ExecError> {
    let raw = row.try_get_raw(i).map_err(decode_error)?;
    if raw.is_null() {
        out.nil();
        return Ok(());
    }
    let storage = raw.type_info().name().to_owned();
    match storage.as_str() {
        "INTEGER" | "BOOLEAN" => {
            let v: i64 = row.try_get(i).map_err(decode_error)?;
            match ty {
                Some(ColumnType::Boolean) => out.bool(v != 0),
                Some(ColumnType::Timedelta) => out.duration_micros(v),
                #[allow(clippy::cast_precision_loss)] // a REAL column holding an integral value
                Some(ColumnType::Double) => out.float(v as f64),
                Some(ColumnType::Decimal { .. }) => out.decimal(&v.to_string()),
                _ => out.int(v),
            }
        }
        "REAL" => {
            let v: f64 = row.try_get(i).map_err(decode_error)?;
            match ty {
                Some(ColumnType::Decimal { .. }) => out.decimal(&v.to_string()),
                _ => out.float(v),
            }
        }
        "BLOB" => {
            let v: &[u8] = row.try_get(i).map_err(decode_error)?;
            match (ty, <&[u8; 16]>::try_from(v)) {
                (Some(ColumnType::Uuid), Ok(bytes)) => out.uuid(bytes),
                _ => out.bin(v),
            }
        }
        _ => {
            let v: &str = row.try_get(i).map_err(decode_error)?;
            write_text(v, ty, out);
        }
    }
    Ok(())
}

/// Text typed by its column; text that does not parse as declared is handed
/// back as a plain string rather than failing the whole query.
fn write_text(v: &str, ty: Option<&ColumnType>, out: &mut ResultWriter) {
    match ty {
        Some(ColumnType::DateTime) => match temporal::parse_naive_or_utc(v) {
            Ok(dt) => out.datetime(dt),
            Err(_) => out.str(v),
        },
        // No offset stored: the column is UTC by definition.
        Some(ColumnType::DateTimeUtc) => match temporal::parse_aware_or_utc(v) {
            Ok(dt) => out.datetime_tz(dt),
            Err(_) => out.str(v),
        },
        Some(ColumnType::Date) => match temporal::parse_date(v) {
            Ok(d) => out.date(d),
            Err(_) => out.str(v),
        },
        Some(ColumnType::Time) => match temporal::parse_time(v) {
            Ok(t) => out.time(t),
            Err(_) => out.str(v),
        },
        Some(ColumnType::Uuid) => match uuid::Uuid::parse_str(v) {
            Ok(u) => out.uuid(u.as_bytes()),
            Err(_) => out.str(v),
        },
        Some(ColumnType::Decimal { .. }) => out.decimal(v),
        Some(t @ (ColumnType::Json | ColumnType::JsonBinary | ColumnType::Array { .. })) => {
            write_json_column(v, t, out);
        }
        Some(ColumnType::Boolean) => out.bool(matches!(v, "1" | "true" | "TRUE" | "t")),
        _ => out.str(v),
    }
}
