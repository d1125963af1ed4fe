//! IR values → PostgreSQL parameters, typed natively; a NULL takes the type
//! of its target column when known and is otherwise sent untyped so the
//! server infers it.
use std::str::FromStr as _;

use bigdecimal::BigDecimal;
use chrono::Utc;
use oxyde_exec::sqlx_support::bind_error;
use oxyde_exec::{check_decimal_fits, temporal, ErrorKind, ExecError, Plan};
use oxyde_ir::{ColumnType, Value};
use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::postgres::types::Oid;
use sqlx::postgres::{PgArgumentBuffer, PgArguments, PgTypeInfo};
use sqlx::{Arguments as _, Encode, Postgres, Type};

use crate::arrays;

/// A parameter of unspecified type (OID 0): the server infers it from
/// context. Its payload is text, valid for NULL and text-like types (enums).
struct Untyped(Option<String>);

impl Type<Postgres> for Untyped {
    fn type_info() -> PgTypeInfo {
        PgTypeInfo::with_oid(Oid(0))
    }
}

impl Encode<'_, Postgres> for Untyped {
    fn encode_by_ref(&self, buf: &mut PgArgumentBuffer) -> Result<IsNull, BoxDynError> {
        match &self.0 {
            Some(s) => {
                buf.extend_from_slice(s.as_bytes());
                Ok(IsNull::No)
            }
            None => Ok(IsNull::Yes),
        }
    }
}

fn invalid(what: &str, text: &str) -> ExecError {
    ExecError::new(ErrorKind::InvalidIr, format!("invalid {what} value '{text}'"))
}

fn json(text: &str) -> Result<serde_json::Value, ExecError> {
    serde_json::from_str(text).map_err(|_| invalid("json", text))
}

/// The arguments for `params`, typed by `plan` where it knows the column.
pub(crate) fn arguments(params: &[Value], plan: &Plan<'_>) -> Result<PgArguments, ExecError> {
    let mut args = PgArguments::default();
    for (i, value) in params.iter().enumerate() {
        let ty = plan.param_type(i);
        if let (
            Value::Decimal(s),
            Some(ColumnType::Decimal {
                precision: Some(p),
                scale,
            }),
        ) = (value, ty)
        {
            if plan.is_stored(i) {
                check_decimal_fits(s, *p, scale.unwrap_or(0))?;
            }
        }
        add(&mut args, value, ty)?;
    }
    Ok(args)
}

fn add(args: &mut PgArguments, value: &Value, ty: Option<&ColumnType>) -> Result<(), ExecError> {
    let r = match (value, ty) {
        (Value::Null, Some(t)) => add_typed_null(args, t),
        (Value::Null, None) => args.add(Untyped(None)),
        (Value::Bool(b), _) => args.add(*b),
        #[allow(clippy::cast_precision_loss)] // the column is a float; so was the intent
        (Value::Int(i), Some(ColumnType::Double)) => args.add(*i as f64),
        (Value::Int(i), _) => args.add(*i),
        (Value::Float(f), _) => args.add(*f),
        (Value::Text(s), Some(t)) => return add_text_as(args, s, t),
        (Value::Text(s), None) => args.add(s.clone()),
        (Value::Bytes(b), _) => args.add(b.clone()),
        (Value::Decimal(s), _) => args.add(BigDecimal::from_str(s).map_err(|_| invalid("decimal", s))?),
        (Value::Uuid(b), Some(ColumnType::Text | ColumnType::String { .. })) => args.add(oxyde_exec::uuid_text(b)),
        (Value::Uuid(b), _) => args.add(uuid::Uuid::from_bytes(*b)),
        (Value::Date(s), _) => args.add(temporal::parse_date(s)?),
        (Value::Time(s), _) => args.add(temporal::parse_time(s)?),
        // A naive value for an aware column is taken as UTC.
        (Value::DateTime(s), Some(ColumnType::DateTimeUtc)) => args.add(temporal::parse_datetime(s)?.and_utc()),
        (Value::DateTime(s), _) => args.add(temporal::parse_datetime(s)?),
        // An aware value for a naive column is stored as UTC wall time, whatever
        // the session's TimeZone (the same on every dialect).
        (Value::DateTimeTz(s), Some(ColumnType::DateTime)) => args.add(temporal::parse_datetime_tz(s)?.naive_utc()),
        (Value::DateTimeTz(s), _) => args.add(temporal::parse_datetime_tz(s)?.with_timezone(&Utc)),
        (Value::Duration(us), _) => args.add(*us),
        (Value::Json(s), _) => args.add(json(s)?),
        (Value::Array(_), Some(ColumnType::Json | ColumnType::JsonBinary)) => {
            args.add(json(&oxyde_exec::value_to_json(value))?)
        }
        (Value::Array(items), Some(ColumnType::Array { item })) if arrays::add_typed(args, items, item)? => Ok(()),
        (Value::Array(items), t) => return add_array(args, value, items, t),
    };
    r.map_err(|e| bind_error("postgres", &e))
}

/// Text meant for a column of another type (a native enum, a UUID, a date, a
/// number...) is bound as that type, as a literal would be read. sqlx sends
/// every parameter in binary format, so only an enum (whose binary form is its
/// label) can go untyped; the rest is parsed here.
fn add_text_as(args: &mut PgArguments, s: &str, ty: &ColumnType) -> Result<(), ExecError> {
    let r = match ty {
        ColumnType::Enum { .. } => args.add(Untyped(Some(s.to_owned()))),
        ColumnType::Uuid => args.add(uuid::Uuid::parse_str(s).map_err(|_| invalid("uuid", s))?),
        ColumnType::Date => args.add(temporal::parse_date(s)?),
        ColumnType::Time => args.add(temporal::parse_time(s)?),
        ColumnType::DateTime => args.add(temporal::parse_naive_or_utc(s)?),
        ColumnType::DateTimeUtc => match temporal::parse_datetime_tz(s) {
            Ok(aware) => args.add(aware.with_timezone(&Utc)),
            // A naive value for an aware column is taken as UTC.
            Err(_) => args.add(temporal::parse_datetime(s)?.and_utc()),
        },
        ColumnType::Decimal { .. } => args.add(BigDecimal::from_str(s).map_err(|_| invalid("decimal", s))?),
        ColumnType::BigInteger | ColumnType::Timedelta => {
            args.add(s.trim().parse::<i64>().map_err(|_| invalid("integer", s))?)
        }
        ColumnType::Double => args.add(s.trim().parse::<f64>().map_err(|_| invalid("float", s))?),
        ColumnType::Json | ColumnType::JsonBinary => args.add(serde_json::Value::String(s.to_owned())),
        _ => args.add(s.to_owned()),
    };
    r.map_err(|e| bind_error("postgres", &e))
}

fn add_typed_null(args: &mut PgArguments, ty: &ColumnType) -> Result<(), BoxDynError> {
    match ty {
        ColumnType::BigInteger | ColumnType::Timedelta => args.add(None::<i64>),
        ColumnType::Double => args.add(None::<f64>),
        ColumnType::Boolean => args.add(None::<bool>),
        ColumnType::Text | ColumnType::String { .. } => args.add(None::<String>),
        ColumnType::Blob => args.add(None::<Vec<u8>>),
        ColumnType::DateTime => args.add(None::<chrono::NaiveDateTime>),
        ColumnType::DateTimeUtc => args.add(None::<chrono::DateTime<Utc>>),
        ColumnType::Date => args.add(None::<chrono::NaiveDate>),
        ColumnType::Time => args.add(None::<chrono::NaiveTime>),
        ColumnType::Uuid => args.add(None::<uuid::Uuid>),
        ColumnType::Decimal { .. } => args.add(None::<BigDecimal>),
        ColumnType::Json | ColumnType::JsonBinary => args.add(None::<serde_json::Value>),
        // Enums, arrays and unknowns: let the server infer.
        _ => args.add(Untyped(None)),
    }
}

/// Arrays bind natively when every element has one plain type.
fn add_array(args: &mut PgArguments, whole: &Value, items: &[Value], ty: Option<&ColumnType>) -> Result<(), ExecError> {
    fn collect<T>(items: &[Value], f: impl Fn(&Value) -> Option<T>) -> Option<Vec<T>> {
        items.iter().map(f).collect()
    }
    let item_ty = match ty {
        Some(ColumnType::Array { item }) => Some(item.as_ref()),
        _ => None,
    };
    let r = if let Some(v) = collect(items, |v| if let Value::Int(i) = v { Some(*i) } else { None }) {
        if items.is_empty() {
            match item_ty {
                Some(ColumnType::Text | ColumnType::String { .. }) => args.add(Vec::<String>::new()),
                Some(ColumnType::Double) => args.add(Vec::<f64>::new()),
                Some(ColumnType::Boolean) => args.add(Vec::<bool>::new()),
                Some(ColumnType::Uuid) => args.add(Vec::<uuid::Uuid>::new()),
                _ => args.add(v),
            }
        } else {
            args.add(v)
        }
    } else if let Some(v) = collect(items, |v| if let Value::Text(s) = v { Some(s.clone()) } else { None }) {
        args.add(v)
    } else if let Some(v) = collect(items, |v| if let Value::Float(f) = v { Some(*f) } else { None }) {
        args.add(v)
    } else if let Some(v) = collect(items, |v| if let Value::Bool(b) = v { Some(*b) } else { None }) {
        args.add(v)
    } else if let Some(v) = collect(items, |v| {
        if let Value::Uuid(b) = v {
            Some(uuid::Uuid::from_bytes(*b))
        } else {
            None
        }
    }) {
        args.add(v)
    } else {
        // Mixed or nested: JSON is the only faithful form.
        args.add(json(&oxyde_exec::value_to_json(whole))?)
    };
    r.map_err(|e| bind_error("postgres array", &e))
}

/// `sql` keyed by the kinds of its parameters.
///
/// sqlx caches one prepared statement per SQL text with the parameter types of
/// its first use, and later binds in binary format without checking them: the
/// same text run with an integer and then a float would send the float's bytes
/// for an `int8` parameter and store garbage. A trailing comment naming the
/// kinds gives each combination its own cached statement.
pub(crate) fn keyed_sql(sql: &str, params: &[Value]) -> String {
    let mut out = String::with_capacity(sql.len() + params.len() + 8);
    out.push_str(sql);
    if params.is_empty() {
        return out;
    }
    out.push_str("\n/*");
    for value in params {
        push_kind(&mut out, value);
    }
    out.push_str("*/");
    out
}

fn push_kind(out: &mut String, value: &Value) {
    let kind = match value {
        Value::Null => 'n',
        Value::Bool(_) => 'b',
        Value::Int(_) => 'i',
        Value::Float(_) => 'f',
        Value::Text(_) => 't',
        Value::Bytes(_) => 'y',
        Value::Decimal(_) => 'd',
        Value::Uuid(_) => 'u',
        Value::Date(_) => 'D',
        Value::Time(_) => 'T',
        Value::DateTime(_) => 'S',
        Value::DateTimeTz(_) => 'Z',
        Value::Duration(_) => 'r',
        Value::Json(_) => 'j',
        Value::Array(items) => {
            // Arrays bind by their element kinds (mixed ones as JSON).
            let mut kinds = String::new();
            for item in items {
                let mut one = String::new();
                push_kind(&mut one, item);
                if !kinds.contains(&one) {
                    kinds.push_str(&one);
                }
            }
            out.push('[');
            out.push_str(&kinds);
            ']'
        }
    };
    out.push(kind);
}
