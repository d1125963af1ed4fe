//! Schema diff, replay and migration DDL: synchronous, pure functions over
//! MessagePack bytes (snapshots and operation lists, see `oxyde_ir::migration`).
use oxyde_ir::migration::{self, Snapshot};
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyBytes;

fn value_err(e: impl std::fmt::Display) -> PyErr {
    PyValueError::new_err(e.to_string())
}

fn snapshot(bytes: Option<&[u8]>) -> PyResult<Snapshot> {
    bytes.map_or_else(
        || Ok(Snapshot::default()),
        |b| migration::decode_snapshot(b).map_err(value_err),
    )
}

/// Operations turning snapshot `old` into `new`; `ValueError` on a bad
/// snapshot, a foreign key cycle or conflicting enum values.
#[pyfunction]
pub(crate) fn schema_diff<'py>(py: Python<'py>, old: &[u8], new: &[u8]) -> PyResult<Bound<'py, PyBytes>> {
    let (old, new) = (snapshot(Some(old))?, snapshot(Some(new))?);
    let ops = migration::diff(&old, &new).map_err(value_err)?;
    Ok(PyBytes::new(py, &migration::encode(&ops).map_err(value_err)?))
}

/// The snapshot after applying `ops` to `schema`; `ValueError` when an
/// operation names a table or column the schema lacks.
#[pyfunction]
pub(crate) fn schema_apply<'py>(py: Python<'py>, schema: &[u8], ops: &[u8]) -> PyResult<Bound<'py, PyBytes>> {
    let mut state = snapshot(Some(schema))?;
    for op in migration::decode_ops(ops).map_err(value_err)? {
        state.apply(&op).map_err(value_err)?;
    }
    Ok(PyBytes::new(py, &migration::encode(&state).map_err(value_err)?))
}

/// DDL statements for `ops` on `dialect`, starting from `schema` (empty when
/// absent). `ValueError` for an unknown dialect or malformed input,
/// `RuntimeError("Migration error: ...")` for what cannot be rendered.
#[pyfunction]
#[pyo3(signature = (ops, dialect, schema=None))]
pub(crate) fn render_migration_ops(ops: &[u8], dialect: &str, schema: Option<&[u8]>) -> PyResult<Vec<String>> {
    let d = oxyde_sql::dialect(dialect).map_err(|_| PyValueError::new_err(format!("Invalid dialect: {dialect}")))?;
    let before = snapshot(schema)?;
    let ops = migration::decode_ops(ops).map_err(value_err)?;
    oxyde_sql::render::render_migration(&ops, &before, d)
        .map_err(|e| PyRuntimeError::new_err(format!("Migration error: {e}")))
}
