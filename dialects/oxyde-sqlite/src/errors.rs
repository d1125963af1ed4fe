//! sqlx errors → `ExecError`, by error kind and SQLite result code.
use oxyde_exec::sqlx_support::classify;
use oxyde_exec::{ErrorKind, ExecError};
use sqlx::error::DatabaseError;

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
        "18" | "20" => ErrorKind::Data,        // SQLITE_TOOBIG, SQLITE_MISMATCH
        _ => ErrorKind::Database,
    }
}

fn vendor(db: &dyn DatabaseError) -> ErrorKind {
    db.code().map_or(ErrorKind::Database, |c| kind_from_code(&c))
}

/// Classifies a sqlx error, keeping it as the source.
pub(crate) fn map(e: sqlx::Error) -> ExecError {
    classify(e, "sqlite", vendor)
}
