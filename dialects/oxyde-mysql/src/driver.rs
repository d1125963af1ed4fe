//! The sqlx side of the mysql dialect (filled in by the driver work).

/// Opens mysql pools through sqlx.
#[derive(Debug, Clone, Copy, Default)]
pub struct MySqlDriver;
