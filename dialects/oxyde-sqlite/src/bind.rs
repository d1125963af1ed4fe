//! IR values → SQLite parameters. SQLite has no native decimal, UUID,
//! temporal or array types, so those are stored as text in canonical form.
use oxyde_exec::{temporal, ErrorKind, ExecError, Plan};
use oxyde_ir::Value;
use sqlx::sqlite::SqliteArguments;
use sqlx::Arguments as _;

fn encode_error(e: &sqlx::error::BoxDynError) -> ExecError {
    ExecError::new(ErrorKind::InvalidIr, format!("cannot bind sqlite parameter: {e}"))
}

/// The arguments for `params`.
pub(crate) fn arguments<'q>(params: &[Value], _plan: &Plan<'_>) -> Result<SqliteArguments<'q>, ExecError> {
    let mut args = SqliteArguments::default();
    for value in params {
        let r = match value {
            Value::Null => args.add(None::<i64>),
            Value::Bool(b) => args.add(*b),
            Value::Int(i) => args.add(*i),
            Value::Float(f) => args.add(*f),
            Value::Text(s) | Value::Decimal(s) | Value::Json(s) => args.add(s.clone()),
            Value::Bytes(b) => args.add(b.clone()),
            Value::Uuid(b) => args.add(oxyde_exec::uuid_text(b)),
            Value::Date(s) => args.add(temporal::format_date(temporal::parse_date(s)?)),
            Value::Time(s) => args.add(temporal::format_time(temporal::parse_time(s)?)),
            Value::DateTime(s) => args.add(temporal::format_datetime(temporal::parse_datetime(s)?)),
            // Stored in UTC so text order is time order.
            Value::DateTimeTz(s) => {
                let utc = temporal::parse_datetime_tz(s)?
                    .with_timezone(&chrono::Utc)
                    .fixed_offset();
                args.add(temporal::format_datetime_tz(utc))
            }
            Value::Duration(us) => args.add(*us),
            Value::Array(_) => args.add(oxyde_exec::value_to_json(value)),
        };
        r.map_err(|e| encode_error(&e))?;
    }
    Ok(args)
}
