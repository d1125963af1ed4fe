use serde::{Deserialize, Serialize};

/// The semantic kind of a column: drives DDL, parameter binding and row
/// decoding. Mirrors the `{"kind": ...}` dicts of the Python package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ColumnType {
    /// 64-bit integer.
    BigInteger,
    /// 64-bit float.
    Double,
    /// Boolean.
    Boolean,
    /// Unbounded text.
    Text,
    /// Bounded string, `VARCHAR(length)` (255 when unset).
    String {
        /// Maximum length in characters.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        length: Option<u32>,
    },
    /// Bytes.
    Blob,
    /// Naive timestamp.
    DateTime,
    /// Timezone-aware timestamp.
    DateTimeUtc,
    /// Calendar date.
    Date,
    /// Time of day.
    Time,
    /// Duration stored as integer microseconds.
    Timedelta,
    /// UUID.
    Uuid,
    /// Exact decimal.
    Decimal {
        /// Total digits.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        precision: Option<u32>,
        /// Digits after the point.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        scale: Option<u32>,
    },
    /// JSON document.
    Json,
    /// Binary JSON (JSONB on PostgreSQL).
    JsonBinary,
    /// String enum.
    Enum {
        /// Type name (PostgreSQL native enum).
        name: String,
        /// Allowed values.
        values: Vec<String>,
    },
    /// Homogeneous array.
    Array {
        /// Element type.
        item: Box<ColumnType>,
    },
    /// No type knowledge: bound by value, decoded by the driver's type.
    #[serde(other)]
    Unknown,
}
