//! Pool statistics: what a pool holds right now, for monitoring and leak tests.
use crate::{pools, tx, ExecError};

/// A snapshot of one pool: its connections and the transactions holding them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct PoolStats {
    /// Open connections, idle or checked out.
    pub size: u32,
    /// Open connections waiting in the pool.
    pub idle: u32,
    /// Connections checked out (by a query or a transaction).
    pub in_use: u32,
    /// The configured lower bound kept open.
    pub min_connections: u32,
    /// The configured upper bound.
    pub max_connections: u32,
    /// Transactions of this pool open in the registry (each holds a connection).
    pub transactions: u32,
}

impl PoolStats {
    /// The connection counts a driver reports; `in_use` is derived, `transactions` left at 0.
    pub fn connections(size: u32, idle: u32, min_connections: u32, max_connections: u32) -> Self {
        Self {
            size,
            idle,
            // sqlx counts a connection being opened in `size` but not in `idle`.
            in_use: size.saturating_sub(idle),
            min_connections,
            max_connections,
            transactions: 0,
        }
    }

    /// From a sqlx pool, for the drivers built on it.
    #[cfg(feature = "sqlx")]
    pub fn of_sqlx<DB: sqlx::Database>(pool: &sqlx::Pool<DB>) -> Self {
        let options = pool.options();
        Self::connections(
            pool.size(),
            u32::try_from(pool.num_idle()).unwrap_or(u32::MAX),
            options.get_min_connections(),
            options.get_max_connections(),
        )
    }
}

/// Statistics of the pool named `name`.
///
/// # Errors
/// [`crate::ErrorKind::NotFound`] when no pool has that name.
pub fn pool_stats(name: &str) -> Result<PoolStats, ExecError> {
    let entry = pools::get(name)?;
    let mut stats = entry.pool.stats();
    stats.transactions = u32::try_from(tx::count(Some(name))).unwrap_or(u32::MAX);
    Ok(stats)
}
