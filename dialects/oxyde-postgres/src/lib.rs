#![doc = include_str!("../README.md")]
//!
//! [`PostgresDialect`] implements [`oxyde_sql::Dialect`].
#![cfg_attr(
    feature = "driver",
    doc = "[`PostgresDriver`] implements [`oxyde_exec::Driver`] through sqlx (the `driver` feature)."
)]
#![warn(missing_docs)]

#[cfg(feature = "driver")]
mod arrays;
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
#[cfg(feature = "driver")]
mod pooler;
mod types;

pub use dialect::PostgresDialect;
#[cfg(feature = "driver")]
pub use driver::PostgresDriver;

inventory::submit! {
    oxyde_sql::DialectRegistration::new("postgres", &["postgres", "postgresql"], &PostgresDialect)
}
