//! The registry of open transactions and the idle-transaction cleaner.
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, Mutex};
use std::time::{Duration, Instant};

use oxyde_sql::Dialect;

use crate::flight::{self, Tracked};
use crate::{ErrorKind, ExecError};

/// A transaction: the connection it holds until commit or rollback.
pub(crate) struct TxSlot {
    pub(crate) pool: String,
    pub(crate) dialect: &'static dyn Dialect,
    pub(crate) conn: Tracked,
    pub(crate) last_used: Instant,
    /// Set once COMMIT or ROLLBACK succeeded, so the connection may be pooled.
    pub(crate) finished: bool,
}

impl Drop for TxSlot {
    fn drop(&mut self) {
        // A connection still inside a transaction must never be reused.
        if !self.finished {
            self.conn.discard();
        }
    }
}

/// How a transaction ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum End {
    Commit,
    Rollback,
}

type Shared = Arc<tokio::sync::Mutex<TxSlot>>;

/// Pool name beside the slot, so filtering never waits on a busy slot.
static TXS: LazyLock<Mutex<HashMap<u64, (String, Shared)>>> = LazyLock::new(Mutex::default);
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

fn map() -> std::sync::MutexGuard<'static, HashMap<u64, (String, Shared)>> {
    TXS.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn not_found(id: u64) -> ExecError {
    ExecError::new(ErrorKind::NotFound, format!("Transaction '{id}' not found"))
}

pub(crate) fn insert(slot: TxSlot) -> u64 {
    let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
    let pool = slot.pool.clone();
    map().insert(id, (pool, Arc::new(tokio::sync::Mutex::new(slot))));
    id
}

pub(crate) fn get(id: u64) -> Result<Shared, ExecError> {
    map().get(&id).map(|(_, s)| Arc::clone(s)).ok_or_else(|| not_found(id))
}

pub(crate) fn take(id: u64) -> Result<Shared, ExecError> {
    map().remove(&id).map(|(_, s)| s).ok_or_else(|| not_found(id))
}

/// How many transactions of `pool` (all when `None`) are open.
pub(crate) fn count(pool: Option<&str>) -> usize {
    map()
        .values()
        .filter(|(p, _)| pool.is_none_or(|want| want == p))
        .count()
}

/// Removes the transactions of `pool` (all when `None`) and returns them.
pub(crate) fn take_all(pool: Option<&str>) -> Vec<Shared> {
    let mut m = map();
    let ids: Vec<u64> = m
        .iter()
        .filter(|(_, (p, _))| pool.is_none_or(|want| want == p))
        .map(|(id, _)| *id)
        .collect();
    ids.into_iter().filter_map(|id| m.remove(&id).map(|(_, s)| s)).collect()
}

/// Ends a transaction. One with a statement cut short is rolled back even
/// when asked to commit, and the commit then fails.
pub(crate) async fn finish(shared: &Shared, end: End) -> Result<(), ExecError> {
    let mut slot = shared.lock().await;
    if slot.finished {
        return Ok(());
    }
    let cut_short = slot.conn.was_cut_short();
    let result = if cut_short && !slot.conn.recover() {
        // The connection closes on drop, and the server rolls back.
        Ok(())
    } else {
        let commit = end == End::Commit && !cut_short;
        slot.conn.run_plain(if commit { "COMMIT" } else { "ROLLBACK" }).await
    };
    if result.is_err() {
        // State unknown after a failed COMMIT/ROLLBACK: discard the connection.
        slot.conn.discard();
    }
    slot.finished = true;
    result?;
    if cut_short && end == End::Commit {
        return Err(flight::aborted());
    }
    Ok(())
}

/// Rolls back, every `interval`, the transactions of `pool` idle longer than `timeout`.
pub(crate) async fn clean_forever(pool: String, interval: Duration, timeout: Duration) {
    loop {
        tokio::time::sleep(interval).await;
        let stale: Vec<Shared> = {
            let mut m = map();
            let ids: Vec<u64> = m
                .iter()
                .filter(|(_, (p, s))| *p == pool && s.try_lock().is_ok_and(|s| s.last_used.elapsed() > timeout))
                .map(|(id, _)| *id)
                .collect();
            ids.into_iter().filter_map(|id| m.remove(&id).map(|(_, s)| s)).collect()
        };
        for shared in stale {
            let _ = finish(&shared, End::Rollback).await;
        }
    }
}
