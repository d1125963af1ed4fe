//! The entry points `oxyde-py` calls.
use std::sync::Arc;
use std::time::Instant;

use oxyde_ir::Op;
use oxyde_sql::{Dialect, RenderError, Statement};

use crate::flight::Tracked;
use crate::pools::{self, PoolEntry};
use crate::trace::{Origin, StatementTimer};
use crate::tx::{self, End, TxSlot};
use crate::{driver_for_url, ErrorKind, ExecError, Plan, PoolSettings, ResultWriter};

/// Opens a pool under `name` for `url`; returns the dialect name.
///
/// The driver is the one registered for the URL's scheme. Fails with
/// [`ErrorKind::Config`] for invalid settings, an unknown scheme or, unless
/// `overwrite`, a name already in use (an overwritten pool is closed, its
/// transactions rolled back), and with the driver's error when it cannot
/// connect.
pub async fn init_pool(
    name: &str,
    url: &str,
    settings: PoolSettings,
    overwrite: bool,
) -> Result<&'static str, ExecError> {
    settings.validate()?;
    if !overwrite && pools::contains(name) {
        return Err(ExecError::new(
            ErrorKind::Config,
            format!("Pool '{name}' already exists"),
        ));
    }
    let driver = driver_for_url(url)?;
    let dialect = oxyde_sql::dialect(driver.dialect_name()).map_err(render_error)?;
    let pool: Arc<dyn crate::Pool> = Arc::from(driver.open(url, &settings).await?);
    let cleaner = tokio::spawn(tx::clean_forever(
        name.to_owned(),
        settings.effective_transaction_cleanup_interval(),
        settings.effective_transaction_timeout(),
    ))
    .abort_handle();
    let entry = Arc::new(PoolEntry { pool, dialect, cleaner });
    if let Some(old) = pools::insert(name, entry) {
        shut(name, &old).await;
    }
    Ok(dialect.name())
}

/// Rolls back the pool's transactions, stops its cleaner and closes it.
async fn shut(name: &str, entry: &PoolEntry) {
    entry.cleaner.abort();
    for shared in tx::take_all(Some(name)) {
        let _ = tx::finish(&shared, End::Rollback).await;
    }
    entry.pool.close().await;
}

/// Closes one pool, rolling back its open transactions; unknown names are ignored.
pub async fn close_pool(name: &str) -> Result<(), ExecError> {
    if let Some(entry) = pools::remove(name) {
        shut(name, &entry).await;
    }
    Ok(())
}

/// Rolls back every open transaction and closes every pool.
pub async fn close_all_pools() {
    for shared in tx::take_all(None) {
        let _ = tx::finish(&shared, End::Rollback).await;
    }
    for name in pools::names() {
        let _ = close_pool(&name).await;
    }
}

/// Dialect name of an open pool.
pub fn pool_backend(name: &str) -> Option<&'static str> {
    pools::get(name).ok().map(|e| e.dialect.name())
}

/// Runs one IR on a pooled connection; returns the encoded result.
///
/// The result is MessagePack: `[columns, rows]` for a select,
/// `[columns, rows, rows_affected, last_insert_id]` otherwise (`docs/ir.md`).
/// Bad bytes are [`ErrorKind::InvalidIr`], an unknown pool
/// [`ErrorKind::NotFound`], an op the dialect cannot express
/// [`ErrorKind::Unsupported`]; database failures keep the kind the driver
/// classified.
pub async fn execute(pool: &str, ir: &[u8]) -> Result<Vec<u8>, ExecError> {
    let op = decode(ir)?;
    let entry = pools::get(pool)?;
    let stmt = oxyde_sql::render(&op, entry.dialect).map_err(render_error)?;
    let mut conn = Tracked::new(entry.pool.acquire().await?);
    let origin = Origin {
        pool,
        dialect: entry.dialect.name(),
    };
    run(&mut conn, &op, &stmt, origin).await
}

async fn run(conn: &mut Tracked, op: &Op, stmt: &Statement, origin: Origin<'_>) -> Result<Vec<u8>, ExecError> {
    let plan = Plan::new(op, stmt);
    let mut out = ResultWriter::new(matches!(op, Op::Select(_)));
    let flight = conn.start()?;
    let timer = StatementTimer::start(origin, stmt);
    let result = flight.conn.run(stmt, &plan, &mut out).await;
    flight.landed(&result);
    timer.finish(out.row_count(), result.as_ref().err());
    result?;
    Ok(out.finish())
}

/// Takes a connection from `pool`, issues BEGIN, returns the transaction id.
///
/// The connection stays with the transaction until [`commit_transaction`] or
/// [`rollback_transaction`]; one idle longer than the pool's
/// `transaction_timeout` is rolled back by the pool's cleaner.
pub async fn begin_transaction(pool: &str) -> Result<u64, ExecError> {
    let entry = pools::get(pool)?;
    let mut conn = Tracked::new(entry.pool.acquire().await?);
    if let Err(e) = conn.begin().await {
        conn.discard();
        return Err(e);
    }
    let slot = TxSlot {
        pool: pool.to_owned(),
        dialect: entry.dialect,
        conn,
        last_used: Instant::now(),
        finished: false,
    };
    Ok(tx::insert(slot))
}

/// Runs one IR on the transaction's connection, as [`execute`] does; an
/// unknown or finished transaction is [`ErrorKind::NotFound`].
pub async fn execute_in_transaction(tx: u64, ir: &[u8]) -> Result<Vec<u8>, ExecError> {
    let op = decode(ir)?;
    let shared = tx::get(tx)?;
    let mut slot = shared.lock().await;
    let stmt = oxyde_sql::render(&op, slot.dialect).map_err(render_error)?;
    slot.last_used = Instant::now();
    let slot = &mut *slot;
    let origin = Origin {
        pool: &slot.pool,
        dialect: slot.dialect.name(),
    };
    let result = run(&mut slot.conn, &op, &stmt, origin).await;
    slot.last_used = Instant::now();
    result
}

/// COMMIT and return the connection to its pool; the id is unknown afterwards,
/// whether or not COMMIT succeeded.
pub async fn commit_transaction(tx: u64) -> Result<(), ExecError> {
    tx::finish(&tx::take(tx)?, End::Commit).await
}

/// ROLLBACK and return the connection to its pool; the id is unknown
/// afterwards.
pub async fn rollback_transaction(tx: u64) -> Result<(), ExecError> {
    tx::finish(&tx::take(tx)?, End::Rollback).await
}

/// `SAVEPOINT name` in transaction `tx`.
///
/// `name` must be a plain identifier (letters, digits, `_`, not starting with
/// a digit, at most 63 bytes), else [`ErrorKind::InvalidIr`]: it is written
/// unquoted.
pub async fn create_savepoint(tx: u64, name: &str) -> Result<(), ExecError> {
    savepoint(tx, "SAVEPOINT", name).await
}

/// `ROLLBACK TO SAVEPOINT name`; `name` as in [`create_savepoint`].
pub async fn rollback_to_savepoint(tx: u64, name: &str) -> Result<(), ExecError> {
    savepoint(tx, "ROLLBACK TO SAVEPOINT", name).await
}

/// `RELEASE SAVEPOINT name`; `name` as in [`create_savepoint`].
pub async fn release_savepoint(tx: u64, name: &str) -> Result<(), ExecError> {
    savepoint(tx, "RELEASE SAVEPOINT", name).await
}

async fn savepoint(tx: u64, verb: &str, name: &str) -> Result<(), ExecError> {
    // Only plain identifiers, so the name is safe unquoted on every database.
    let mut chars = name.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name.len() <= 63;
    if !valid {
        return Err(ExecError::new(
            ErrorKind::InvalidIr,
            format!("invalid savepoint name '{name}': use letters, digits and '_', not starting with a digit"),
        ));
    }
    let shared = tx::get(tx)?;
    let mut slot = shared.lock().await;
    slot.last_used = Instant::now();
    let result = slot.conn.run_plain(&format!("{verb} {name}")).await;
    slot.last_used = Instant::now();
    result
}

/// Renders an IR for a dialect, found by name, without a connection; an
/// unknown dialect is [`ErrorKind::Config`].
pub fn render(ir: &[u8], dialect: &str) -> Result<Statement, ExecError> {
    let op = decode(ir)?;
    let d: &dyn Dialect = oxyde_sql::dialect(dialect).map_err(render_error)?;
    oxyde_sql::render(&op, d).map_err(render_error)
}

pub(crate) fn decode(ir: &[u8]) -> Result<Op, ExecError> {
    oxyde_ir::decode(ir).map_err(|e| ExecError::with_source(ErrorKind::InvalidIr, e.to_string(), e))
}

pub(crate) fn render_error(e: RenderError) -> ExecError {
    let kind = match &e {
        RenderError::Invalid(_) => ErrorKind::InvalidIr,
        RenderError::UnknownDialect { .. } => ErrorKind::Config,
        _ => ErrorKind::Unsupported,
    };
    ExecError::with_source(kind, e.to_string(), e)
}
