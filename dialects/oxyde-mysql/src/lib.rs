#![doc = include_str!("../README.md")]
//!
//! [`MySqlDialect`] implements [`oxyde_sql::Dialect`].
#![cfg_attr(
    feature = "driver",
    doc = "[`MySqlDriver`] implements [`oxyde_exec::Driver`] through sqlx (the `driver` feature)."
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

pub use dialect::MySqlDialect;
#[cfg(feature = "driver")]
pub use driver::MySqlDriver;

inventory::submit! {
    oxyde_sql::DialectRegistration::new("mysql", &["mysql", "mariadb"], &MySqlDialect)
}
