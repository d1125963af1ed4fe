//! `open_stream`: a select's rows in batches, read while the statement runs.
use std::sync::Arc;

use oxyde_exec::Batch;
use pyo3::prelude::*;
use tokio::sync::{mpsc, Mutex};
use tokio::task::AbortHandle;

use crate::api::Encoded;
use crate::runtime::{handle, spawn_awaitable};

/// Batches the producer may run ahead of the reader: memory stays at a few batches.
const AHEAD: usize = 1;

/// An open stream; its connection goes back to the pool at the end of the
/// rows, at `close()`, or when the object is dropped.
#[pyclass(module = "oxyde._core", frozen)]
pub(crate) struct RowStream {
    batches: Arc<Mutex<mpsc::Receiver<Batch>>>,
    producer: AbortHandle,
}

#[pymethods]
impl RowStream {
    /// Resolves to the next encoded batch (`[columns, rows]`), or None after the last.
    fn next<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let batches = Arc::clone(&self.batches);
        spawn_awaitable(py, async move {
            match batches.lock().await.recv().await {
                None => Ok(None),
                Some(Ok(bytes)) => Ok(Some(Encoded(bytes))),
                Some(Err(e)) => Err(crate::errors::to_py(&e)),
            }
        })
    }

    /// Stops the statement and hands its connection back; idempotent.
    fn close(&self) {
        self.producer.abort();
    }
}

impl Drop for RowStream {
    fn drop(&mut self) {
        self.producer.abort();
    }
}

/// Starts streaming the select `ir` on `pool` in batches of `batch_size` rows.
#[pyfunction]
pub(crate) fn open_stream(pool: String, ir: &[u8], batch_size: usize) -> PyResult<RowStream> {
    let (sink, batches) = mpsc::channel(AHEAD);
    let ir = ir.to_vec();
    let task = handle()?.spawn(async move { oxyde_exec::stream(&pool, &ir, batch_size, sink).await });
    Ok(RowStream {
        batches: Arc::new(Mutex::new(batches)),
        producer: task.abort_handle(),
    })
}
