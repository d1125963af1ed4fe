//! Statements cut short. A task cancelled mid-statement drops its future
//! while the database is still answering, so the connection's protocol state
//! is unknown: unless the driver says its connections survive that, such a
//! connection is closed instead of pooled, and its transaction (which closing
//! rolls back on the server) refuses further statements and COMMIT.
use crate::{Connection, ErrorKind, ExecError};

/// What a transaction with a cut-short statement answers to anything but rollback.
pub(crate) fn aborted() -> ExecError {
    ExecError::new(
        ErrorKind::Database,
        "transaction aborted: one of its statements was cancelled before it finished; only rollback is possible",
    )
}

/// A connection that remembers whether a statement on it was cut short.
pub(crate) struct Tracked {
    conn: Box<dyn Connection>,
    cut_short: bool,
    beginning: bool,
}

/// One statement in flight; [`Flight::landed`] once it finished, given its
/// result. Dropped before that, it leaves the connection cut short.
pub(crate) struct Flight<'a> {
    pub(crate) conn: &'a mut dyn Connection,
    cut_short: &'a mut bool,
}

impl Flight<'_> {
    /// After a failure the connection may be broken (a restarted server):
    /// the pool checks it before anyone reuses it.
    pub(crate) fn landed<T>(self, result: &Result<T, ExecError>) {
        if result.is_err() {
            self.conn.check_before_reuse();
        }
        *self.cut_short = false;
    }
}

impl Tracked {
    pub(crate) fn new(conn: Box<dyn Connection>) -> Self {
        Self {
            conn,
            cut_short: false,
            beginning: false,
        }
    }

    /// The connection for one statement; an error once a statement was cut short.
    pub(crate) fn start(&mut self) -> Result<Flight<'_>, ExecError> {
        if self.cut_short {
            return Err(aborted());
        }
        self.cut_short = true;
        Ok(Flight {
            conn: self.conn.as_mut(),
            cut_short: &mut self.cut_short,
        })
    }

    /// Runs a statement without parameters or rows, tracked.
    pub(crate) async fn run_plain(&mut self, sql: &str) -> Result<(), ExecError> {
        let flight = self.start()?;
        let result = flight.conn.run_plain(sql).await;
        flight.landed(&result);
        result
    }

    /// BEGIN. Cut short, it may still run later and leave the connection
    /// inside a transaction, so it is closed then on every driver.
    pub(crate) async fn begin(&mut self) -> Result<(), ExecError> {
        self.beginning = true;
        let result = self.run_plain("BEGIN").await;
        self.beginning = false;
        result
    }

    pub(crate) fn was_cut_short(&self) -> bool {
        self.cut_short
    }

    /// After a cut-short statement: true, and usable again, when the driver's
    /// connections survive it; false, and closed on drop, otherwise.
    pub(crate) fn recover(&mut self) -> bool {
        if self.conn.survives_cancellation() && !self.beginning {
            self.cut_short = false;
            return true;
        }
        self.conn.close_on_drop();
        false
    }

    /// Closes the connection on drop instead of pooling it.
    pub(crate) fn discard(&mut self) {
        self.conn.close_on_drop();
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        if self.cut_short {
            self.recover();
        }
    }
}
