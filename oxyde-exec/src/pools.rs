//! The registry of named pools.
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, RwLock};

use oxyde_sql::Dialect;

use crate::{ErrorKind, ExecError, Pool};

/// One open pool and what running on it needs.
pub(crate) struct PoolEntry {
    pub(crate) pool: Arc<dyn Pool>,
    pub(crate) dialect: &'static dyn Dialect,
    pub(crate) cleaner: tokio::task::AbortHandle,
}

static POOLS: LazyLock<RwLock<HashMap<String, Arc<PoolEntry>>>> = LazyLock::new(RwLock::default);

fn read() -> std::sync::RwLockReadGuard<'static, HashMap<String, Arc<PoolEntry>>> {
    // A panic elsewhere never leaves the map half-written, so poison is harmless.
    POOLS.read().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn write() -> std::sync::RwLockWriteGuard<'static, HashMap<String, Arc<PoolEntry>>> {
    POOLS.write().unwrap_or_else(std::sync::PoisonError::into_inner)
}

pub(crate) fn get(name: &str) -> Result<Arc<PoolEntry>, ExecError> {
    read()
        .get(name)
        .cloned()
        .ok_or_else(|| ExecError::new(ErrorKind::NotFound, format!("Pool '{name}' not found")))
}

pub(crate) fn contains(name: &str) -> bool {
    read().contains_key(name)
}

/// Inserts `entry`, handing back the entry it replaced.
pub(crate) fn insert(name: &str, entry: Arc<PoolEntry>) -> Option<Arc<PoolEntry>> {
    write().insert(name.to_owned(), entry)
}

pub(crate) fn remove(name: &str) -> Option<Arc<PoolEntry>> {
    write().remove(name)
}

pub(crate) fn names() -> Vec<String> {
    read().keys().cloned().collect()
}
