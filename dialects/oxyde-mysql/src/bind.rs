//! IR values → MySQL parameters. MySQL has no UUID, aware-timestamp or array
//! type: UUIDs bind as text (`CHAR(36)`), aware timestamps as UTC `DATETIME`,
//! arrays and JSON as JSON text (valid for MySQL JSON and MariaDB's alias).
use std::str::FromStr as _;

use bigdecimal::BigDecimal;
use oxyde_exec::sqlx_support::bind_error;
use oxyde_exec::{check_decimal_fits, refuse_float, temporal, uuid_bytes, ErrorKind, ExecError, Plan};
use oxyde_ir::{ColumnType, Value};
use sqlx::mysql::MySqlArguments;
use sqlx::Arguments as _;

/// `DECIMAL` without `(M,D)` is `DECIMAL(10,0)`
/// (<https://dev.mysql.com/doc/refman/8.0/en/fixed-point-types.html>).
const DEFAULT_DECIMAL: (u32, u32) = (10, 0);

fn invalid(what: &str, text: &str) -> ExecError {
    ExecError::new(ErrorKind::InvalidIr, format!("invalid {what} value '{text}'"))
}

/// The arguments for `params`.
pub(crate) fn arguments(params: &[Value], plan: &Plan<'_>) -> Result<MySqlArguments, ExecError> {
    let mut args = MySqlArguments::default();
    for (i, value) in params.iter().enumerate() {
        let ty = plan.param_type(i);
        check_stored(value, ty, plan.is_stored(i))?;
        let r = match (value, ty) {
            (Value::Null, _) => args.add(None::<String>),
            (Value::Bool(b), _) => args.add(*b),
            // INT-sized values bind as INT: MariaDB compares an INT column
            // with a BIGINT parameter row by row much more slowly
            (Value::Int(i), _) => match i32::try_from(*i) {
                Ok(small) => args.add(small),
                Err(_) => args.add(*i),
            },
            // MySQL and MariaDB have no NaN or infinity in DOUBLE.
            (Value::Float(f), _) if !f.is_finite() => {
                return Err(refuse_float(*f, "mysql", "MySQL and MariaDB have no NaN or infinity"))
            }
            (Value::Float(f), _) => args.add(*f),
            (Value::Text(s), Some(ColumnType::Uuid)) => match uuid_bytes(s) {
                Some(b) => args.add(oxyde_exec::uuid_text(&b)),
                None => args.add(s.clone()),
            },
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
        r.map_err(|e| bind_error("mysql", &e))?;
    }
    Ok(args)
}

/// A decimal stored in a `DECIMAL` column must fit it: MySQL rounds extra
/// fraction digits with only a note, even in strict mode. A type without
/// digits is what Oxyde creates for a `Decimal` without `max_digits`.
fn check_stored(value: &Value, ty: Option<&ColumnType>, stored: bool) -> Result<(), ExecError> {
    if let (true, Value::Decimal(s), Some(ColumnType::Decimal { precision, scale })) = (stored, value, ty) {
        let Some(p) = precision else {
            let (p, d) = DEFAULT_DECIMAL;
            return check_decimal_fits(s, p, d).map_err(|e| {
                ExecError::new(
                    ErrorKind::Data,
                    format!(
                        "{}; a Decimal field without max_digits is DECIMAL(10,0) on MySQL and MariaDB: \
                         declare max_digits and decimal_places as the column has them",
                        e.message()
                    ),
                )
            });
        };
        check_decimal_fits(s, *p, scale.unwrap_or(0))?;
    }
    Ok(())
}
