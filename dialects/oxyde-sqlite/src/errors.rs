//! sqlx errors → `ExecError`, by error kind and SQLite result code.
use oxyde_exec::{ErrorKind, ExecError};
use sqlx::error::ErrorKind as DbKind;

/// Extended result codes sqlx may leave as `Other`
/// (<https://www.sqlite.org/rescode.html>).
fn kind_from_code(code: &str) -> ErrorKind {
    match code {
        "2067" | "1555" => ErrorKind::UniqueViolation, // SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY
        // SQLITE_CONSTRAINT_FOREIGNKEY, and SQLITE_CONSTRAINT_TRIGGER: what an
        // `ON DELETE/UPDATE RESTRICT` action raises (SQLite runs it as a
        // trigger); a user trigger's RAISE(ABORT) shares that code.
        "787" | "1811" => ErrorKind::ForeignKeyViolation,
        "1299" => ErrorKind::NotNullViolation, // SQLITE_CONSTRAINT_NOTNULL
        "275" => ErrorKind::CheckViolation,    // SQLITE_CONSTRAINT_CHECK
        "19" => ErrorKind::Integrity,          // SQLITE_CONSTRAINT, unspecified
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
                _ => db.code().map_or(ErrorKind::Database, |c| kind_from_code(&c)),
            };
            (kind, format!("sqlite error: {}", db.message()))
        }
        sqlx::Error::PoolTimedOut => (
            ErrorKind::PoolTimeout,
            "sqlite pool timed out waiting for a free connection".to_owned(),
        ),
        sqlx::Error::PoolClosed => (ErrorKind::ConnectionLost, "sqlite pool is closed".to_owned()),
        sqlx::Error::Io(_) | sqlx::Error::Tls(_) | sqlx::Error::Protocol(_) | sqlx::Error::WorkerCrashed => {
            (ErrorKind::ConnectionLost, format!("sqlite connection failed: {e}"))
        }
        sqlx::Error::Configuration(_) => (ErrorKind::Config, format!("invalid sqlite configuration: {e}")),
        _ => (ErrorKind::Database, format!("sqlite error: {e}")),
    };
    ExecError::with_source(kind, message, e)
}
