//! The sqlx side of the postgres dialect (filled in by the driver work).

/// Opens postgres pools through sqlx.
#[derive(Debug, Clone, Copy, Default)]
pub struct PostgresDriver;
