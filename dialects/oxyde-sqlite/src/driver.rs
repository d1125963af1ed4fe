//! The sqlx side of the sqlite dialect: pools, connections, registration.
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use async_trait::async_trait;
use oxyde_exec::sqlx_support::{fetch_rows, pool_options, stream_rows, HotConnection, HotPool};
use oxyde_exec::{
    BatchSink, Connection, Driver, DriverRegistration, ErrorKind, ExecError, Plan, Pool, PoolSettings, PoolStats,
    ResultWriter,
};
use oxyde_sql::Statement;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sqlx::{ConnectOptions as _, Connection as _, Executor as _, Sqlite};
use tokio::sync::Mutex;

use crate::{bind, decode, errors};

/// Opens sqlite pools through sqlx; registered with `oxyde-exec` for `sqlite:`
/// URLs, so callers go through [`oxyde_exec::init_pool`] rather than this type.
///
/// `sqlite::memory:` gives each pool its own in-memory database, shared by
/// the pool's connections; `sqlite:///app.db` is a file relative to the
/// working directory (created if missing), `sqlite:////abs/app.db` absolute.
///
/// ```
/// use std::collections::BTreeMap;
/// use oxyde_exec::PoolSettings;
/// use oxyde_ir::{encode_map, Value};
/// use oxyde_sqlite as _; // linked for its registrations
///
/// // An IR envelope for raw SQL with bound parameters.
/// fn raw(sql: &str, params: Vec<Value>) -> Vec<u8> {
///     let mut m = BTreeMap::new();
///     m.insert("proto", Value::Int(1));
///     m.insert("op", Value::Text("raw".into()));
///     m.insert("sql", Value::Text(sql.into()));
///     m.insert("params", Value::Array(params));
///     encode_map(&m)
/// }
///
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// oxyde_exec::init_pool("docs", "sqlite::memory:", PoolSettings::default(), false).await?;
/// oxyde_exec::execute("docs", &raw("CREATE TABLE t (n INTEGER)", vec![])).await?;
/// oxyde_exec::execute("docs", &raw("INSERT INTO t VALUES (?), (?)", vec![Value::Int(1), Value::Int(2)])).await?;
/// let result = oxyde_exec::execute("docs", &raw("SELECT SUM(n) AS total FROM t", vec![])).await?;
/// // Columns once, rows, rows affected, last insert id (`docs/ir.md`, "Results").
/// let (columns, rows, _, _): (Vec<String>, Vec<(i64,)>, u64, Option<i64>) = rmp_serde::from_slice(&result).unwrap();
/// assert_eq!((columns, rows), (vec!["total".to_owned()], vec![(3,)]));
/// oxyde_exec::close_pool("docs").await
/// # }).unwrap();
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct SqliteDriver;

inventory::submit! {
    DriverRegistration::new("sqlite", &["sqlite"], &SqliteDriver)
}

static MEMORY_SEQ: AtomicU64 = AtomicU64::new(0);

/// Where a `sqlite:` URL points.
#[derive(Debug, PartialEq, Eq)]
enum Target {
    Memory,
    File(PathBuf),
}

/// `sqlite::memory:`, `sqlite://:memory:`, `sqlite:///:memory:` are memory;
/// `sqlite:///rel.db` and `sqlite://rel.db` are relative to the working
/// directory, `sqlite:////abs.db` absolute. A query string is ignored.
fn parse_url(url: &str) -> Result<Target, ExecError> {
    let bad = |why: &str| ExecError::new(ErrorKind::Config, format!("invalid sqlite url '{url}': {why}"));
    let rest = url
        .get(url.find(':').map_or(0, |i| i + 1)..)
        .ok_or_else(|| bad("missing path"))?;
    let rest = rest.split_once('?').map_or(rest, |(p, _)| p);
    let path = if let Some(p) = rest.strip_prefix("///") {
        p
    } else if let Some(p) = rest.strip_prefix("//") {
        p
    } else {
        rest
    };
    match path {
        "" => Err(bad("missing path")),
        ":memory:" => Ok(Target::Memory),
        p => Ok(Target::File(PathBuf::from(p))),
    }
}

fn connect_options(target: &Target, settings: &PoolSettings) -> SqliteConnectOptions {
    let mut opts = SqliteConnectOptions::new().foreign_keys(true);
    opts = match target {
        // A uniquely named shared-cache database, so every connection of this
        // pool (and only this pool) sees the same data.
        Target::Memory => opts
            .filename(format!("file:oxyde_mem_{}", MEMORY_SEQ.fetch_add(1, Ordering::Relaxed)))
            .in_memory(true)
            .shared_cache(true),
        Target::File(path) => opts.filename(path).create_if_missing(true),
    };
    if let Some(v) = &settings.sqlite_journal_mode {
        opts = opts.pragma("journal_mode", v.clone());
    }
    if let Some(v) = &settings.sqlite_synchronous {
        opts = opts.pragma("synchronous", v.clone());
    }
    if let Some(v) = settings.sqlite_cache_size {
        opts = opts.pragma("cache_size", v.to_string());
    }
    if let Some(v) = settings.sqlite_busy_timeout {
        opts = opts.pragma("busy_timeout", v.to_string());
    }
    opts
}

#[async_trait]
impl Driver for SqliteDriver {
    fn dialect_name(&self) -> &'static str {
        "sqlite"
    }

    async fn open(&self, url: &str, settings: &PoolSettings) -> Result<Box<dyn Pool>, ExecError> {
        let target = parse_url(url)?;
        let opts = connect_options(&target, settings);
        // The memory database lives as long as one connection to it does.
        let keeper = match target {
            Target::Memory => Some(opts.connect().await.map_err(errors::map)?),
            Target::File(_) => None,
        };
        let pool = pool_options(settings).connect_with(opts).await.map_err(errors::map)?;
        Ok(Box::new(SqliteDbPool {
            pool: HotPool::new(pool),
            keeper: Mutex::new(keeper),
        }))
    }
}

struct SqliteDbPool {
    pool: HotPool<Sqlite>,
    keeper: Mutex<Option<SqliteConnection>>,
}

#[async_trait]
impl Pool for SqliteDbPool {
    async fn acquire(&self) -> Result<Box<dyn Connection>, ExecError> {
        let conn = self.pool.acquire().await.map_err(errors::map)?;
        Ok(Box::new(SqliteConn {
            conn,
            in_transaction: false,
        }))
    }

    async fn close(&self) {
        self.pool.close().await;
        if let Some(keeper) = self.keeper.lock().await.take() {
            let _ = keeper.close().await;
        }
    }

    fn stats(&self) -> PoolStats {
        self.pool.stats()
    }
}

struct SqliteConn {
    conn: HotConnection<Sqlite>,
    /// Between our `BEGIN` and its `COMMIT`/`ROLLBACK`.
    in_transaction: bool,
}

/// A read of `sqlite_master` checks the schema cookie, so the connection
/// loads the current schema before it prepares a statement.
const SCHEMA_CHECK: &str = "SELECT 1 FROM sqlite_master LIMIT 1";

impl SqliteConn {
    /// Loads the current schema first when the result columns follow it (see `run`).
    async fn check_schema(&mut self, plan: &Plan<'_>) -> Result<(), ExecError> {
        if plan.has_open_result_columns() && !self.in_transaction {
            self.conn
                .execute(sqlx::raw_sql(SCHEMA_CHECK))
                .await
                .map_err(errors::map)?;
        }
        Ok(())
    }
}

#[async_trait]
impl Connection for SqliteConn {
    async fn stream(
        &mut self,
        stmt: &Statement,
        plan: &Plan<'_>,
        batch: usize,
        sink: &BatchSink,
    ) -> Result<(), ExecError> {
        self.check_schema(plan).await?;
        let args = bind::arguments(&stmt.params, plan)?;
        let query = sqlx::query_with(&stmt.sql, args).persistent(!plan.has_open_result_columns());
        stream_rows(&mut *self.conn, query, batch, sink, errors::map, |rows, out| {
            decode::write_rows(rows, plan, out)
        })
        .await
    }

    async fn run(&mut self, stmt: &Statement, plan: &Plan<'_>, out: &mut ResultWriter) -> Result<(), ExecError> {
        if plan.has_open_result_columns() && !self.in_transaction {
            // A connection prepares against the schema it last read; if another
            // connection changed it since, SQLite re-prepares at the first step and
            // sqlx-sqlite, which keeps the column list of prepare time (and caches
            // statements), panics in its worker and every row is lost. So the
            // current schema loads first (inside a transaction, it loaded at BEGIN).
            self.conn
                .execute(sqlx::raw_sql(SCHEMA_CHECK))
                .await
                .map_err(errors::map)?;
        }
        let args = bind::arguments(&stmt.params, plan)?;
        // Open result columns are prepared afresh, never from the cache (see above).
        let query = sqlx::query_with(&stmt.sql, args).persistent(!plan.has_open_result_columns());
        let (rows, done) = fetch_rows(&mut *self.conn, query).await.map_err(errors::map)?;
        decode::write_rows(&rows, plan, out)?;
        out.set_rows_affected(done.rows_affected());
        out.set_last_insert_id(
            (plan.reports_insert_id() && done.rows_affected() > 0).then(|| done.last_insert_rowid()),
        );
        Ok(())
    }

    async fn run_plain(&mut self, sql: &str) -> Result<(), ExecError> {
        if sql == "BEGIN" {
            // The schema check runs before BEGIN, not inside: a read inside a
            // deferred transaction makes its first write an upgrade, which
            // SQLite refuses at once (SQLITE_BUSY, no busy_timeout wait) when
            // another connection writes (https://sqlite.org/lang_transaction.html).
            self.conn
                .execute(sqlx::raw_sql(SCHEMA_CHECK))
                .await
                .map_err(errors::map)?;
        }
        self.conn.execute(sqlx::raw_sql(sql)).await.map_err(errors::map)?;
        match sql {
            "BEGIN" => self.in_transaction = true,
            "COMMIT" | "ROLLBACK" => self.in_transaction = false,
            _ => {}
        }
        Ok(())
    }

    fn close_on_drop(&mut self) {
        self.conn.close_on_drop();
    }

    fn check_before_reuse(&mut self) {
        self.conn.check_before_reuse();
    }

    fn survives_cancellation(&self) -> bool {
        // Statements run on sqlx-sqlite's worker thread, one at a time, and
        // finish there when their caller is gone: the connection stays in step.
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_resolve_like_the_spec_says() {
        assert_eq!(parse_url("sqlite::memory:").unwrap(), Target::Memory);
        assert_eq!(parse_url("sqlite://:memory:").unwrap(), Target::Memory);
        assert_eq!(parse_url("sqlite:///:memory:").unwrap(), Target::Memory);
        assert_eq!(parse_url("sqlite:///rel.db").unwrap(), Target::File("rel.db".into()));
        assert_eq!(parse_url("sqlite://rel.db").unwrap(), Target::File("rel.db".into()));
        assert_eq!(
            parse_url("sqlite:////abs/x.db").unwrap(),
            Target::File("/abs/x.db".into())
        );
        assert_eq!(parse_url("sqlite://").unwrap_err().kind(), ErrorKind::Config);
    }
}
