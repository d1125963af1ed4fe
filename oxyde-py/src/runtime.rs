//! The process-wide tokio runtime, created on first use and stopped by `shutdown`.
//!
//! We own the runtime so that `shutdown` can stop its threads before the
//! interpreter finalizes; results go back to asyncio through `port`.
use std::future::Future;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use tokio::runtime::{Builder, Handle, Runtime};

/// Two workers: the work is mostly waiting on sockets, and the GIL serializes the rest.
const WORKER_THREADS: usize = 2;
/// How long `shutdown` waits for pools to close before giving up on them.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(5);

static RUNTIME: Mutex<Option<Runtime>> = Mutex::new(None);

fn slot() -> MutexGuard<'static, Option<Runtime>> {
    // A poisoned lock still holds a usable Option; nothing is half-written under it.
    RUNTIME.lock().unwrap_or_else(PoisonError::into_inner)
}

fn build() -> std::io::Result<Runtime> {
    Builder::new_multi_thread()
        .worker_threads(WORKER_THREADS)
        .thread_name("oxyde-rt")
        .enable_all()
        .build()
}

/// A handle to the runtime, creating it if needed.
pub(crate) fn handle() -> PyResult<Handle> {
    let mut guard = slot();
    if let Some(rt) = guard.as_ref() {
        return Ok(rt.handle().clone());
    }
    let rt = build().map_err(|e| PyRuntimeError::new_err(format!("cannot start the oxyde runtime: {e}")))?;
    let handle = rt.handle().clone();
    *guard = Some(rt);
    Ok(handle)
}

/// Closes every pool, then stops the runtime; a later call starts a new one.
pub(crate) fn shutdown(py: Python<'_>) {
    let Some(rt) = slot().take() else { return };
    py.allow_threads(move || {
        // Pools close on the runtime; a stuck server must not hang interpreter exit.
        let _ = rt.block_on(async { tokio::time::timeout(CLOSE_TIMEOUT, oxyde_exec::close_all_pools()).await });
        rt.shutdown_timeout(Duration::from_secs(1));
    });
}

/// Runs `fut` on the runtime and hands Python an awaitable of its result.
pub(crate) fn spawn_awaitable<'py, F, T>(py: Python<'py>, fut: F) -> PyResult<Bound<'py, PyAny>>
where
    F: Future<Output = PyResult<T>> + Send + 'static,
    T: for<'a> IntoPyObject<'a> + Send + 'static,
{
    crate::port::spawn(py, &handle()?, fut)
}
