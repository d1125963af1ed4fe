//! The sqlx side of the postgres dialect: pools, connections, registration.
use std::str::FromStr as _;

use async_trait::async_trait;
use oxyde_exec::sqlx_support::{fetch_rows, open_pool, pool_options, stream_rows, HotConnection, HotPool};
use oxyde_exec::{
    BatchSink, Connection, Driver, DriverRegistration, ErrorKind, ExecError, Plan, Pool, PoolSettings, PoolStats,
    ResultWriter,
};
use oxyde_sql::Statement;
use sqlx::postgres::{PgConnectOptions, PgRow, PgSslMode};
use sqlx::{Executor as _, Postgres};

use crate::{bind, decode, errors, pooler};

/// Opens postgres pools through sqlx; registered with `oxyde-exec` for
/// `postgres://` and `postgresql://` URLs, so callers go through
/// [`oxyde_exec::init_pool`] rather than this type.
///
/// [`oxyde_exec::PoolSettings`] carries the TLS options (`ssl_mode`:
/// `disable` ... `verify-full`), `pg_application_name` and
/// `pg_statement_cache_capacity`. A capacity of 0 (or the URL's
/// `statement-cache-capacity=0`) is for transaction-pooling proxies such as
/// `PgBouncer`: statements are unnamed and each runs in its own transaction,
/// so its two round trips reach one server connection.
///
/// ```no_run
/// use oxyde_exec::PoolSettings;
/// use oxyde_postgres as _; // linked for its registrations
///
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let mut settings = PoolSettings::default();
/// settings.pg_statement_cache_capacity = Some(0); // behind PgBouncer, pool_mode = transaction
/// let dialect = oxyde_exec::init_pool("default", "postgres://app@127.0.0.1:6432/app", settings, false).await?;
/// assert_eq!(dialect, "postgres");
/// oxyde_exec::close_pool("default").await
/// # }).unwrap();
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct PostgresDriver;

inventory::submit! {
    DriverRegistration::new("postgres", &["postgres", "postgresql"], &PostgresDriver)
}

fn connect_options(url: &str, settings: &PoolSettings) -> Result<PgConnectOptions, ExecError> {
    let mut opts = PgConnectOptions::from_str(url)
        .map_err(|e| ExecError::with_source(ErrorKind::Config, format!("invalid postgres url: {e}"), e))?;
    if let Some(mode) = settings.normalized_ssl_mode() {
        let mode = match mode.as_str() {
            "disable" => PgSslMode::Disable,
            "allow" => PgSslMode::Allow,
            "prefer" => PgSslMode::Prefer,
            "require" => PgSslMode::Require,
            "verify-ca" => PgSslMode::VerifyCa,
            "verify-full" => PgSslMode::VerifyFull,
            other => {
                return Err(ExecError::new(
                    ErrorKind::Config,
                    format!(
                        "invalid ssl_mode '{other}' for postgres; expected disable, allow, prefer, require, verify-ca or verify-full"
                    ),
                ))
            }
        };
        opts = opts.ssl_mode(mode);
    }
    if let Some(p) = &settings.ssl_root_cert {
        opts = opts.ssl_root_cert(p);
    }
    if let Some(p) = &settings.ssl_client_cert {
        opts = opts.ssl_client_cert(p);
    }
    if let Some(p) = &settings.ssl_client_key {
        opts = opts.ssl_client_key(p);
    }
    if let Some(name) = &settings.pg_application_name {
        opts = opts.application_name(name);
    }
    // Unset keeps the URL's `statement-cache-capacity` (sqlx's default: 100).
    if let Some(capacity) = settings.pg_statement_cache_capacity {
        opts = opts.statement_cache_capacity(capacity);
    }
    Ok(opts)
}

#[async_trait]
impl Driver for PostgresDriver {
    fn dialect_name(&self) -> &'static str {
        "postgres"
    }

    async fn open(&self, url: &str, settings: &PoolSettings) -> Result<Box<dyn Pool>, ExecError> {
        let opts = connect_options(url, settings)?;
        let unnamed = pooler::cache_off(&opts);
        let pool = open_pool(pool_options(settings), opts).await.map_err(errors::map)?;
        Ok(Box::new(PgDbPool {
            pool: HotPool::new(pool),
            unnamed,
        }))
    }
}

struct PgDbPool {
    pool: HotPool<Postgres>,
    /// Statement cache off: unnamed statements, pinned (see `pooler`).
    unnamed: bool,
}

#[async_trait]
impl Pool for PgDbPool {
    async fn acquire(&self) -> Result<Box<dyn Connection>, ExecError> {
        let conn = self.pool.acquire().await.map_err(errors::map)?;
        Ok(Box::new(PgConn {
            conn,
            in_transaction: false,
            unnamed: self.unnamed,
        }))
    }

    async fn close(&self) {
        self.pool.close().await;
    }

    fn stats(&self) -> PoolStats {
        self.pool.stats()
    }
}

struct PgConn {
    conn: HotConnection<Postgres>,
    /// Inside BEGIN ... COMMIT/ROLLBACK issued through `run_plain`.
    in_transaction: bool,
    unnamed: bool,
}

/// Whether the statement's plan may be kept on the connection. Never behind a
/// transaction pooler (see `pooler`), nor when its result columns follow the
/// schema (`SELECT *`, `RETURNING *`, raw SQL): a kept plan whose columns
/// another connection changed fails with "cached plan must not change result
/// type", which inside a transaction cannot be retried.
fn cache_plan(unnamed: bool, plan: &Plan<'_>) -> bool {
    !unnamed && !plan.has_open_result_columns()
}

impl PgConn {
    async fn fetch(&mut self, stmt: &Statement, plan: &Plan<'_>) -> Result<(Vec<PgRow>, u64), ExecError> {
        let args = bind::arguments(&stmt.params, plan)?;
        let sql = bind::keyed_sql(&stmt.sql, &stmt.params);
        let query = sqlx::query_with(&sql, args).persistent(cache_plan(self.unnamed, plan));
        let (rows, done) = if self.unnamed && !self.in_transaction {
            let simple = stmt.params.is_empty().then_some(stmt.sql.as_str());
            pooler::fetch_pinned(&mut self.conn, query, simple).await
        } else {
            fetch_rows(&mut *self.conn, query).await
        }
        .map_err(errors::map)?;
        Ok((rows, done.rows_affected()))
    }
}

#[async_trait]
impl Connection for PgConn {
    async fn stream(
        &mut self,
        stmt: &Statement,
        plan: &Plan<'_>,
        batch: usize,
        sink: &BatchSink,
    ) -> Result<(), ExecError> {
        if self.unnamed && !self.in_transaction {
            // Behind a transaction pooler a statement runs whole (see `pooler`): one batch.
            let mut out = ResultWriter::new(true);
            self.run(stmt, plan, &mut out).await?;
            let _ = sink.send(Ok(out.finish())).await;
            return Ok(());
        }
        let args = bind::arguments(&stmt.params, plan)?;
        let sql = bind::keyed_sql(&stmt.sql, &stmt.params);
        let query = sqlx::query_with(&sql, args).persistent(cache_plan(self.unnamed, plan));
        stream_rows(&mut *self.conn, query, batch, sink, errors::map, |rows, out| {
            decode::write_rows(rows, plan, out)
        })
        .await
    }

    async fn run(&mut self, stmt: &Statement, plan: &Plan<'_>, out: &mut ResultWriter) -> Result<(), ExecError> {
        let (rows, affected) = match self.fetch(stmt, plan).await {
            Err(e) if errors::is_stale_cached_plan(&e) => {
                // A cached plan whose result type changed under it (ALTER TABLE in
                // between) fails forever on this connection: drop its statement
                // cache, and outside a transaction (which the error aborted) try again.
                let _ = sqlx::Connection::clear_cached_statements(&mut *self.conn).await;
                if self.in_transaction {
                    return Err(e);
                }
                self.fetch(stmt, plan).await?
            }
            other => other?,
        };
        decode::write_rows(&rows, plan, out)?;
        out.set_rows_affected(affected);
        // PostgreSQL reports generated keys only through RETURNING.
        out.set_last_insert_id(None);
        Ok(())
    }

    async fn run_plain(&mut self, sql: &str) -> Result<(), ExecError> {
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
}
