//! Statements for transaction-pooling proxies (`PgBouncer` with
//! `pool_mode = transaction`), chosen with a statement cache capacity of 0.
//!
//! Such a proxy hands the server connection back to its pool at every
//! `ReadyForQuery` outside a transaction. sqlx prepares a statement (Parse,
//! Describe, Sync) and then binds it (Bind, Execute, Sync): two round trips,
//! so the Bind may reach another server connection, where the statement is
//! missing or, worse, is another client's statement of the same name. With
//! the cache off, statements are unnamed (never left behind on a server
//! connection) and, outside a transaction, each runs between BEGIN and
//! COMMIT, which keeps both round trips on one server connection.
use oxyde_exec::sqlx_support::fetch_rows;
use sqlx::postgres::{PgArguments, PgConnectOptions, PgConnection, PgQueryResult, PgRow};
use sqlx::{ConnectOptions as _, Executor as _, Postgres};

/// SQLSTATE 25001 `active_sql_transaction`: the statement (CREATE DATABASE,
/// VACUUM, ...) cannot run inside a transaction block.
const NOT_IN_A_TRANSACTION: &str = "25001";

/// Whether the options turn the statement cache off, from the pool settings
/// or the URL's `statement-cache-capacity=0`.
pub(crate) fn cache_off(opts: &PgConnectOptions) -> bool {
    opts.to_url_lossy()
        .query_pairs()
        .any(|(key, value)| key == "statement-cache-capacity" && value == "0")
}

/// Runs `query` (built with `persistent(false)`) as its own transaction.
/// `simple` is the SQL to send as one simple-protocol message when the
/// statement refuses a transaction block; only a statement without
/// parameters has one.
///
/// sqlx's own transaction: if the caller is cancelled before COMMIT, sqlx
/// rolls back before the connection serves anyone else.
pub(crate) async fn fetch_pinned(
    conn: &mut PgConnection,
    query: sqlx::query::Query<'_, Postgres, PgArguments>,
    simple: Option<&str>,
) -> Result<(Vec<PgRow>, PgQueryResult), sqlx::Error> {
    let mut tx = sqlx::Connection::begin(&mut *conn).await?;
    match fetch_rows(&mut *tx, query).await {
        Ok(done) => {
            tx.commit().await?;
            Ok(done)
        }
        Err(e) => {
            // A dead connection cannot roll back; the original error says more.
            let _ = tx.rollback().await;
            match simple {
                Some(sql) if is_code(&e, NOT_IN_A_TRANSACTION) => {
                    // One Query message: the proxy cannot split it.
                    let done = conn.execute(sqlx::raw_sql(sql)).await?;
                    Ok((Vec::new(), done))
                }
                _ => Err(e),
            }
        }
    }
}

fn is_code(e: &sqlx::Error, code: &str) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.code().as_deref() == Some(code))
}

#[cfg(test)]
mod tests {
    use std::str::FromStr as _;

    use sqlx::postgres::PgConnectOptions;

    use super::cache_off;

    #[test]
    fn the_cache_is_off_at_capacity_zero_from_the_url_or_the_settings() {
        let opts = |url: &str| PgConnectOptions::from_str(url).expect("a valid URL");
        assert!(cache_off(&opts("postgres://u@h/db?statement-cache-capacity=0")));
        assert!(cache_off(&opts("postgres://u@h/db").statement_cache_capacity(0)));
        assert!(!cache_off(&opts("postgres://u@h/db")));
        assert!(!cache_off(&opts("postgres://u@h/db?statement-cache-capacity=10")));
    }
}
