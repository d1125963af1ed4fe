//! The postgres dialect for Oxyde: SQL rendering always, the sqlx driver behind
//! the default `driver` feature.
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
