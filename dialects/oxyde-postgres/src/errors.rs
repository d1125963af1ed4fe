//! sqlx errors → `ExecError`, by error kind and SQLSTATE.
use oxyde_exec::sqlx_support::classify;
use oxyde_exec::{ErrorKind, ExecError};
use sqlx::error::DatabaseError;

/// SQLSTATE classes (<https://www.postgresql.org/docs/current/errcodes-appendix.html>)
/// for what sqlx leaves as `Other`: the rest of class 23 "integrity constraint
/// violation", class 22 "data exception" (too long, out of range, invalid
/// text), class 08 and 57P01-03 (the connection or server went away).
fn kind_from_code(code: &str) -> ErrorKind {
    match code {
        c if c.starts_with("23") => ErrorKind::Integrity,
        c if c.starts_with("22") => ErrorKind::Data,
        c if c.starts_with("08") || matches!(c, "57P01" | "57P02" | "57P03") => ErrorKind::ConnectionLost,
        _ => ErrorKind::Database,
    }
}

fn vendor(db: &dyn DatabaseError) -> ErrorKind {
    db.code().map_or(ErrorKind::Database, |c| kind_from_code(&c))
}

/// Classifies a sqlx error, keeping it as the source.
pub(crate) fn map(e: sqlx::Error) -> ExecError {
    classify(e, "postgres", vendor)
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
