//! MySQL rows → encoded result cells, by the server's column type; the op's
//! column types add what MySQL cannot say (`CHAR(36)` holding a UUID, TINYINT
//! booleans, BIGINT micros meaning a duration, MariaDB JSON as LONGTEXT).
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use oxyde_exec::{sqlx_support, write_json_column, ExecError, Plan, ResultWriter};
use oxyde_ir::ColumnType;
use sqlx::mysql::MySqlRow;
use sqlx::Row as _;

/// Writes `rows` (columns first) into `out`.
pub(crate) fn write_rows(rows: &[MySqlRow], plan: &Plan<'_>, out: &mut ResultWriter) -> Result<(), ExecError> {
    sqlx_support::write_rows_by_type(rows, plan, out, "mysql", write_cell)
}

/// One non-NULL cell.
fn write_cell(
    row: &MySqlRow,
    i: usize,
    my_ty: &str,
    ty: Option<&ColumnType>,
    out: &mut ResultWriter,
) -> Result<(), sqlx::Error> {
    match my_ty {
        "BOOLEAN" => out.bool(row.try_get_unchecked::<i64, _>(i)? != 0),
        "TINYINT" | "SMALLINT" | "MEDIUMINT" | "INT" | "BIGINT" | "YEAR" => {
            let v: i64 = row.try_get_unchecked(i)?;
            match ty {
                Some(ColumnType::Boolean) => out.bool(v != 0),
                Some(ColumnType::Timedelta) => out.duration_micros(v),
                _ => out.int(v),
            }
        }
        t if t.ends_with("UNSIGNED") => out.uint(row.try_get_unchecked::<u64, _>(i)?),
        "FLOAT" => out.float(f64::from(row.try_get::<f32, _>(i)?)),
        "DOUBLE" => out.float(row.try_get(i)?),
        // The binary protocol sends DECIMAL as its text.
        "DECIMAL" => out.decimal(&row.try_get_unchecked::<String, _>(i)?),
        "DATE" => out.date(row.try_get::<NaiveDate, _>(i)?),
        "TIME" => out.time(row.try_get::<NaiveTime, _>(i)?),
        "DATETIME" | "TIMESTAMP" => {
            let dt: NaiveDateTime = row.try_get_unchecked(i)?;
            // Sessions run at time_zone '+00:00', so TIMESTAMP values are UTC.
            if my_ty == "TIMESTAMP" || matches!(ty, Some(ColumnType::DateTimeUtc)) {
                out.datetime_tz(dt.and_utc().fixed_offset());
            } else {
                out.datetime(dt);
            }
        }
        "JSON" => write_json_column(
            &row.try_get_unchecked::<String, _>(i)?,
            ty.unwrap_or(&ColumnType::Json),
            out,
        ),
        "BLOB" | "TINYBLOB" | "MEDIUMBLOB" | "LONGBLOB" | "VARBINARY" | "BINARY" | "BIT" | "GEOMETRY" => {
            let v: Vec<u8> = row.try_get_unchecked(i)?;
            match (ty, <[u8; 16]>::try_from(v.as_slice())) {
                (Some(ColumnType::Uuid), Ok(bytes)) => out.uuid(&bytes),
                (None | Some(ColumnType::Blob | ColumnType::Unknown), _) => out.bin(&v),
                // A binary collation (MariaDB's JSON is LONGTEXT utf8mb4_bin)
                // makes text look binary; the column type says it is text.
                (Some(t), _) => match String::from_utf8(v) {
                    Ok(text) => write_text(&text, Some(t), out),
                    Err(e) => out.bin(e.as_bytes()),
                },
            }
        }
        _ => write_text(&row.try_get_unchecked::<String, _>(i)?, ty, out),
    }
    Ok(())
}

fn write_text(v: &str, ty: Option<&ColumnType>, out: &mut ResultWriter) {
    match ty {
        Some(ColumnType::Uuid) => match uuid::Uuid::parse_str(v) {
            Ok(u) => out.uuid(u.as_bytes()),
            Err(_) => out.str(v),
        },
        Some(t @ (ColumnType::Json | ColumnType::JsonBinary | ColumnType::Array { .. })) => {
            write_json_column(v, t, out);
        }
        Some(ColumnType::Decimal { .. }) => out.decimal(v),
        _ => out.str(v),
    }
}
