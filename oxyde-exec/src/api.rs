//! The entry points `oxyde-py` calls. (Skeleton: the driver work fills these.)
use oxyde_sql::Statement;

use crate::{ErrorKind, ExecError, PoolSettings};

fn todo() -> ExecError {
    ExecError::new(ErrorKind::Unsupported, "not implemented yet")
}

/// Opens a pool under `name` for `url`; returns the dialect name.
pub async fn init_pool(_name: &str, _url: &str, _settings: PoolSettings, _overwrite: bool) -> Result<&'static str, ExecError> {
    Err(todo())
}
/// Closes one pool, rolling back its open transactions; unknown names are ignored.
pub async fn close_pool(_name: &str) -> Result<(), ExecError> {
    Err(todo())
}
/// Rolls back every open transaction and closes every pool.
pub async fn close_all_pools() {}
/// Dialect name of an open pool.
pub fn pool_backend(_name: &str) -> Option<&'static str> {
    None
}
/// Runs one IR on a pooled connection; returns the encoded result.
pub async fn execute(_pool: &str, _ir: &[u8]) -> Result<Vec<u8>, ExecError> {
    Err(todo())
}
/// Takes a connection from `pool`, issues BEGIN, returns the transaction id.
pub async fn begin_transaction(_pool: &str) -> Result<u64, ExecError> {
    Err(todo())
}
/// Runs one IR on the transaction's connection.
pub async fn execute_in_transaction(_tx: u64, _ir: &[u8]) -> Result<Vec<u8>, ExecError> {
    Err(todo())
}
/// COMMIT and return the connection.
pub async fn commit_transaction(_tx: u64) -> Result<(), ExecError> {
    Err(todo())
}
/// ROLLBACK and return the connection.
pub async fn rollback_transaction(_tx: u64) -> Result<(), ExecError> {
    Err(todo())
}
/// `SAVEPOINT name`.
pub async fn create_savepoint(_tx: u64, _name: &str) -> Result<(), ExecError> {
    Err(todo())
}
/// `ROLLBACK TO SAVEPOINT name`.
pub async fn rollback_to_savepoint(_tx: u64, _name: &str) -> Result<(), ExecError> {
    Err(todo())
}
/// `RELEASE SAVEPOINT name`.
pub async fn release_savepoint(_tx: u64, _name: &str) -> Result<(), ExecError> {
    Err(todo())
}
/// Renders an IR for a dialect without a connection.
pub fn render(ir: &[u8], dialect: &str) -> Result<Statement, ExecError> {
    let op = oxyde_ir::decode(ir).map_err(|e| ExecError::with_source(ErrorKind::InvalidIr, e.to_string(), e))?;
    let d = oxyde_sql::dialect(dialect).map_err(|e| ExecError::new(ErrorKind::Config, e.to_string()))?;
    oxyde_sql::render(&op, d).map_err(|e| ExecError::new(ErrorKind::Unsupported, e.to_string()))
}
