use std::time::Duration;

/// Pool settings; `None` means the core default (see `spec/connections.md` §5).
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct PoolSettings {
    /// Upper bound of open connections (default 10).
    pub max_connections: Option<u32>,
    /// Connections kept open (default 1).
    pub min_connections: Option<u32>,
    /// Max wait for a free connection (default 30 s).
    pub acquire_timeout: Option<Duration>,
    /// Close connections idle longer than this (default 600 s).
    pub idle_timeout: Option<Duration>,
    /// Recycle connections older than this (default 1800 s).
    pub max_lifetime: Option<Duration>,
    /// Ping before handing a connection out (default false).
    pub test_before_acquire: Option<bool>,
    /// Roll back transactions idle longer than this (default 300 s).
    pub transaction_timeout: Option<Duration>,
    /// How often the idle-transaction cleaner runs (default 60 s).
    pub transaction_cleanup_interval: Option<Duration>,
    /// SQLite `PRAGMA journal_mode`.
    pub sqlite_journal_mode: Option<String>,
    /// SQLite `PRAGMA synchronous`.
    pub sqlite_synchronous: Option<String>,
    /// SQLite `PRAGMA cache_size`.
    pub sqlite_cache_size: Option<i64>,
    /// SQLite `PRAGMA busy_timeout` in milliseconds.
    pub sqlite_busy_timeout: Option<i64>,
    /// TLS mode (PostgreSQL or MySQL spelling, case-insensitive, `-` or `_`).
    pub ssl_mode: Option<String>,
    /// CA certificate path.
    pub ssl_root_cert: Option<String>,
    /// Client certificate path.
    pub ssl_client_cert: Option<String>,
    /// Client key path.
    pub ssl_client_key: Option<String>,
    /// PostgreSQL `application_name`.
    pub pg_application_name: Option<String>,
    /// PostgreSQL prepared-statement cache per connection (default 100).
    pub pg_statement_cache_capacity: Option<usize>,
    /// MySQL connection charset (default utf8mb4).
    pub mysql_charset: Option<String>,
    /// MySQL collation.
    pub mysql_collation: Option<String>,
}

impl PoolSettings {
    /// Default `max_connections`.
    pub const DEFAULT_MAX_CONNECTIONS: u32 = 10;
    /// Default `min_connections`.
    pub const DEFAULT_MIN_CONNECTIONS: u32 = 1;

    /// Effective upper bound of open connections.
    pub fn effective_max_connections(&self) -> u32 {
        self.max_connections.unwrap_or(Self::DEFAULT_MAX_CONNECTIONS)
    }
    /// Effective number of connections kept open.
    pub fn effective_min_connections(&self) -> u32 {
        self.min_connections.unwrap_or(Self::DEFAULT_MIN_CONNECTIONS)
    }
    /// Effective acquire timeout.
    pub fn effective_acquire_timeout(&self) -> Duration {
        self.acquire_timeout.unwrap_or(Duration::from_secs(30))
    }
    /// Effective idle timeout.
    pub fn effective_idle_timeout(&self) -> Duration {
        self.idle_timeout.unwrap_or(Duration::from_secs(600))
    }
    /// Effective connection lifetime.
    pub fn effective_max_lifetime(&self) -> Duration {
        self.max_lifetime.unwrap_or(Duration::from_secs(1800))
    }
    /// Effective ping-before-acquire flag.
    pub fn effective_test_before_acquire(&self) -> bool {
        self.test_before_acquire.unwrap_or(false)
    }
    /// Effective idle-transaction timeout.
    pub fn effective_transaction_timeout(&self) -> Duration {
        self.transaction_timeout.unwrap_or(Duration::from_secs(300))
    }
    /// Effective cleaner period (never zero, so the cleaner cannot spin).
    pub fn effective_transaction_cleanup_interval(&self) -> Duration {
        self.transaction_cleanup_interval
            .unwrap_or(Duration::from_secs(60))
            .max(Duration::from_millis(10))
    }
    /// The TLS mode lower-cased with `_` spelled `-`, e.g. `verify-full`.
    pub fn normalized_ssl_mode(&self) -> Option<String> {
        self.ssl_mode
            .as_ref()
            .map(|m| m.trim().to_ascii_lowercase().replace('_', "-"))
    }

    /// Checks settings that make no sense whatever the database.
    pub fn validate(&self) -> Result<(), crate::ExecError> {
        if self.effective_min_connections() > self.effective_max_connections() {
            return Err(crate::ExecError::new(
                crate::ErrorKind::Config,
                "Invalid pool settings: min_connections cannot exceed max_connections",
            ));
        }
        if self.effective_max_connections() == 0 {
            return Err(crate::ExecError::new(
                crate::ErrorKind::Config,
                "Invalid pool settings: max_connections must be at least 1",
            ));
        }
        Ok(())
    }
}
