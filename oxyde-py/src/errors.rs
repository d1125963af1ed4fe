//! The one mapping from `oxyde_exec::ErrorKind` to the Python classes of `oxyde.core.errors`.
use oxyde_exec::{ErrorKind, ExecError};
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::types::PyType;

const MODULE: &str = "oxyde.core.errors";

/// Converts an execution error to the Python exception of its kind.
pub(crate) fn to_py(err: &ExecError) -> PyErr {
    // No wildcard: a new kind must fail the build until it is mapped here.
    let (class, database) = match err.kind() {
        ErrorKind::UniqueViolation => ("UniqueViolationError", true),
        ErrorKind::ForeignKeyViolation => ("ForeignKeyViolationError", true),
        ErrorKind::NotNullViolation => ("NotNullViolationError", true),
        ErrorKind::CheckViolation => ("CheckViolationError", true),
        ErrorKind::Integrity => ("IntegrityError", true),
        ErrorKind::Data => ("DataError", true),
        ErrorKind::Database => ("DatabaseError", true),
        ErrorKind::PoolTimeout => ("PoolTimeoutError", false),
        ErrorKind::ConnectionLost => ("ConnectionLostError", false),
        ErrorKind::InvalidIr => ("InvalidIRError", false),
        ErrorKind::Unsupported => ("UnsupportedError", false),
        ErrorKind::NotFound => ("TransactionNotFoundError", false),
        // The spec wants a RuntimeError at connect; DatabaseError is one.
        ErrorKind::Config => ("DatabaseError", false),
    };
    let message = if database {
        format!("Query execution error: {}", err.message())
    } else {
        err.message().to_owned()
    };
    Python::with_gil(|py| match class_of(py, class) {
        Ok(cls) => PyErr::from_type(cls, message),
        // Only when the Python package is broken or absent (e.g. `_core` imported alone).
        Err(_) => PyRuntimeError::new_err(message),
    })
}

/// Imports the class by name; `import_exception!` would panic if the module is missing.
fn class_of<'py>(py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyType>> {
    Ok(py.import(MODULE)?.getattr(name)?.downcast_into::<PyType>()?)
}
