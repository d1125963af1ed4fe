use std::fmt;

use serde::de::{self, Deserialize, Deserializer, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeSeq, Serializer};
use serde_bytes::{ByteBuf, Bytes};

/// MessagePack extension codes for the values MessagePack has no type for.
///
/// Python packs these with `msgpack.ExtType(code, payload)` and unpacks them
/// with an `ext_hook`; the payload formats are fixed here.
pub mod ext {
    /// `decimal.Decimal`: its `str()` as UTF-8 (`"-12.3400"`, `"NaN"`).
    pub const DECIMAL: i8 = 1;
    /// `uuid.UUID`: the 16 raw bytes.
    pub const UUID: i8 = 2;
    /// `datetime.date`: ISO 8601 text, `YYYY-MM-DD`.
    pub const DATE: i8 = 3;
    /// `datetime.time` (naive): ISO 8601 text, `HH:MM:SS[.ffffff]`.
    pub const TIME: i8 = 4;
    /// naive `datetime.datetime`: ISO 8601 text, `YYYY-MM-DDTHH:MM:SS[.ffffff]`.
    pub const DATETIME: i8 = 5;
    /// aware `datetime.datetime`: ISO 8601 text with offset, `...+HH:MM`.
    pub const DATETIME_TZ: i8 = 6;
    /// `datetime.timedelta`: signed microseconds, 8 bytes big-endian.
    pub const DURATION: i8 = 7;
    /// A JSON document (`dict` or `list` meant as JSON): its UTF-8 text.
    pub const JSON: i8 = 8;
}

/// One bound value, carried without loss.
///
/// Temporal values keep their ISO 8601 text so no precision or offset is lost
/// on the way; drivers parse them when they bind.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// SQL NULL.
    Null,
    /// A boolean.
    Bool(bool),
    /// A signed 64-bit integer.
    Int(i64),
    /// A 64-bit float.
    Float(f64),
    /// UTF-8 text.
    Text(String),
    /// Raw bytes.
    Bytes(Vec<u8>),
    /// An exact decimal, as its text.
    Decimal(String),
    /// A UUID's 16 bytes.
    Uuid([u8; 16]),
    /// A calendar date, `YYYY-MM-DD`.
    Date(String),
    /// A time of day, `HH:MM:SS[.ffffff]`.
    Time(String),
    /// A naive timestamp, `YYYY-MM-DDTHH:MM:SS[.ffffff]`.
    DateTime(String),
    /// A timestamp with its UTC offset.
    DateTimeTz(String),
    /// A signed duration in microseconds.
    Duration(i64),
    /// A JSON document, as its text.
    Json(String),
    /// An array of values (also the operand of `IN`).
    Array(Vec<Value>),
}

impl Value {
    /// Builds a value from a MessagePack extension code and payload.
    pub fn from_ext(code: i8, data: Vec<u8>) -> Result<Self, String> {
        let text =
            |data: Vec<u8>| String::from_utf8(data).map_err(|_| format!("extension {code} payload is not UTF-8"));
        Ok(match code {
            ext::DECIMAL => Value::Decimal(text(data)?),
            ext::UUID => Value::Uuid(
                data.try_into()
                    .map_err(|_| "UUID payload must be 16 bytes".to_string())?,
            ),
            ext::DATE => Value::Date(text(data)?),
            ext::TIME => Value::Time(text(data)?),
            ext::DATETIME => Value::DateTime(text(data)?),
            ext::DATETIME_TZ => Value::DateTimeTz(text(data)?),
            ext::DURATION => {
                let raw: [u8; 8] = data
                    .try_into()
                    .map_err(|_| "duration payload must be 8 bytes".to_string())?;
                Value::Duration(i64::from_be_bytes(raw))
            }
            ext::JSON => Value::Json(text(data)?),
            other => return Err(format!("unknown MessagePack extension code {other}")),
        })
    }

    /// The extension code and payload for values MessagePack has no type for.
    pub fn to_ext(&self) -> Option<(i8, Vec<u8>)> {
        Some(match self {
            Value::Decimal(s) => (ext::DECIMAL, s.as_bytes().to_vec()),
            Value::Uuid(b) => (ext::UUID, b.to_vec()),
            Value::Date(s) => (ext::DATE, s.as_bytes().to_vec()),
            Value::Time(s) => (ext::TIME, s.as_bytes().to_vec()),
            Value::DateTime(s) => (ext::DATETIME, s.as_bytes().to_vec()),
            Value::DateTimeTz(s) => (ext::DATETIME_TZ, s.as_bytes().to_vec()),
            Value::Duration(us) => (ext::DURATION, us.to_be_bytes().to_vec()),
            Value::Json(s) => (ext::JSON, s.as_bytes().to_vec()),
            _ => return None,
        })
    }

    /// Whether this is SQL NULL.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null => s.serialize_unit(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Int(i) => s.serialize_i64(*i),
            Value::Float(f) => s.serialize_f64(*f),
            Value::Text(t) => s.serialize_str(t),
            Value::Bytes(b) => s.serialize_bytes(b),
            Value::Array(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            other => {
                let (code, data) = other.to_ext().expect("every remaining variant is an extension");
                s.serialize_newtype_struct(rmp_serde::MSGPACK_EXT_STRUCT_NAME, &(code, Bytes::new(&data)))
            }
        }
    }
}

/// Visits one MessagePack item as a [`Value`]; maps are refused.
pub(crate) struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a value (nil, bool, int, float, str, bin, array or extension)")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        i64::try_from(v)
            .map(Value::Int)
            .map_err(|_| E::custom(format!("integer {v} is out of the signed 64-bit range")))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Text(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::Text(v))
    }
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Value, E> {
        Ok(Value::Bytes(v.to_vec()))
    }
    fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<Value, E> {
        Ok(Value::Bytes(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element::<Value>()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        let (code, data): (i8, ByteBuf) = Deserialize::deserialize(d)?;
        Value::from_ext(code, data.into_vec()).map_err(de::Error::custom)
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}
