//! sqlx errors → `ExecError`, by error kind and MySQL/MariaDB error number.
use oxyde_exec::sqlx_support::classify;
use oxyde_exec::{ErrorKind, ExecError};
use sqlx::error::DatabaseError;
use sqlx::mysql::MySqlDatabaseError;

/// Numbers sqlx leaves as `Other`
/// (<https://dev.mysql.com/doc/mysql-errors/8.0/en/server-error-reference.html>,
/// <https://mariadb.com/kb/en/mariadb-error-code-reference/>).
fn kind_from_number(number: u16, sql_state: Option<&str>) -> ErrorKind {
    match number {
        1557 => ErrorKind::UniqueViolation,  // ER_FOREIGN_DUPLICATE_KEY
        1263 => ErrorKind::NotNullViolation, // ER_WARN_NULL_TO_NOTNULL, an error in strict mode
        3819 => ErrorKind::CheckViolation,   // ER_CHECK_CONSTRAINT_VIOLATED (MySQL 8)
        4025 if sql_state == Some("23000") => ErrorKind::CheckViolation, // MariaDB ER_CONSTRAINT_FAILED
        // Errors in strict mode: 1264 out of range, 1265 data truncated,
        // 1292 incorrect value, 1366 incorrect value for the column, 1406 data too long.
        1264 | 1265 | 1292 | 1366 | 1406 => ErrorKind::Data,
        // 2006 server gone away, 2013 lost connection during query.
        2006 | 2013 => ErrorKind::ConnectionLost,
        _ if sql_state.is_some_and(|s| s.starts_with("23")) => ErrorKind::Integrity,
        _ if sql_state.is_some_and(|s| s.starts_with("22")) => ErrorKind::Data,
        _ => ErrorKind::Database,
    }
}

fn vendor(db: &dyn DatabaseError) -> ErrorKind {
    db.try_downcast_ref::<MySqlDatabaseError>()
        .map_or(ErrorKind::Database, |m| kind_from_number(m.number(), m.code()))
}

/// Classifies a sqlx error, keeping it as the source.
pub(crate) fn map(e: sqlx::Error) -> ExecError {
    classify(e, "mysql", vendor)
}
