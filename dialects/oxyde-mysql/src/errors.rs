//! sqlx errors → `ExecError`, by error kind and MySQL/MariaDB error number.
use oxyde_exec::{ErrorKind, ExecError};
use sqlx::error::ErrorKind as DbKind;
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
        // 2006 server gone away, 2013 lost connection during query.
        2006 | 2013 => ErrorKind::ConnectionLost,
        _ if sql_state.is_some_and(|s| s.starts_with("23")) => ErrorKind::Integrity,
        _ => ErrorKind::Database,
    }
}

/// Classifies a sqlx error, keeping it as the source.
pub(crate) fn map(e: sqlx::Error) -> ExecError {
    let (kind, message) = match &e {
        sqlx::Error::Database(db) => {
            let kind = match db.kind() {
                DbKind::UniqueViolation => ErrorKind::UniqueViolation,
                DbKind::ForeignKeyViolation => ErrorKind::ForeignKeyViolation,
                DbKind::NotNullViolation => ErrorKind::NotNullViolation,
                DbKind::CheckViolation => ErrorKind::CheckViolation,
                _ => db
                    .try_downcast_ref::<MySqlDatabaseError>()
                    .map_or(ErrorKind::Database, |m| kind_from_number(m.number(), m.code())),
            };
            (kind, format!("mysql error: {}", db.message()))
        }
        sqlx::Error::PoolTimedOut => (
            ErrorKind::PoolTimeout,
            "mysql pool timed out waiting for a free connection".to_owned(),
        ),
        sqlx::Error::PoolClosed => (ErrorKind::ConnectionLost, "mysql pool is closed".to_owned()),
        sqlx::Error::Io(_) | sqlx::Error::Tls(_) | sqlx::Error::Protocol(_) | sqlx::Error::WorkerCrashed => {
            (ErrorKind::ConnectionLost, format!("mysql connection failed: {e}"))
        }
        sqlx::Error::Configuration(_) => (ErrorKind::Config, format!("invalid mysql configuration: {e}")),
        _ => (ErrorKind::Database, format!("mysql error: {e}")),
    };
    ExecError::with_source(kind, message, e)
}
