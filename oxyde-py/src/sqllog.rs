//! Forwards `oxyde.sql` statement events to Python.
//!
//! A minimal `tracing` subscriber: it wants nothing but statement events, and
//! only at the level Python last asked for. Python keeps that level in step
//! with its `oxyde.sql` logger (`oxyde/db/sqllog.py`), so with logging off an
//! event costs two atomic loads and never touches the GIL.
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::{Mutex, PoisonError};

use pyo3::prelude::*;
use pyo3::types::PyDict;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::subscriber::Interest;
use tracing::{Event, Level, Metadata, Subscriber};

use oxyde_exec::trace::TARGET;

/// 0: nothing; 1: WARN (slow statements); 2: DEBUG (every statement).
static WANTED: AtomicU8 = AtomicU8::new(0);
static WITH_PARAMS: AtomicBool = AtomicBool::new(false);
static HOOK: Mutex<Option<Py<PyAny>>> = Mutex::new(None);

/// Installs the bridge as the process's subscriber (once; a second call is a no-op).
pub(crate) fn install() {
    let _ = tracing::subscriber::set_global_default(PythonBridge);
}

/// `configure_sql_events(hook, level, params)`: `hook(event: dict)` receives each
/// statement event at or above `level` ("debug", "warning" or None for off).
#[pyfunction]
#[pyo3(signature = (hook, level, params=false))]
pub(crate) fn configure_sql_events(hook: Option<Py<PyAny>>, level: Option<&str>, params: bool) -> PyResult<()> {
    let wanted = match level {
        None => 0,
        Some("warning") => 1,
        Some("debug") => 2,
        Some(other) => {
            return Err(pyo3::exceptions::PyValueError::new_err(format!(
                "unknown level {other:?}: use \"debug\", \"warning\" or None"
            )))
        }
    };
    let wanted = if hook.is_some() { wanted } else { 0 };
    *HOOK.lock().unwrap_or_else(PoisonError::into_inner) = hook;
    WITH_PARAMS.store(params, Ordering::Relaxed);
    WANTED.store(wanted, Ordering::Relaxed);
    Ok(())
}

/// Statements slower than `seconds` become WARN events; None turns that off.
#[pyfunction]
pub(crate) fn set_slow_query_threshold(seconds: Option<f64>) -> PyResult<()> {
    let threshold = match seconds {
        None => None,
        Some(s) if s.is_finite() && s >= 0.0 => Some(std::time::Duration::from_secs_f64(s)),
        Some(s) => {
            return Err(pyo3::exceptions::PyValueError::new_err(format!(
                "slow query threshold must be a non-negative number of seconds, got {s}"
            )))
        }
    };
    oxyde_exec::trace::set_slow_query_threshold(threshold);
    Ok(())
}

fn wanted(level: Level) -> bool {
    let floor = WANTED.load(Ordering::Relaxed);
    match level {
        Level::ERROR | Level::WARN => floor >= 1,
        Level::INFO | Level::DEBUG => floor >= 2,
        Level::TRACE => false,
    }
}

struct PythonBridge;

impl Subscriber for PythonBridge {
    fn register_callsite(&self, meta: &'static Metadata<'static>) -> Interest {
        // `sometimes`: the answer changes with the Python logger, so ask `enabled` each time.
        if meta.target() == TARGET && meta.is_event() {
            Interest::sometimes()
        } else {
            Interest::never()
        }
    }

    fn enabled(&self, meta: &Metadata<'_>) -> bool {
        meta.target() == TARGET && wanted(*meta.level())
    }

    fn new_span(&self, _span: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }

    fn record(&self, _span: &Id, _values: &Record<'_>) {}

    fn record_follows_from(&self, _span: &Id, _follows: &Id) {}

    fn event(&self, event: &Event<'_>) {
        // GIL first, then the hook's lock: the order `configure_sql_events` takes them in.
        Python::with_gil(|py| {
            let hook = HOOK.lock().unwrap_or_else(PoisonError::into_inner);
            let Some(hook) = hook.as_ref() else { return };
            let fields = PyDict::new(py);
            let level = if *event.metadata().level() <= Level::WARN {
                "warning"
            } else {
                "debug"
            };
            let mut visitor = ToDict {
                dict: &fields,
                params: WITH_PARAMS.load(Ordering::Relaxed),
                failed: None,
            };
            let outcome = fields.set_item("level", level).and_then(|()| {
                event.record(&mut visitor);
                visitor.failed.take().map_or(Ok(()), Err)
            });
            if let Err(e) = outcome.and_then(|()| hook.call1(py, (fields,)).map(drop)) {
                // A broken handler must not fail the query that was logged.
                e.write_unraisable(py, None);
            }
        });
    }

    fn enter(&self, _span: &Id) {}

    fn exit(&self, _span: &Id) {}
}

/// Copies event fields into a dict; `params` only when asked for.
struct ToDict<'a, 'py> {
    dict: &'a Bound<'py, PyDict>,
    params: bool,
    failed: Option<PyErr>,
}

impl<'py> ToDict<'_, 'py> {
    fn set<V: IntoPyObject<'py>>(&mut self, field: &Field, value: V) {
        if self.failed.is_none() {
            if let Err(e) = self.dict.set_item(field.name(), value) {
                self.failed = Some(e);
            }
        }
    }
}

impl Visit for ToDict<'_, '_> {
    fn record_u64(&mut self, field: &Field, value: u64) {
        self.set(field, value);
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        self.set(field, value);
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.set(field, value);
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() != "params" || self.params {
            self.set(field, format!("{value:?}"));
        }
    }
}
