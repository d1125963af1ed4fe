//! One `tracing` event per statement, target [`TARGET`]: the SQL, its parameter
//! count, rows, duration and outcome. Statements slower than the threshold set
//! by [`set_slow_query_threshold`] are WARN, the rest DEBUG.
//!
//! Parameter values travel as a lazily formatted field (`params`): a
//! subscriber that does not record it pays nothing for it.
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use oxyde_sql::Statement;

use crate::ExecError;

/// The `tracing` target of statement events (and the Python logger name).
pub const TARGET: &str = "oxyde.sql";

/// Microseconds; 0 means no slow-query warnings.
static SLOW_MICROS: AtomicU64 = AtomicU64::new(0);

/// Statements taking at least `threshold` are reported at WARN with `slow = true`;
/// `None` turns that off (every statement is then DEBUG).
pub fn set_slow_query_threshold(threshold: Option<Duration>) {
    let micros = threshold.map_or(0, |t| u64::try_from(t.as_micros()).unwrap_or(u64::MAX).max(1));
    SLOW_MICROS.store(micros, Ordering::Relaxed);
}

/// Where a statement runs: the pool alias and its dialect.
#[derive(Clone, Copy)]
pub(crate) struct Origin<'a> {
    pub(crate) pool: &'a str,
    pub(crate) dialect: &'static str,
}

/// A statement being timed; [`finish`](Self::finish) emits its event.
pub(crate) struct StatementTimer<'a> {
    origin: Origin<'a>,
    stmt: &'a Statement,
    started: Instant,
}

impl<'a> StatementTimer<'a> {
    pub(crate) fn start(origin: Origin<'a>, stmt: &'a Statement) -> Self {
        Self {
            origin,
            stmt,
            started: Instant::now(),
        }
    }

    /// Emits the event: `rows` read (select) or affected (other ops), and the error if it failed.
    pub(crate) fn finish(self, rows: u64, error: Option<&ExecError>) {
        let elapsed = self.started.elapsed();
        let duration_us = u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX);
        let slow_after = SLOW_MICROS.load(Ordering::Relaxed);
        let start_ns = SystemTime::now()
            .checked_sub(elapsed)
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX));
        let Origin { pool, dialect } = self.origin;
        let sql = self.stmt.sql.as_str();
        let param_count = self.stmt.params.len() as u64;
        let params = &self.stmt.params;
        // Formatted only if a subscriber records the event.
        let error = error.map(tracing::field::display);
        if slow_after > 0 && duration_us >= slow_after {
            tracing::warn!(
                target: TARGET, pool, dialect, sql, param_count, params = ?params, rows,
                duration_us, start_ns, error, slow = true, "slow statement"
            );
        } else {
            tracing::debug!(
                target: TARGET, pool, dialect, sql, param_count, params = ?params, rows,
                duration_us, start_ns, error, slow = false, "statement"
            );
        }
    }
}
