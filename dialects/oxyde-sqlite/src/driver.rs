//! The sqlx side of the sqlite dialect (filled in by the driver work).

/// Opens sqlite pools through sqlx.
#[derive(Debug, Clone, Copy, Default)]
pub struct SqliteDriver;
