//! PostgreSQL rows → encoded result cells, by the server's column type;
//! the op's column types add what the server cannot say (BIGINT micros that
//! mean a duration).
use bigdecimal::BigDecimal;
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use oxyde_exec::{sqlx_support, ExecError, Plan, ResultWriter};
use oxyde_ir::ColumnType;
use sqlx::postgres::types::PgInterval;
use sqlx::postgres::PgRow;
use sqlx::Row as _;

use crate::arrays;

/// Writes `rows` (columns first) into `out`.
pub(crate) fn write_rows(rows: &[PgRow], plan: &Plan<'_>, out: &mut ResultWriter) -> Result<(), ExecError> {
    sqlx_support::write_rows_by_type(rows, plan, out, "postgres", write_cell)
}

/// One non-NULL cell.
fn write_cell(
    row: &PgRow,
    i: usize,
    pg_ty: &str,
    ty: Option<&ColumnType>,
    out: &mut ResultWriter,
) -> Result<(), sqlx::Error> {
    match pg_ty {
        "BOOL" => out.bool(row.try_get(i)?),
        "INT2" => int(i64::from(row.try_get::<i16, _>(i)?), ty, out),
        "INT4" => int(i64::from(row.try_get::<i32, _>(i)?), ty, out),
        "INT8" => int(row.try_get(i)?, ty, out),
        "OID" => out.uint(u64::from(row.try_get::<sqlx::postgres::types::Oid, _>(i)?.0)),
        "FLOAT4" => out.float(f64::from(row.try_get::<f32, _>(i)?)),
        "FLOAT8" => out.float(row.try_get(i)?),
        "NUMERIC" => out.decimal(&row.try_get::<BigDecimal, _>(i)?.to_string()),
        "BYTEA" => out.bin(row.try_get::<&[u8], _>(i)?),
        "UUID" => out.uuid(row.try_get::<uuid::Uuid, _>(i)?.as_bytes()),
        "DATE" => out.date(row.try_get(i)?),
        "TIME" => out.time(row.try_get(i)?),
        "TIMESTAMP" => match ty {
            Some(ColumnType::DateTimeUtc) => {
                out.datetime_tz(row.try_get::<chrono::NaiveDateTime, _>(i)?.and_utc().fixed_offset());
            }
            _ => out.datetime(row.try_get(i)?),
        },
        "TIMESTAMPTZ" => out.datetime_tz(row.try_get::<chrono::DateTime<chrono::Utc>, _>(i)?.fixed_offset()),
        "INTERVAL" => {
            let iv: PgInterval = row.try_get(i)?;
            // Months have no fixed length; 30 days is PostgreSQL's own convention.
            let days = i64::from(iv.months) * 30 + i64::from(iv.days);
            out.duration_micros(days.saturating_mul(86_400_000_000).saturating_add(iv.microseconds));
        }
        "JSON" | "JSONB" => out.json(&row.try_get::<serde_json::Value, _>(i)?.to_string()),
        "INT2[]" => array(out, row.try_get::<Vec<Option<i16>>, _>(i)?, |o, v| o.int(i64::from(v))),
        "INT4[]" => array(out, row.try_get::<Vec<Option<i32>>, _>(i)?, |o, v| o.int(i64::from(v))),
        "INT8[]" if matches!(ty, Some(ColumnType::Array { item }) if **item == ColumnType::Timedelta) => {
            array(
                out,
                row.try_get::<Vec<Option<i64>>, _>(i)?,
                ResultWriter::duration_micros,
            );
        }
        "INT8[]" => array(out, row.try_get::<Vec<Option<i64>>, _>(i)?, ResultWriter::int),
        "FLOAT8[]" => array(out, row.try_get::<Vec<Option<f64>>, _>(i)?, ResultWriter::float),
        "FLOAT4[]" => array(out, row.try_get::<Vec<Option<f32>>, _>(i)?, |o, v| {
            o.float(f64::from(v));
        }),
        "BOOL[]" => array(out, row.try_get::<Vec<Option<bool>>, _>(i)?, ResultWriter::bool),
        "TEXT[]" | "VARCHAR[]" | "BPCHAR[]" => {
            array(out, row.try_get::<Vec<Option<String>>, _>(i)?, |o, v| o.str(&v));
        }
        "UUID[]" => array(out, row.try_get::<Vec<Option<uuid::Uuid>>, _>(i)?, |o, v| {
            o.uuid(v.as_bytes());
        }),
        "NUMERIC[]" => array(out, row.try_get::<Vec<Option<BigDecimal>>, _>(i)?, |o, v| {
            o.decimal(&v.to_string());
        }),
        "DATE[]" => array(out, row.try_get::<Vec<Option<NaiveDate>>, _>(i)?, ResultWriter::date),
        "TIME[]" => array(out, row.try_get::<Vec<Option<NaiveTime>>, _>(i)?, ResultWriter::time),
        "TIMESTAMP[]" => array(
            out,
            row.try_get::<Vec<Option<NaiveDateTime>>, _>(i)?,
            ResultWriter::datetime,
        ),
        "TIMESTAMPTZ[]" => array(out, row.try_get::<Vec<Option<DateTime<Utc>>>, _>(i)?, |o, v| {
            o.datetime_tz(v.fixed_offset());
        }),
        "JSON[]" | "JSONB[]" => array(out, row.try_get::<Vec<Option<serde_json::Value>>, _>(i)?, |o, v| {
            o.json(&v.to_string());
        }),
        "BYTEA[]" => array(out, row.try_get::<Vec<Option<Vec<u8>>>, _>(i)?, |o, v| o.bin(&v)),
        // Arrays of enums and of other types whose items are text on the wire.
        t if t.ends_with("[]") || matches!(ty, Some(ColumnType::Array { .. })) => {
            let raw = row.try_get_unchecked::<&[u8], _>(i)?;
            if arrays::write_text_array(raw, out).is_none() {
                return Err(sqlx::Error::Decode(format!("unsupported array type {t}").into()));
            }
        }
        // Text-like types, and enums whose wire form is their label.
        _ => out.str(&row.try_get_unchecked::<String, _>(i)?),
    }
    Ok(())
}

fn int(v: i64, ty: Option<&ColumnType>, out: &mut ResultWriter) {
    match ty {
        Some(ColumnType::Timedelta) => out.duration_micros(v),
        Some(ColumnType::Boolean) => out.bool(v != 0),
        _ => out.int(v),
    }
}

fn array<T>(out: &mut ResultWriter, items: Vec<Option<T>>, write: impl Fn(&mut ResultWriter, T)) {
    out.array(items.len());
    for item in items {
        match item {
            Some(v) => write(out, v),
            None => out.nil(),
        }
    }
}
