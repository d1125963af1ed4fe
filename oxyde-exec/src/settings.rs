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
