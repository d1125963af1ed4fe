//! A sqlx pool with a short stack of recently used connections in front.
//!
//! sqlx pings every connection handed back to its pool before another caller
//! may take it: one more round trip per statement. A connection handed back
//! here goes on the stack instead, and the next acquire takes the most recent
//! one. A connection idle on the stack for [`HOT_FOR`] goes back to sqlx
//! (ping, idle timeout, lifetime: sqlx's rules again), so a quiet pool
//! shrinks as before; so does one to be discarded or a closed pool's.
use std::ops::{Deref, DerefMut};
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::time::{Duration, Instant};

use sqlx::pool::PoolConnection;
use sqlx::{Database, Pool};
use tokio::sync::Notify;

use crate::PoolStats;

/// How long a connection may wait on the stack before sqlx takes it back.
pub const HOT_FOR: Duration = Duration::from_secs(1);

struct Stack<DB: Database> {
    state: Mutex<State<DB>>,
    /// Wakes an acquire waiting on sqlx when a connection lands on the stack.
    freed: Notify,
}

/// The stacked connections, oldest first, each with the time it landed.
struct State<DB: Database> {
    conns: Vec<(PoolConnection<DB>, Instant)>,
    /// Set by `close`, under the same lock, so no connection lands after the
    /// stack was emptied (sqlx's close waits for every connection).
    closed: bool,
}

impl<DB: Database> Stack<DB> {
    fn lock(&self) -> std::sync::MutexGuard<'_, State<DB>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn pop(&self) -> Option<PoolConnection<DB>> {
        self.lock().conns.pop().map(|(conn, _)| conn)
    }

    /// Puts `conn` on the stack; hands it back when the pool is closed.
    fn push(&self, conn: PoolConnection<DB>) -> Option<PoolConnection<DB>> {
        let mut state = self.lock();
        if state.closed {
            return Some(conn);
        }
        state.conns.push((conn, Instant::now()));
        None
    }

    /// Takes the connections idle longer than `age` (all for zero), for sqlx.
    fn take_older_than(&self, age: Duration) -> Vec<(PoolConnection<DB>, Instant)> {
        let mut state = self.lock();
        let fresh = state
            .conns
            .iter()
            .position(|(_, at)| at.elapsed() < age)
            .unwrap_or(state.conns.len());
        state.conns.drain(..fresh).collect()
    }
}

/// A sqlx pool and its stack of recently used connections.
pub struct HotPool<DB: Database> {
    pool: Pool<DB>,
    stack: Arc<Stack<DB>>,
    sweeper: tokio::task::AbortHandle,
}

impl<DB: Database> HotPool<DB> {
    /// Wraps `pool`; spawns the task returning stale connections to it, so it
    /// must run inside a tokio runtime.
    pub fn new(pool: Pool<DB>) -> Self {
        let stack = Arc::new(Stack {
            state: Mutex::new(State {
                conns: Vec::new(),
                closed: false,
            }),
            freed: Notify::new(),
        });
        let sweeper = tokio::spawn(sweep(Arc::downgrade(&stack))).abort_handle();
        Self { pool, stack, sweeper }
    }

    /// The most recently used connection, else one from sqlx.
    ///
    /// # Errors
    /// sqlx's acquire error (pool timed out or closed, connect failed).
    pub async fn acquire(&self) -> Result<HotConnection<DB>, sqlx::Error> {
        loop {
            if let Some(conn) = self.stack.pop() {
                return Ok(self.wrap(conn));
            }
            // Registered before looking again, so a connection freed in between wakes us.
            let freed = self.stack.freed.notified();
            tokio::pin!(freed);
            freed.as_mut().enable();
            if let Some(conn) = self.stack.pop() {
                return Ok(self.wrap(conn));
            }
            tokio::select! {
                conn = self.pool.acquire() => return conn.map(|c| self.wrap(c)),
                () = &mut freed => {}
            }
        }
    }

    fn wrap(&self, conn: PoolConnection<DB>) -> HotConnection<DB> {
        HotConnection {
            conn: Some(conn),
            stack: Arc::clone(&self.stack),
            discard: false,
            check: false,
        }
    }

    /// Returns the stacked connections to sqlx and closes the pool.
    pub async fn close(&self) {
        self.stack.lock().closed = true;
        self.sweeper.abort();
        drop(self.stack.take_older_than(Duration::ZERO));
        self.pool.close().await;
    }

    /// The pool's counts, stacked connections counted idle.
    pub fn stats(&self) -> PoolStats {
        let mut stats = PoolStats::of_sqlx(&self.pool);
        let stacked = u32::try_from(self.stack.lock().conns.len()).unwrap_or(u32::MAX);
        stats.idle = stats.idle.saturating_add(stacked).min(stats.size);
        stats.in_use = stats.size.saturating_sub(stats.idle);
        stats
    }

    /// The sqlx pool underneath.
    pub fn inner(&self) -> &Pool<DB> {
        &self.pool
    }
}

impl<DB: Database> Drop for HotPool<DB> {
    fn drop(&mut self) {
        self.sweeper.abort();
    }
}

async fn sweep<DB: Database>(stack: Weak<Stack<DB>>) {
    loop {
        tokio::time::sleep(HOT_FOR).await;
        let Some(stack) = stack.upgrade() else { return };
        // Dropped outside the lock: each drop starts sqlx's return.
        drop(stack.take_older_than(HOT_FOR));
    }
}

/// A connection of a [`HotPool`]: dropped, it goes on the stack, or to sqlx
/// after [`HotConnection::close_on_drop`] or once the pool is closed.
pub struct HotConnection<DB: Database> {
    conn: Option<PoolConnection<DB>>,
    stack: Arc<Stack<DB>>,
    discard: bool,
    /// Handed back to sqlx, which pings it, rather than stacked.
    check: bool,
}

impl<DB: Database> HotConnection<DB> {
    /// Hands the connection back to sqlx when dropped, so it is pinged (and
    /// closed if broken) before reuse; for one whose statement failed.
    pub fn check_before_reuse(&mut self) {
        self.check = true;
    }

    /// Closes the connection when dropped instead of reusing it.
    pub fn close_on_drop(&mut self) {
        self.discard = true;
        if let Some(conn) = &mut self.conn {
            conn.close_on_drop();
        }
    }
}

impl<DB: Database> Deref for HotConnection<DB> {
    type Target = DB::Connection;
    fn deref(&self) -> &DB::Connection {
        self.conn
            .as_deref()
            .unwrap_or_else(|| unreachable!("taken only in drop"))
    }
}

impl<DB: Database> DerefMut for HotConnection<DB> {
    fn deref_mut(&mut self) -> &mut DB::Connection {
        self.conn
            .as_deref_mut()
            .unwrap_or_else(|| unreachable!("taken only in drop"))
    }
}

impl<DB: Database> Drop for HotConnection<DB> {
    fn drop(&mut self) {
        let Some(conn) = self.conn.take() else { return };
        if self.discard || self.check {
            return; // dropped: sqlx closes it, or checks it
        }
        match self.stack.push(conn) {
            None => self.stack.freed.notify_one(),
            Some(refused) => drop(refused), // the pool is closing: sqlx takes it back
        }
    }
}
