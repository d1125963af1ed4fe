//! IR values → MySQL parameters. MySQL has no UUID, aware-timestamp or array
//! type: UUIDs bind as text (`CHAR(36)`), aware timestamps as UTC `DATETIME`,
//! arrays and JSON as JSON text (valid for MySQL JSON and MariaDB's alias).
use std::str::FromStr as _;

use bigdecimal::BigDecimal;
use oxyde_exec::{temporal, ErrorKind, ExecError, Plan};
use oxyde_ir::{ColumnType, Value};
use sqlx::mysql::MySqlArguments;
use sqlx::Arguments as _;

fn invalid(what: &str, text: &str) -> ExecError {
    ExecError::new(ErrorKind::InvalidIr, format!("invalid {what} value '{text}'"))
}

/// The arguments for `params`.
pub(crate) fn arguments(params: &[Value], plan: &Plan<'_>) -> Result<MySqlArguments, ExecError> {
    let mut args = MySqlArguments::default();
    for (i, value) in params.iter().enumerate() {
        let r = match (value, plan.param_type(i)) {
            (Value::Null, _) => args.add(None::<String>),
            (Value::Bool(b), _) => args.add(*b),
            (Value::Int(i), _) => args.add(*i),
            (Value::Float(f), _) => args.add(*f),
            (Value::Text(s) | Value::Json(s), _) => args.add(s.clone()),
            (Value::Bytes(b), _) => args.add(b.clone()),
            (Value::Decimal(s), _) => args.add(BigDecimal::from_str(s).map_err(|_| invalid("decimal", s))?),
            (Value::Uuid(b), Some(ColumnType::Blob)) => args.add(b.to_vec()),
            (Value::Uuid(b), _) => args.add(oxyde_exec::uuid_text(b)),
            (Value::Date(s), _) => args.add(temporal::parse_date(s)?),
            (Value::Time(s), _) => args.add(temporal::parse_time(s)?),
            (Value::DateTime(s), _) => args.add(temporal::parse_datetime(s)?),
            (Value::DateTimeTz(s), _) => args.add(temporal::parse_datetime_tz(s)?.naive_utc()),
            (Value::Duration(us), _) => args.add(*us),
            (Value::Array(_), _) => args.add(oxyde_exec::value_to_json(value)),
        };
        r.map_err(|e| ExecError::new(ErrorKind::InvalidIr, format!("cannot bind mysql parameter: {e}")))?;
    }
    Ok(args)
}
