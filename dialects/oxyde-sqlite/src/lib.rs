#![doc = include_str!("../README.md")]
//!
//! [`SqliteDialect`] implements [`oxyde_sql::Dialect`].
#![cfg_attr(
    feature = "driver",
    doc = "[`SqliteDriver`] implements [`oxyde_exec::Driver`] through sqlx (the `driver` feature)."
)]
#![warn(missing_docs)]

#[cfg(feature = "driver")]
mod bind;
mod ddl;
#[cfg(feature = "driver")]
mod decode;
mod dialect;
#[cfg(feature = "driver")]
mod driver;
#[cfg(feature = "driver")]
mod errors;
mod types;

pub use dialect::SqliteDialect;
#[cfg(feature = "driver")]
pub use driver::SqliteDriver;

inventory::submit! {
    oxyde_sql::DialectRegistration::new("sqlite", &["sqlite"], &SqliteDialect)
}
