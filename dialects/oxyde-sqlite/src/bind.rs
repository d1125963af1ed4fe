//! IR values → SQLite parameters. SQLite has no native decimal, UUID,
//! temporal or array types, so those are stored as text in one canonical
//! form (`spec/types.md` §5), which keeps equality and text order right;
//! text given for such a column is brought to the same form.
use oxyde_exec::sqlx_support::bind_error;
use oxyde_exec::{check_decimal_fits, refuse_float, temporal, uuid_bytes, uuid_text, ExecError, Plan};
use oxyde_ir::{ColumnType, Value};
use sqlx::sqlite::SqliteArguments;
use sqlx::Arguments as _;

/// The arguments for `params`.
pub(crate) fn arguments<'q>(params: &[Value], plan: &Plan<'_>) -> Result<SqliteArguments<'q>, ExecError> {
    let mut args = SqliteArguments::default();
    for (i, value) in params.iter().enumerate() {
        let ty = plan.param_type(i);
        if let (
            true,
            Value::Decimal(s),
            Some(ColumnType::Decimal {
                precision: Some(p),
                scale,
            }),
        ) = (plan.is_stored(i), value, ty)
        {
            check_decimal_fits(s, *p, scale.unwrap_or(0))?;
        }
        let r = match value {
            Value::Null => args.add(None::<i64>),
            Value::Bool(b) => args.add(*b),
            Value::Int(i) => args.add(*i),
            // SQLite turns a bound NaN into NULL.
            Value::Float(f) if f.is_nan() => return Err(refuse_float(*f, "sqlite", "SQLite stores NaN as NULL")),
            Value::Float(f) => args.add(*f),
            Value::Text(s) => args.add(canonical_text(s, ty)),
            Value::Decimal(s) | Value::Json(s) => args.add(s.clone()),
            Value::Bytes(b) => args.add(b.clone()),
            Value::Uuid(b) => args.add(uuid_text(b)),
            Value::Date(s) => args.add(temporal::format_date(temporal::parse_date(s)?)),
            Value::Time(s) => args.add(temporal::format_time(temporal::parse_time(s)?)),
            Value::DateTime(s) => args.add(temporal::format_datetime(temporal::parse_datetime(s)?)),
            Value::DateTimeTz(s) => args.add(aware_text(s, ty)?),
            Value::Duration(us) => args.add(*us),
            Value::Array(_) => args.add(oxyde_exec::value_to_json(value)),
        };
        r.map_err(|e| bind_error("sqlite", &e))?;
    }
    Ok(args)
}

/// An aware timestamp in UTC, so text order is time order; for a naive
/// column the offset is dropped (UTC wall time, as on every dialect).
fn aware_text(s: &str, ty: Option<&ColumnType>) -> Result<String, ExecError> {
    let utc = temporal::parse_datetime_tz(s)?.with_timezone(&chrono::Utc);
    Ok(match ty {
        Some(ColumnType::DateTime) => temporal::format_datetime(utc.naive_utc()),
        _ => temporal::format_datetime_tz(utc.fixed_offset()),
    })
}

/// Text for a UUID or temporal column in the form values of that type are
/// stored in; text that does not parse is bound as it is.
fn canonical_text(s: &str, ty: Option<&ColumnType>) -> String {
    let canonical = match ty {
        Some(ColumnType::Uuid) => uuid_bytes(s).map(|b| uuid_text(&b)),
        Some(ColumnType::Date) => temporal::parse_date(s).ok().map(temporal::format_date),
        Some(ColumnType::Time) => temporal::parse_time(s).ok().map(temporal::format_time),
        Some(ColumnType::DateTime) => temporal::parse_naive_or_utc(s).ok().map(temporal::format_datetime),
        Some(ColumnType::DateTimeUtc) => temporal::parse_aware_or_utc(s)
            .ok()
            .map(|t| temporal::format_datetime_tz(t.with_timezone(&chrono::Utc).fixed_offset())),
        _ => None,
    };
    canonical.unwrap_or_else(|| s.to_owned())
}
