//! Native PostgreSQL arrays (`list[T]`, `spec/types.md` §7): parameters are
//! typed by the column's item type, so `VARCHAR(50)[]`, `DATE[]`, `JSONB[]`
//! and arrays of native enums all bind; enum arrays read back as labels.
use std::collections::HashSet;
use std::str::FromStr as _;
use std::sync::{Mutex, OnceLock, PoisonError};

use bigdecimal::BigDecimal;
use chrono::Utc;
use oxyde_exec::{temporal, uuid_bytes, value_to_json, ErrorKind, ExecError, ResultWriter};
use oxyde_ir::{ColumnType, Value};
use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::postgres::types::Oid;
use sqlx::postgres::{PgArgumentBuffer, PgArguments, PgHasArrayType, PgTypeInfo};
use sqlx::{Arguments as _, Encode, Postgres, Type};

/// `VARCHAR`, so `varchar[]` columns compare with `=` (there is no
/// `varchar[] = text[]` operator).
pub(crate) struct Varchar(String);

/// `varchar` and `_varchar` in `pg_type.dat`: fixed built-in OIDs.
const VARCHAR_OID: Oid = Oid(1043);
const VARCHAR_ARRAY_OID: Oid = Oid(1015);
/// `text`: what enum labels are sent as inside an array payload.
const TEXT_OID: u32 = 25;

impl Type<Postgres> for Varchar {
    fn type_info() -> PgTypeInfo {
        PgTypeInfo::with_oid(VARCHAR_OID)
    }
}

impl PgHasArrayType for Varchar {
    fn array_type_info() -> PgTypeInfo {
        PgTypeInfo::with_oid(VARCHAR_ARRAY_OID)
    }
}

impl Encode<'_, Postgres> for Varchar {
    fn encode_by_ref(&self, buf: &mut PgArgumentBuffer) -> Result<IsNull, BoxDynError> {
        buf.extend_from_slice(self.0.as_bytes());
        Ok(IsNull::No)
    }
}

/// An array of a native enum, typed `"<name>"[]` (sqlx looks the OID up by
/// name once per connection). The payload declares its items as text: the
/// server keeps the declared element type when the payload's is not a
/// built-in match (`array_recv` in `arrayfuncs.c`), and an enum's binary
/// form is its label.
pub(crate) struct EnumArray {
    elem: &'static str,
    labels: Vec<Option<String>>,
}

impl Type<Postgres> for EnumArray {
    fn type_info() -> PgTypeInfo {
        PgTypeInfo::with_oid(Oid(0))
    }
}

impl Encode<'_, Postgres> for EnumArray {
    fn produces(&self) -> Option<PgTypeInfo> {
        Some(PgTypeInfo::array_of(self.elem))
    }

    fn encode_by_ref(&self, buf: &mut PgArgumentBuffer) -> Result<IsNull, BoxDynError> {
        let len = i32::try_from(self.labels.len())?;
        let has_null = self.labels.iter().any(Option::is_none);
        buf.extend_from_slice(&i32::from(len > 0).to_be_bytes()); // dimensions
        buf.extend_from_slice(&i32::from(has_null).to_be_bytes()); // flags
        buf.extend_from_slice(&TEXT_OID.to_be_bytes());
        if len > 0 {
            buf.extend_from_slice(&len.to_be_bytes());
            buf.extend_from_slice(&1_i32.to_be_bytes()); // lower bound
        }
        for label in &self.labels {
            match label {
                Some(s) => {
                    buf.extend_from_slice(&i32::try_from(s.len())?.to_be_bytes());
                    buf.extend_from_slice(s.as_bytes());
                }
                None => buf.extend_from_slice(&(-1_i32).to_be_bytes()),
            }
        }
        Ok(IsNull::No)
    }
}

/// The quoted type name as a `'static` string, as sqlx's lookup wants; each
/// distinct enum name is kept once for the life of the process.
fn interned(name: &str) -> &'static str {
    static NAMES: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    let quoted = format!("\"{}\"", name.replace('"', "\"\""));
    let mut names = NAMES
        .get_or_init(|| Mutex::new(HashSet::new()))
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    if let Some(found) = names.get(quoted.as_str()) {
        return found;
    }
    let leaked: &'static str = Box::leak(quoted.into_boxed_str());
    names.insert(leaked);
    leaked
}

fn misfit(item: &Value, ty: &ColumnType) -> ExecError {
    ExecError::new(
        ErrorKind::InvalidIr,
        format!("array item {item:?} does not fit an array of {ty:?}"),
    )
}

fn items<T>(values: &[Value], ty: &ColumnType, f: impl Fn(&Value) -> Option<T>) -> Result<Vec<Option<T>>, ExecError> {
    values
        .iter()
        .map(|v| match v {
            Value::Null => Ok(None),
            v => f(v).map(Some).ok_or_else(|| misfit(v, ty)),
        })
        .collect()
}

fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::Text(s)
        | Value::Decimal(s)
        | Value::Date(s)
        | Value::Time(s)
        | Value::DateTime(s)
        | Value::DateTimeTz(s) => Some(s.clone()),
        Value::Uuid(b) => Some(oxyde_exec::uuid_text(b)),
        Value::Int(i) => Some(i.to_string()),
        _ => None,
    }
}

fn json_of(v: &Value) -> Option<serde_json::Value> {
    match v {
        Value::Json(s) => serde_json::from_str(s).ok(),
        v => serde_json::from_str(&value_to_json(v)).ok(),
    }
}

/// Binds `values` as an array of `item`. Returns `Ok(false)` when the item
/// type has no native binding here (nested arrays), so the caller falls back.
#[allow(clippy::too_many_lines)] // one flat table of item types
pub(crate) fn add_typed(args: &mut PgArguments, values: &[Value], item: &ColumnType) -> Result<bool, ExecError> {
    let r = match item {
        ColumnType::BigInteger | ColumnType::Timedelta => args.add(items(values, item, |v| match v {
            Value::Int(i) | Value::Duration(i) => Some(*i),
            Value::Text(s) => s.trim().parse().ok(),
            _ => None,
        })?),
        ColumnType::Double => args.add(items(values, item, |v| match v {
            Value::Float(f) => Some(*f),
            #[allow(clippy::cast_precision_loss)] // the column is a float; so was the intent
            Value::Int(i) => Some(*i as f64),
            _ => None,
        })?),
        ColumnType::Boolean => args.add(items(values, item, |v| match v {
            Value::Bool(b) => Some(*b),
            Value::Int(i) => Some(*i != 0),
            _ => None,
        })?),
        ColumnType::Text | ColumnType::Unknown => args.add(items(values, item, text_of)?),
        ColumnType::String { .. } => args.add(items(values, item, |v| text_of(v).map(Varchar))?),
        ColumnType::Uuid => args.add(items(values, item, |v| match v {
            Value::Uuid(b) => Some(uuid::Uuid::from_bytes(*b)),
            Value::Text(s) => uuid_bytes(s).map(uuid::Uuid::from_bytes),
            _ => None,
        })?),
        ColumnType::Decimal { .. } => args.add(items(values, item, |v| match v {
            Value::Decimal(s) | Value::Text(s) => BigDecimal::from_str(s).ok(),
            Value::Int(i) => Some(BigDecimal::from(*i)),
            _ => None,
        })?),
        ColumnType::Date => args.add(items(values, item, |v| match v {
            Value::Date(s) | Value::Text(s) => temporal::parse_date(s).ok(),
            _ => None,
        })?),
        ColumnType::Time => args.add(items(values, item, |v| match v {
            Value::Time(s) | Value::Text(s) => temporal::parse_time(s).ok(),
            _ => None,
        })?),
        ColumnType::DateTime => args.add(items(values, item, |v| match v {
            Value::DateTime(s) | Value::DateTimeTz(s) | Value::Text(s) => temporal::parse_naive_or_utc(s).ok(),
            _ => None,
        })?),
        ColumnType::DateTimeUtc => args.add(items(values, item, |v| match v {
            Value::DateTime(s) | Value::DateTimeTz(s) | Value::Text(s) => {
                temporal::parse_aware_or_utc(s).ok().map(|t| t.with_timezone(&Utc))
            }
            _ => None,
        })?),
        ColumnType::Json | ColumnType::JsonBinary => args.add(items(values, item, json_of)?),
        ColumnType::Blob => args.add(items(values, item, |v| match v {
            Value::Bytes(b) => Some(b.clone()),
            _ => None,
        })?),
        ColumnType::Enum { name, .. } => args.add(EnumArray {
            elem: interned(name),
            labels: items(values, item, |v| match v {
                Value::Text(s) => Some(s.clone()),
                _ => None,
            })?,
        }),
        ColumnType::Array { .. } => return Ok(false),
    };
    r.map_err(|e| oxyde_exec::sqlx_support::bind_error("postgres array", &e))?;
    Ok(true)
}

/// Writes a one-dimensional array in PostgreSQL's binary form whose items
/// are text (enum labels, or any type sqlx has no decoder for); `None`
/// when the bytes are not such an array.
pub(crate) fn write_text_array(mut raw: &[u8], out: &mut ResultWriter) -> Option<()> {
    fn int(raw: &mut &[u8]) -> Option<i32> {
        let (head, rest) = raw.split_first_chunk::<4>()?;
        *raw = rest;
        Some(i32::from_be_bytes(*head))
    }
    let dims = int(&mut raw)?;
    let _flags = int(&mut raw)?;
    let _elem = int(&mut raw)?;
    if dims == 0 {
        out.array(0);
        return Some(());
    }
    if dims != 1 {
        return None;
    }
    let len = usize::try_from(int(&mut raw)?).ok()?;
    let _lower = int(&mut raw)?;
    let mut labels = Vec::with_capacity(len.min(raw.len() / 4));
    for _ in 0..len {
        let n = int(&mut raw)?;
        if n < 0 {
            labels.push(None);
            continue;
        }
        let (item, rest) = raw.split_at_checked(usize::try_from(n).ok()?)?;
        raw = rest;
        labels.push(Some(std::str::from_utf8(item).ok()?));
    }
    out.array(labels.len());
    for label in labels {
        match label {
            Some(s) => out.str(s),
            None => out.nil(),
        }
    }
    Some(())
}
