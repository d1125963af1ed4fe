#![doc = include_str!("../README.md")]
#![warn(missing_docs)]
use pyo3::prelude::*;

// Linked for their `inventory` registrations alone (dialect + driver).
use oxyde_mysql as _;
use oxyde_postgres as _;
use oxyde_sqlite as _;

mod api;
mod errors;
mod hydrate;
mod migrations;
mod port;
mod runtime;
mod settings;
mod sqllog;
mod stream;
mod values;

#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("IR_VERSION", oxyde_ir::IR_VERSION)?;
    m.add_function(wrap_pyfunction!(api::list_dialects, m)?)?;
    m.add_function(wrap_pyfunction!(api::render, m)?)?;
    m.add_function(wrap_pyfunction!(api::init_pool, m)?)?;
    m.add_function(wrap_pyfunction!(api::close_pool, m)?)?;
    m.add_function(wrap_pyfunction!(api::close_all_pools, m)?)?;
    m.add_function(wrap_pyfunction!(api::pool_backend, m)?)?;
    m.add_function(wrap_pyfunction!(api::pool_stats, m)?)?;
    m.add_function(wrap_pyfunction!(api::execute, m)?)?;
    m.add_function(wrap_pyfunction!(api::begin_transaction, m)?)?;
    m.add_function(wrap_pyfunction!(api::execute_in_transaction, m)?)?;
    m.add_function(wrap_pyfunction!(api::commit_transaction, m)?)?;
    m.add_function(wrap_pyfunction!(api::rollback_transaction, m)?)?;
    m.add_function(wrap_pyfunction!(api::create_savepoint, m)?)?;
    m.add_function(wrap_pyfunction!(api::rollback_to_savepoint, m)?)?;
    m.add_function(wrap_pyfunction!(api::release_savepoint, m)?)?;
    m.add_function(wrap_pyfunction!(api::shutdown, m)?)?;
    m.add_function(wrap_pyfunction!(stream::open_stream, m)?)?;
    m.add_class::<hydrate::ModelBuilder>()?;
    m.add_class::<stream::RowStream>()?;
    m.add_function(wrap_pyfunction!(sqllog::configure_sql_events, m)?)?;
    m.add_function(wrap_pyfunction!(sqllog::set_slow_query_threshold, m)?)?;
    sqllog::install();
    m.add_function(wrap_pyfunction!(migrations::schema_diff, m)?)?;
    m.add_function(wrap_pyfunction!(migrations::schema_apply, m)?)?;
    m.add_function(wrap_pyfunction!(migrations::render_migration_ops, m)?)?;
    // Also registered by the Python package; doing it here covers `_core` used alone.
    m.py()
        .import("atexit")?
        .call_method1("register", (m.getattr("shutdown")?,))?;
    Ok(())
}
