//! The functions of `oxyde._core`: argument copying and result conversion only.
use std::convert::Infallible;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyTuple};

use crate::runtime::spawn_awaitable;
use crate::{errors, settings, values};

/// Encoded result bytes, turned into `bytes` (not a list of ints) when handed to Python.
pub(crate) struct Encoded(pub(crate) Vec<u8>);

impl<'py> IntoPyObject<'py> for Encoded {
    type Target = PyBytes;
    type Output = Bound<'py, PyBytes>;
    type Error = Infallible;

    fn into_pyobject(self, py: Python<'py>) -> Result<Self::Output, Self::Error> {
        Ok(PyBytes::new(py, &self.0))
    }
}

fn py_err(e: &oxyde_exec::ExecError) -> PyErr {
    errors::to_py(e)
}

/// Names of the registered dialects, sorted.
#[pyfunction]
pub(crate) fn list_dialects() -> Vec<&'static str> {
    oxyde_sql::registered_dialects().iter().map(|r| r.name()).collect()
}

/// Renders an IR to `(sql, params)` without a connection.
#[pyfunction]
pub(crate) fn render<'py>(py: Python<'py>, ir: &[u8], dialect: &str) -> PyResult<Bound<'py, PyTuple>> {
    // An unknown name is a bad argument here, not a database failure (spec: `sql()` raises ValueError).
    oxyde_sql::dialect(dialect).map_err(|e| PyValueError::new_err(e.to_string()))?;
    let stmt = oxyde_exec::render(ir, dialect).map_err(|e| py_err(&e))?;
    let params = PyList::empty(py);
    for value in &stmt.params {
        params.append(values::to_py(py, value)?)?;
    }
    PyTuple::new(py, [stmt.sql.into_pyobject(py)?.into_any(), params.into_any()])
}

/// Opens a pool under `name`; resolves to the dialect name.
#[pyfunction]
#[pyo3(signature = (name, url, settings=None, overwrite=false))]
pub(crate) fn init_pool<'py>(
    py: Python<'py>,
    name: String,
    url: String,
    settings: Option<&Bound<'py, PyDict>>,
    overwrite: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let settings = settings::from_dict(settings)?;
    spawn_awaitable(py, async move {
        oxyde_exec::init_pool(&name, &url, settings, overwrite)
            .await
            .map_err(|e| py_err(&e))
    })
}

/// Closes one pool; unknown names are ignored.
#[pyfunction]
pub(crate) fn close_pool(py: Python<'_>, name: String) -> PyResult<Bound<'_, PyAny>> {
    spawn_awaitable(py, async move {
        oxyde_exec::close_pool(&name).await.map_err(|e| py_err(&e))
    })
}

/// Rolls back every open transaction and closes every pool.
#[pyfunction]
pub(crate) fn close_all_pools(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    spawn_awaitable(py, async move {
        oxyde_exec::close_all_pools().await;
        Ok(())
    })
}

/// Dialect name of an open pool, or None.
#[pyfunction]
pub(crate) fn pool_backend(name: &str) -> Option<&'static str> {
    oxyde_exec::pool_backend(name)
}

/// Connection and transaction counts of an open pool, as a dict.
#[pyfunction]
pub(crate) fn pool_stats<'py>(py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyDict>> {
    let stats = oxyde_exec::pool_stats(name).map_err(|e| py_err(&e))?;
    let dict = PyDict::new(py);
    dict.set_item("size", stats.size)?;
    dict.set_item("idle", stats.idle)?;
    dict.set_item("in_use", stats.in_use)?;
    dict.set_item("min_connections", stats.min_connections)?;
    dict.set_item("max_connections", stats.max_connections)?;
    dict.set_item("transactions", stats.transactions)?;
    Ok(dict)
}

/// Runs one IR on a pooled connection; resolves to the encoded result.
#[pyfunction]
pub(crate) fn execute<'py>(py: Python<'py>, pool: String, ir: &[u8]) -> PyResult<Bound<'py, PyAny>> {
    let ir = ir.to_vec();
    spawn_awaitable(py, async move {
        oxyde_exec::execute(&pool, &ir)
            .await
            .map(Encoded)
            .map_err(|e| py_err(&e))
    })
}

/// Takes a connection, issues BEGIN, resolves to the transaction id.
#[pyfunction]
pub(crate) fn begin_transaction(py: Python<'_>, pool: String) -> PyResult<Bound<'_, PyAny>> {
    spawn_awaitable(py, async move {
        oxyde_exec::begin_transaction(&pool).await.map_err(|e| py_err(&e))
    })
}

/// Runs one IR on the transaction's connection (the id alone names it; `pool` is kept for the API).
#[pyfunction]
pub(crate) fn execute_in_transaction<'py>(
    py: Python<'py>,
    pool: &str,
    tx_id: u64,
    ir: &[u8],
) -> PyResult<Bound<'py, PyAny>> {
    let _ = pool;
    let ir = ir.to_vec();
    spawn_awaitable(py, async move {
        oxyde_exec::execute_in_transaction(tx_id, &ir)
            .await
            .map(Encoded)
            .map_err(|e| py_err(&e))
    })
}

/// COMMIT and return the connection to its pool.
#[pyfunction]
pub(crate) fn commit_transaction(py: Python<'_>, tx_id: u64) -> PyResult<Bound<'_, PyAny>> {
    spawn_awaitable(py, async move {
        oxyde_exec::commit_transaction(tx_id).await.map_err(|e| py_err(&e))
    })
}

/// ROLLBACK and return the connection to its pool.
#[pyfunction]
pub(crate) fn rollback_transaction(py: Python<'_>, tx_id: u64) -> PyResult<Bound<'_, PyAny>> {
    spawn_awaitable(py, async move {
        oxyde_exec::rollback_transaction(tx_id).await.map_err(|e| py_err(&e))
    })
}

/// `SAVEPOINT name`.
#[pyfunction]
pub(crate) fn create_savepoint(py: Python<'_>, tx_id: u64, name: String) -> PyResult<Bound<'_, PyAny>> {
    spawn_awaitable(py, async move {
        oxyde_exec::create_savepoint(tx_id, &name).await.map_err(|e| py_err(&e))
    })
}

/// `ROLLBACK TO SAVEPOINT name`.
#[pyfunction]
pub(crate) fn rollback_to_savepoint(py: Python<'_>, tx_id: u64, name: String) -> PyResult<Bound<'_, PyAny>> {
    spawn_awaitable(py, async move {
        oxyde_exec::rollback_to_savepoint(tx_id, &name)
            .await
            .map_err(|e| py_err(&e))
    })
}

/// `RELEASE SAVEPOINT name`.
#[pyfunction]
pub(crate) fn release_savepoint(py: Python<'_>, tx_id: u64, name: String) -> PyResult<Bound<'_, PyAny>> {
    spawn_awaitable(py, async move {
        oxyde_exec::release_savepoint(tx_id, &name)
            .await
            .map_err(|e| py_err(&e))
    })
}

/// Closes every pool and stops the runtime, so interpreter exit never races runtime threads.
#[pyfunction]
pub(crate) fn shutdown(py: Python<'_>) {
    crate::runtime::shutdown(py);
}
