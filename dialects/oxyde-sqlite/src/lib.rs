//! The sqlite dialect for Oxyde: SQL rendering always, the sqlx driver behind
//! the default `driver` feature.
#![warn(missing_docs)]

mod dialect;
mod types;
#[cfg(feature = "driver")]
mod driver;

pub use dialect::SqliteDialect;
#[cfg(feature = "driver")]
pub use driver::SqliteDriver;

inventory::submit! {
    oxyde_sql::DialectRegistration::new("sqlite", &["sqlite"], &SqliteDialect)
}
