use std::fmt;

/// Why a byte string is not a valid IR.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IrError {
    /// The bytes are not MessagePack of the expected shape.
    #[error("malformed IR: {0}")]
    Malformed(String),
    /// The envelope names a protocol version this build does not speak.
    #[error("IR protocol version {found} is not supported (this core speaks version {expected}); upgrade the side that is older")]
    Version {
        /// Version in the envelope.
        found: u32,
        /// Version this crate reads and writes.
        expected: u32,
    },
    /// A required key is absent.
    #[error("invalid IR: {what} requires '{key}'")]
    Missing {
        /// The node that lacks the key.
        what: &'static str,
        /// The missing key.
        key: &'static str,
    },
    /// A key holds a value outside its allowed set.
    #[error("invalid IR: unknown {what} '{found}'")]
    Unknown {
        /// What kind of name was expected.
        what: &'static str,
        /// The value found.
        found: String,
    },
    /// A structural rule is broken (e.g. rows of different lengths).
    #[error("invalid IR: {0}")]
    Invalid(String),
}

impl IrError {
    pub(crate) fn malformed(e: impl fmt::Display) -> Self {
        Self::Malformed(e.to_string())
    }
    pub(crate) fn unknown(what: &'static str, found: impl Into<String>) -> Self {
        Self::Unknown {
            what,
            found: found.into(),
        }
    }
}
