//! sqlx errors → `ExecError`, by error kind and SQLSTATE.
use oxyde_exec::{ErrorKind, ExecError};
use sqlx::error::ErrorKind as DbKind;

/// SQLSTATE class 23 is "integrity constraint violation"
/// (<https://www.postgresql.org/docs/current/errcodes-appendix.html>); sqlx
/// names four of its codes, the rest of the class stays an integrity error.
fn kind_from_code(code: &str) -> ErrorKind {
    match code {
        "23505" => ErrorKind::UniqueViolation,
        "23503" => ErrorKind::ForeignKeyViolation,
        "23502" => ErrorKind::NotNullViolation,
        "23514" => ErrorKind::CheckViolation,
        c if c.starts_with("23") => ErrorKind::Integrity,
        // Class 08: connection exception; 57P01-03: server shutting down.
        c if c.starts_with("08") || matches!(c, "57P01" | "57P02" | "57P03") => ErrorKind::ConnectionLost,
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
            (kind, format!("postgres error: {}", db.message()))
        }
        sqlx::Error::PoolTimedOut => (
            ErrorKind::PoolTimeout,
            "postgres pool timed out waiting for a free connection".to_owned(),
        ),
        sqlx::Error::PoolClosed => (ErrorKind::ConnectionLost, "postgres pool is closed".to_owned()),
        sqlx::Error::Io(_) | sqlx::Error::Tls(_) | sqlx::Error::Protocol(_) | sqlx::Error::WorkerCrashed => {
            (ErrorKind::ConnectionLost, format!("postgres connection failed: {e}"))
        }
        sqlx::Error::Configuration(_) => (ErrorKind::Config, format!("invalid postgres configuration: {e}")),
        _ => (ErrorKind::Database, format!("postgres error: {e}")),
    };
    ExecError::with_source(kind, message, e)
}

/// SQLSTATE 0A000 (`feature_not_supported`) is what PostgreSQL raises for
/// "cached plan must not change result type", after an ALTER TABLE changed
/// the result of a statement this connection had prepared.
pub(crate) fn is_stale_cached_plan(e: &ExecError) -> bool {
    std::error::Error::source(e)
        .and_then(|s| s.downcast_ref::<sqlx::Error>())
        .and_then(|s| match s {
            sqlx::Error::Database(db) => db.code(),
            _ => None,
        })
        .is_some_and(|code| code == "0A000")
}
