/// Classes of execution failure; `oxyde-py` maps each to one Python class.
///
/// Deliberately exhaustive: a new kind must fail the build until mapped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// UNIQUE or PRIMARY KEY violated.
    UniqueViolation,
    /// FOREIGN KEY violated.
    ForeignKeyViolation,
    /// NOT NULL violated.
    NotNullViolation,
    /// CHECK violated.
    CheckViolation,
    /// Another integrity constraint the driver could not classify further.
    Integrity,
    /// A value the column cannot hold: too long, out of range, or not
    /// representable by the database (SQLSTATE class 22, "data exception").
    Data,
    /// Any other error reported by the database.
    Database,
    /// No connection became free within the acquire timeout.
    PoolTimeout,
    /// The connection was lost, refused or could not be opened.
    ConnectionLost,
    /// The IR could not be decoded or validated.
    InvalidIr,
    /// The dialect cannot express what was asked.
    Unsupported,
    /// A named pool or transaction does not exist.
    NotFound,
    /// Bad URL, bad settings, or a pool name already taken.
    Config,
}

/// An execution failure with its kind and a message naming what failed.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct ExecError {
    kind: ErrorKind,
    message: String,
    #[source]
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl ExecError {
    /// An error of `kind`.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            source: None,
        }
    }
    /// An error of `kind` keeping its cause.
    pub fn with_source(
        kind: ErrorKind,
        message: impl Into<String>,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        Self {
            kind,
            message: message.into(),
            source: Some(Box::new(source)),
        }
    }
    /// The class of failure.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }
    /// The text naming what failed, also the `Display` form; the cause, if
    /// any, is the error's `source()`.
    pub fn message(&self) -> &str {
        &self.message
    }
}
