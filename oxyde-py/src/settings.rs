//! The `settings` dict of `init_pool` -> `oxyde_exec::PoolSettings`.
use std::time::Duration;

use oxyde_exec::PoolSettings;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// Reads the non-None entries; durations are float seconds.
pub(crate) fn from_dict(dict: Option<&Bound<'_, PyDict>>) -> PyResult<PoolSettings> {
    let mut s = PoolSettings::default();
    let Some(dict) = dict else { return Ok(s) };
    for (key, value) in dict.iter() {
        if value.is_none() {
            continue;
        }
        let key: String = key
            .extract()
            .map_err(|_| PyTypeError::new_err("pool setting names must be str"))?;
        let v = &value;
        match key.as_str() {
            "max_connections" => s.max_connections = Some(typed(&key, v)?),
            "min_connections" => s.min_connections = Some(typed(&key, v)?),
            // `connect_timeout` is the raw-dict synonym the spec keeps (connections.md §5).
            "acquire_timeout" | "connect_timeout" => s.acquire_timeout = Some(duration(&key, v)?),
            "idle_timeout" => s.idle_timeout = Some(duration(&key, v)?),
            "max_lifetime" => s.max_lifetime = Some(duration(&key, v)?),
            "test_before_acquire" => s.test_before_acquire = Some(typed(&key, v)?),
            "transaction_timeout" => s.transaction_timeout = Some(duration(&key, v)?),
            "transaction_cleanup_interval" => s.transaction_cleanup_interval = Some(duration(&key, v)?),
            "sqlite_journal_mode" => s.sqlite_journal_mode = Some(typed(&key, v)?),
            "sqlite_synchronous" => s.sqlite_synchronous = Some(typed(&key, v)?),
            "sqlite_cache_size" => s.sqlite_cache_size = Some(typed(&key, v)?),
            "sqlite_busy_timeout" => s.sqlite_busy_timeout = Some(typed(&key, v)?),
            "ssl_mode" => s.ssl_mode = Some(typed(&key, v)?),
            "ssl_root_cert" => s.ssl_root_cert = Some(typed(&key, v)?),
            "ssl_client_cert" => s.ssl_client_cert = Some(typed(&key, v)?),
            "ssl_client_key" => s.ssl_client_key = Some(typed(&key, v)?),
            "pg_application_name" => s.pg_application_name = Some(typed(&key, v)?),
            "pg_statement_cache_capacity" => s.pg_statement_cache_capacity = Some(typed(&key, v)?),
            "mysql_charset" => s.mysql_charset = Some(typed(&key, v)?),
            "mysql_collation" => s.mysql_collation = Some(typed(&key, v)?),
            _ => return Err(PyValueError::new_err(format!("unknown pool setting '{key}'"))),
        }
    }
    Ok(s)
}

fn typed<'py, T: FromPyObject<'py>>(key: &str, value: &Bound<'py, PyAny>) -> PyResult<T> {
    value
        .extract()
        .map_err(|e| PyTypeError::new_err(format!("pool setting '{key}': {e}")))
}

fn duration(key: &str, value: &Bound<'_, PyAny>) -> PyResult<Duration> {
    let secs: f64 = typed(key, value)?;
    Duration::try_from_secs_f64(secs).map_err(|_| {
        PyValueError::new_err(format!(
            "pool setting '{key}': duration must be finite and non-negative, got {secs}"
        ))
    })
}
