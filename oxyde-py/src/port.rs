//! Handing results of runtime tasks back to an asyncio loop.
//!
//! A task's result is queued here and the loop is woken through a socket it
//! watches (`loop.add_reader`); the loop thread then completes the futures.
//! So runtime threads never take the GIL: no thread state to create per
//! result, no waiting on a busy interpreter, one syscall per wake-up.
//!
//! This replaces pyo3-async-runtimes, which spawned two tasks and took the GIL
//! four times on a runtime thread per call: select-by-key went from 0.84x to
//! 1.04x of aiosqlite and from 0.48x to 0.55x of asyncpg in the same runs.
use std::cell::RefCell;
use std::future::Future;
use std::io::{Read as _, Write as _};
use std::os::fd::AsRawFd as _;
use std::os::unix::net::UnixStream;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::sync::GILOnceCell;
use pyo3::IntoPyObjectExt as _;
use tokio::task::AbortHandle;

/// Turns a task's output into the Python value (or exception), under the GIL.
pub(crate) type Outcome = Box<dyn FnOnce(Python<'_>) -> PyResult<PyObject> + Send>;

struct Shared {
    done: Mutex<Vec<(Py<PyAny>, Outcome)>>,
    /// Written once when `done` turns non-empty; the loop watches the other end.
    wake: UnixStream,
}

impl Shared {
    fn complete(&self, future: Py<PyAny>, outcome: Outcome) {
        let mut done = self.done.lock().unwrap_or_else(PoisonError::into_inner);
        let first = done.is_empty();
        done.push((future, outcome));
        drop(done);
        if first {
            // WouldBlock means bytes are already waiting, so the loop wakes anyway.
            let _ = (&self.wake).write(&[1]);
        }
    }
}

/// Futures completed per loop iteration: when a thousand results land at
/// once (a burst of pool timeouts), the loop still runs timers and other
/// callbacks between slices instead of stalling for the whole burst.
const DRAIN_BATCH: usize = 64;

/// The completion queue of one event loop.
#[pyclass(module = "oxyde._core", frozen)]
pub(crate) struct Port {
    shared: Arc<Shared>,
    watched: UnixStream,
}

#[pymethods]
impl Port {
    /// The loop's reader callback: completes up to [`DRAIN_BATCH`] queued futures
    /// and, when more wait, wakes itself again for the loop's next iteration.
    fn drain(&self, py: Python<'_>) {
        let mut sink = [0u8; 64];
        while matches!((&self.watched).read(&mut sink), Ok(n) if n > 0) {}
        let batch: Vec<_> = {
            let mut done = self.shared.done.lock().unwrap_or_else(PoisonError::into_inner);
            let take = done.len().min(DRAIN_BATCH);
            let batch = done.drain(..take).collect();
            if !done.is_empty() {
                let _ = (&self.shared.wake).write(&[1]);
            }
            batch
        };
        for (future, outcome) in batch {
            settle(py, future.bind(py), outcome);
        }
    }
}

fn settle(py: Python<'_>, future: &Bound<'_, PyAny>, outcome: Outcome) {
    // A cancelled future takes no result.
    if future.call_method0("done").and_then(|d| d.is_truthy()).unwrap_or(true) {
        return;
    }
    let result = match outcome(py) {
        Ok(value) => future.call_method1("set_result", (value,)),
        Err(err) => future.call_method1("set_exception", (err.into_value(py),)),
    };
    if let Err(err) = result {
        err.write_unraisable(py, Some(future));
    }
}

impl Port {
    fn open() -> std::io::Result<Self> {
        let (wake, watched) = UnixStream::pair()?;
        wake.set_nonblocking(true)?;
        watched.set_nonblocking(true)?;
        Ok(Port {
            shared: Arc::new(Shared {
                done: Mutex::new(Vec::new()),
                wake,
            }),
            watched,
        })
    }
}

thread_local! {
    /// The loop last used on this thread and its port: the common case costs one identity check.
    static LAST: RefCell<Option<(Py<PyAny>, Arc<Shared>)>> = const { RefCell::new(None) };
}

static GET_RUNNING_LOOP: GILOnceCell<PyObject> = GILOnceCell::new();
static PORTS: GILOnceCell<PyObject> = GILOnceCell::new();

/// The running loop and its port, registering a new port with a loop seen for the first time.
fn running_port(py: Python<'_>) -> PyResult<(Bound<'_, PyAny>, Arc<Shared>)> {
    let get = GET_RUNNING_LOOP.get_or_try_init(py, || -> PyResult<PyObject> {
        Ok(py.import("asyncio")?.getattr("get_running_loop")?.unbind())
    })?;
    let event_loop = get.bind(py).call0()?;
    let hit = LAST.with_borrow(|last| {
        last.as_ref()
            .filter(|(l, _)| l.bind(py).is(&event_loop))
            .map(|(_, s)| Arc::clone(s))
    });
    if let Some(shared) = hit {
        return Ok((event_loop, shared));
    }
    // Ports by loop, weakly, for programs switching between loops on one thread.
    let ports = PORTS.get_or_try_init(py, || -> PyResult<PyObject> {
        Ok(py.import("weakref")?.getattr("WeakKeyDictionary")?.call0()?.unbind())
    })?;
    let ports = ports.bind(py);
    let port = if let Ok(port) = ports.call_method1("get", (&event_loop,))?.downcast_into::<Port>() {
        port
    } else {
        let port = Port::open().map_err(|e| PyRuntimeError::new_err(format!("cannot create a wake-up socket: {e}")))?;
        let fd = port.watched.as_raw_fd();
        let port = Bound::new(py, port)?;
        event_loop.call_method1("add_reader", (fd, port.getattr("drain")?))?;
        ports.set_item(&event_loop, &port)?;
        port
    };
    let shared = Arc::clone(&port.get().shared);
    LAST.set(Some((event_loop.clone().unbind(), Arc::clone(&shared))));
    Ok((event_loop, shared))
}

/// A call's work on the runtime: its future, then its completion through the port.
type Task = Pin<Box<dyn Future<Output = ()> + Send>>;

/// A task polled once on the calling thread and handed to the runtime only
/// when something wakes it: what it waits on (the socket, a pool slot, a
/// timer) then wakes it on a runtime thread, which schedules it locally.
/// Spawning right after the first poll would instead wake a parked runtime
/// thread from the Python thread on every call, just to poll again.
struct Deferred {
    handle: tokio::runtime::Handle,
    state: Mutex<Stage>,
}

enum Stage {
    /// Being polled on the calling thread; `true` once woken meanwhile.
    FirstPoll(bool),
    Parked(Task),
    Spawned(AbortHandle),
    Cancelled,
}

impl Deferred {
    fn lock(&self) -> std::sync::MutexGuard<'_, Stage> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// After the first poll returned pending: park the task, or spawn it if it was woken already.
    fn park(&self, task: Task) {
        let mut stage = self.lock();
        match *stage {
            Stage::FirstPoll(true) => *stage = self.spawn(task),
            Stage::FirstPoll(false) => *stage = Stage::Parked(task),
            // cancelled during the first poll
            _ => self.discard(task),
        }
    }

    fn spawn(&self, task: Task) -> Stage {
        Stage::Spawned(self.handle.spawn(task).abort_handle())
    }

    /// Drops `task` on the runtime, where its drop may spawn (a statement in
    /// flight is cleaned up there).
    fn discard(&self, task: Task) {
        self.handle.spawn(task).abort();
    }

    fn cancel(&self) {
        let previous = std::mem::replace(&mut *self.lock(), Stage::Cancelled);
        match previous {
            Stage::Parked(task) => self.discard(task),
            Stage::Spawned(abort) => abort.abort(),
            Stage::FirstPoll(_) | Stage::Cancelled => {}
        }
    }
}

impl Drop for Deferred {
    fn drop(&mut self) {
        // Nothing will wake it any more.
        if let Stage::Parked(task) = std::mem::replace(
            self.state.get_mut().unwrap_or_else(PoisonError::into_inner),
            Stage::Cancelled,
        ) {
            self.discard(task);
        }
    }
}

impl std::task::Wake for Deferred {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        let mut stage = self.lock();
        match std::mem::replace(&mut *stage, Stage::Cancelled) {
            Stage::Parked(task) => *stage = self.spawn(task),
            Stage::FirstPoll(_) => *stage = Stage::FirstPoll(true),
            other => *stage = other,
        }
    }
}

/// Cancels the task when its future is cancelled (an asyncio done callback).
#[pyclass(module = "oxyde._core", frozen)]
struct AbortOnCancel(Arc<Deferred>);

#[pymethods]
impl AbortOnCancel {
    fn __call__(&self, future: &Bound<'_, PyAny>) -> PyResult<()> {
        if future.call_method0("cancelled")?.is_truthy()? {
            self.0.cancel();
        }
        Ok(())
    }
}

/// Runs `fut` on `handle` and returns an asyncio future of the loop running
/// now, completed by the loop thread with `fut`'s result (or the panic as a
/// `RuntimeError`). Cancelling the asyncio future aborts the task.
pub(crate) fn spawn<'py, F, T>(py: Python<'py>, handle: &tokio::runtime::Handle, fut: F) -> PyResult<Bound<'py, PyAny>>
where
    F: Future<Output = PyResult<T>> + Send + 'static,
    T: for<'a> IntoPyObject<'a> + Send + 'static,
{
    let (event_loop, shared) = running_port(py)?;
    let future = event_loop.call_method0("create_future")?;
    let target = future.clone().unbind();
    let mut task: Task = Box::pin(async move {
        let outcome: Outcome = match CatchUnwind(Box::pin(fut)).await {
            Ok(result) => Box::new(move |py| result?.into_py_any(py)),
            Err(message) => Box::new(move |_| Err(PyRuntimeError::new_err(format!("oxyde core panicked: {message}")))),
        };
        shared.complete(target, outcome);
    });
    // The first poll runs here: the statement is rendered and sent before
    // this call returns, instead of after a runtime thread wakes up for it.
    let deferred = Arc::new(Deferred {
        handle: handle.clone(),
        state: Mutex::new(Stage::FirstPoll(false)),
    });
    let first = {
        let _runtime = handle.enter();
        let waker = std::task::Waker::from(Arc::clone(&deferred));
        task.as_mut().poll(&mut Context::from_waker(&waker))
    };
    if first.is_ready() {
        return Ok(future);
    }
    deferred.park(task);
    let abort = Bound::new(py, AbortOnCancel(deferred))?;
    future.call_method1("add_done_callback", (abort,))?;
    Ok(future)
}

/// A future whose panic becomes an `Err` with the panic message.
struct CatchUnwind<F>(Pin<Box<F>>);

impl<F: Future> Future for CatchUnwind<F> {
    type Output = Result<F::Output, String>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let inner = self.0.as_mut();
        match std::panic::catch_unwind(AssertUnwindSafe(|| inner.poll(cx))) {
            Ok(Poll::Pending) => Poll::Pending,
            Ok(Poll::Ready(v)) => Poll::Ready(Ok(v)),
            Err(payload) => Poll::Ready(Err(payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_owned()))),
        }
    }
}
