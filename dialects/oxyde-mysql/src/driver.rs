//! The sqlx side of the mysql dialect: pools, connections, registration.
use std::str::FromStr as _;

use async_trait::async_trait;
use oxyde_exec::sqlx_support::{fetch_rows, open_pool, pool_options, stream_rows, HotConnection, HotPool};
use oxyde_exec::{
    BatchSink, Connection, Driver, DriverRegistration, ErrorKind, ExecError, Plan, Pool, PoolSettings, PoolStats,
    ResultWriter,
};
use oxyde_sql::Statement;
use sqlx::mysql::{MySqlConnectOptions, MySqlSslMode};
use sqlx::{Executor as _, MySql};

use crate::{bind, decode, errors};

/// Opens mysql pools through sqlx; registered with `oxyde-exec` for
/// `mysql://` and `mariadb://` URLs (one protocol), so callers go through
/// [`oxyde_exec::init_pool`] rather than this type.
///
/// TLS, charset and collation come from [`oxyde_exec::PoolSettings`]
/// (`ssl_mode` in either the PostgreSQL or the MySQL spelling,
/// `mysql_charset`, default `utf8mb4`, and `mysql_collation`).
///
/// ```no_run
/// use oxyde_exec::PoolSettings;
/// use oxyde_mysql as _; // linked for its registrations
///
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let mut settings = PoolSettings::default();
/// settings.max_connections = Some(5);
/// let dialect = oxyde_exec::init_pool("default", "mariadb://app:secret@127.0.0.1:3306/app", settings, false).await?;
/// assert_eq!(dialect, "mysql");
/// oxyde_exec::close_pool("default").await
/// # }).unwrap();
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct MySqlDriver;

inventory::submit! {
    DriverRegistration::new("mysql", &["mysql", "mariadb"], &MySqlDriver)
}

fn connect_options(url: &str, settings: &PoolSettings) -> Result<MySqlConnectOptions, ExecError> {
    // sqlx reads `mysql://`; `mariadb://` is the same protocol.
    let url = url
        .strip_prefix("mariadb:")
        .map_or_else(|| url.to_owned(), |rest| format!("mysql:{rest}"));
    let mut opts = MySqlConnectOptions::from_str(&url)
        .map_err(|e| ExecError::with_source(ErrorKind::Config, format!("invalid mysql url: {e}"), e))?;
    if let Some(mode) = settings.normalized_ssl_mode() {
        let mode = match mode.as_str() {
            "disabled" => MySqlSslMode::Disabled,
            "preferred" => MySqlSslMode::Preferred,
            "required" => MySqlSslMode::Required,
            "verify-ca" => MySqlSslMode::VerifyCa,
            "verify-identity" => MySqlSslMode::VerifyIdentity,
            other => {
                return Err(ExecError::new(
                    ErrorKind::Config,
                    format!(
                        "invalid ssl_mode '{other}' for mysql; expected disabled, preferred, required, verify-ca or verify-identity"
                    ),
                ))
            }
        };
        opts = opts.ssl_mode(mode);
    }
    if let Some(p) = &settings.ssl_root_cert {
        opts = opts.ssl_ca(p);
    }
    if let Some(p) = &settings.ssl_client_cert {
        opts = opts.ssl_client_cert(p);
    }
    if let Some(p) = &settings.ssl_client_key {
        opts = opts.ssl_client_key(p);
    }
    opts = opts
        .charset(settings.mysql_charset.as_deref().unwrap_or("utf8mb4"))
        .timezone(Some("+00:00".to_owned()));
    if let Some(c) = &settings.mysql_collation {
        opts = opts.collation(c);
    }
    Ok(opts)
}

#[async_trait]
impl Driver for MySqlDriver {
    fn dialect_name(&self) -> &'static str {
        "mysql"
    }

    async fn open(&self, url: &str, settings: &PoolSettings) -> Result<Box<dyn Pool>, ExecError> {
        let opts = connect_options(url, settings)?;
        let options = pool_options::<MySql>(settings)
            // Strict for every table, so nothing is silently truncated or
            // defaulted; valid on MySQL 8 and MariaDB.
            .after_connect(|conn, _| {
                Box::pin(async move {
                    conn.execute("SET SESSION sql_mode = CONCAT(@@sql_mode, ',STRICT_ALL_TABLES')")
                        .await
                        .map(drop)
                })
            });
        let pool = open_pool(options, opts).await.map_err(errors::map)?;
        Ok(Box::new(MySqlDbPool {
            pool: HotPool::new(pool),
        }))
    }
}

struct MySqlDbPool {
    pool: HotPool<MySql>,
}

#[async_trait]
impl Pool for MySqlDbPool {
    async fn acquire(&self) -> Result<Box<dyn Connection>, ExecError> {
        let conn = self.pool.acquire().await.map_err(errors::map)?;
        Ok(Box::new(MySqlConn { conn }))
    }

    async fn close(&self) {
        self.pool.close().await;
    }

    fn stats(&self) -> PoolStats {
        self.pool.stats()
    }
}

struct MySqlConn {
    conn: HotConnection<MySql>,
}

#[async_trait]
impl Connection for MySqlConn {
    async fn stream(
        &mut self,
        stmt: &Statement,
        plan: &Plan<'_>,
        batch: usize,
        sink: &BatchSink,
    ) -> Result<(), ExecError> {
        let args = bind::arguments(&stmt.params, plan)?;
        stream_rows(
            &mut *self.conn,
            sqlx::query_with(&stmt.sql, args),
            batch,
            sink,
            errors::map,
            |rows, out| decode::write_rows(rows, plan, out),
        )
        .await
    }

    async fn run(&mut self, stmt: &Statement, plan: &Plan<'_>, out: &mut ResultWriter) -> Result<(), ExecError> {
        let args = bind::arguments(&stmt.params, plan)?;
        let (rows, done) = fetch_rows(&mut *self.conn, sqlx::query_with(&stmt.sql, args))
            .await
            .map_err(errors::map)?;
        decode::write_rows(&rows, plan, out)?;
        out.set_rows_affected(done.rows_affected());
        let id = done.last_insert_id();
        out.set_last_insert_id(if plan.reports_insert_id() && id > 0 {
            i64::try_from(id).ok()
        } else {
            None
        });
        Ok(())
    }

    async fn run_plain(&mut self, sql: &str) -> Result<(), ExecError> {
        (&mut *self.conn)
            .execute(sqlx::raw_sql(sql))
            .await
            .map(drop)
            .map_err(errors::map)
    }

    fn close_on_drop(&mut self) {
        self.conn.close_on_drop();
    }

    fn check_before_reuse(&mut self) {
        self.conn.check_before_reuse();
    }
}
