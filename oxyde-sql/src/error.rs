use oxyde_ir::IrError;

/// Why an op could not be rendered.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RenderError {
    /// The dialect cannot express this feature.
    #[error("{dialect} does not support {feature}")]
    Unsupported {
        /// Dialect name.
        dialect: &'static str,
        /// What was asked for.
        feature: &'static str,
    },
    /// The op is structurally invalid for rendering.
    #[error(transparent)]
    Invalid(#[from] IrError),
    /// The statement binds more values than the database accepts; split the
    /// write into batches of at most [`crate::Dialect::max_bind_params`].
    #[error("{dialect} accepts at most {max} bound parameters per statement, this one has {count}")]
    TooManyParams {
        /// Dialect name.
        dialect: &'static str,
        /// Parameters the statement would bind.
        count: usize,
        /// The dialect's limit.
        max: usize,
    },
    /// A raw fragment's placeholders do not match its parameters.
    #[error("raw SQL fragment: {0}")]
    RawPlaceholders(String),
    /// No dialect is registered under a name.
    #[error("unknown dialect \"{name}\"; registered: {registered}")]
    UnknownDialect {
        /// The name asked for.
        name: String,
        /// Registered names, sorted and comma-separated.
        registered: String,
    },
}
