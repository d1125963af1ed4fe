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
    /// No dialect is registered under a name.
    #[error("unknown dialect \"{name}\"; registered: {registered}")]
    UnknownDialect {
        /// The name asked for.
        name: String,
        /// Registered names, sorted and comma-separated.
        registered: String,
    },
}
