//! A sqlx pool with a short stack of recently used connections in front.
//!
//! sqlx pings every connection handed back to its pool before another caller
//! may take it: one more round trip per statement. A connection handed back
//! here goes on the stack instead, and the next acquire takes the most recent
//! one. While a caller waits on sqlx (the stack was empty), connections go
//! back through sqlx, which hands them to its waiters and opens new ones up
//! to the limit: the stack never starves a waiter or keeps the pool small.
//! A connection idle on the stack for [`HOT_FOR`] goes back to sqlx (ping,
//! idle timeout, lifetime: sqlx's rules again), so a quiet pool shrinks as
//! before; so does one to be discarded, one whose statement failed, or a
//! closed pool's.
use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::time::{Duration, Instant};

use sqlx::pool::PoolConnection;
use sqlx::{Database, Pool};

use crate::PoolStats;

/// How long a connection may wait on the stack before sqlx takes it back.
pub const HOT_FOR: Duration = Duration::from_secs(1);

struct Stack<DB: Database> {
    state: Mutex<State<DB>>,
    /// Callers waiting on sqlx; while there are any, connections go to sqlx.
    waiting: AtomicUsize,
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

    /// Takes the connections idle longer than `age`, for sqlx.
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
            waiting: AtomicUsize::new(0),
        });
        let sweeper = tokio::spawn(sweep(Arc::downgrade(&stack))).abort_handle();
        Self { pool, stack, sweeper }
    }

    /// The most recently used connection, else one from sqlx.
    ///
    /// # Errors
    /// sqlx's acquire error (pool timed out or closed, connect failed).
    pub async fn acquire(&self) -> Result<HotConnection<DB>, sqlx::Error> {
        if let Some(conn) = self.stack.pop() {
            return Ok(self.wrap(conn));
        }
        let _waiting = Waiting::register(&self.stack.waiting);
        // Looked at again once registered: a connection stacked in between is
        // either seen here or, seeing us wait, handed to sqlx by its releaser.
        if let Some(conn) = self.stack.pop() {
            return Ok(self.wrap(conn));
        }
        self.pool.acquire().await.map(|c| self.wrap(c))
    }

    fn wrap(&self, conn: PoolConnection<DB>) -> HotConnection<DB> {
        HotConnection {
            conn: Some(conn),
            stack: Arc::clone(&self.stack),
            to_sqlx: false,
        }
    }

    /// Returns the stacked connections to sqlx and closes the pool.
    pub async fn close(&self) {
        let stacked = {
            let mut state = self.stack.lock();
            state.closed = true;
            std::mem::take(&mut state.conns)
        };
        self.sweeper.abort();
        drop(stacked);
        self.pool.close().await;
    }

    /// The pool's counts, stacked connections counted idle.
    pub fn stats(&self) -> PoolStats {
        let sqlx = PoolStats::of_sqlx(&self.pool);
        let stacked = u32::try_from(self.stack.lock().conns.len()).unwrap_or(u32::MAX);
        let idle = sqlx.idle.saturating_add(stacked).min(sqlx.size);
        PoolStats::connections(sqlx.size, idle, sqlx.min_connections, sqlx.max_connections)
    }
}

impl<DB: Database> Drop for HotPool<DB> {
    fn drop(&mut self) {
        self.sweeper.abort();
    }
}

/// Counts a caller waiting on sqlx for as long as it lives (also when the
/// acquire is cancelled).
struct Waiting<'a>(&'a AtomicUsize);

impl<'a> Waiting<'a> {
    fn register(count: &'a AtomicUsize) -> Self {
        count.fetch_add(1, Ordering::SeqCst);
        Self(count)
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
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
    /// Handed back to sqlx on drop (to be checked or closed), never stacked.
    to_sqlx: bool,
}

impl<DB: Database> HotConnection<DB> {
    /// Hands the connection back to sqlx when dropped, so it is pinged (and
    /// closed if broken) before reuse; for one whose statement failed.
    pub fn check_before_reuse(&mut self) {
        self.to_sqlx = true;
    }

    /// Closes the connection when dropped instead of reusing it.
    pub fn close_on_drop(&mut self) {
        self.to_sqlx = true;
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
        if self.to_sqlx {
            return; // dropped: sqlx closes it, or checks it
        }
        // Refused when the pool is closing: dropped, sqlx takes it back.
        drop(self.stack.push(conn));
        // Pairs with the waiter's count-then-look: one of the two sees the other.
        std::sync::atomic::fence(Ordering::SeqCst);
        if self.stack.waiting.load(Ordering::SeqCst) > 0 {
            // Someone waits on sqlx: give it one through sqlx (ours or a newer one).
            drop(self.stack.pop());
        }
    }
}
