//! Execution for Oxyde: driver, pool and connection traits, the registry of
//! named pools, transactions with savepoints, and MessagePack row encoding.
//!
//! This crate knows no database by name: drivers register themselves through
//! `inventory` keyed by URL scheme (see [`DriverRegistration`]).
//!
//! The functions at the crate root are the API `oxyde-py` calls; each runs on
//! the caller's tokio runtime.
#![warn(missing_docs)]

mod api;
mod driver;
mod encode;
mod error;
mod json;
mod pools;
mod registry;
mod settings;
#[cfg(feature = "sqlx")]
pub mod sqlx_support;
mod stats;
pub mod temporal;
pub mod trace;
mod tx;
mod values;

pub use api::{
    begin_transaction, close_all_pools, close_pool, commit_transaction, create_savepoint, execute,
    execute_in_transaction, init_pool, pool_backend, release_savepoint, render, rollback_to_savepoint,
    rollback_transaction,
};
pub use driver::{Connection, Driver, Plan, Pool};
pub use encode::ResultWriter;
pub use error::{ErrorKind, ExecError};
pub use json::{uuid_text, value_to_json};
pub use registry::{driver_for_url, registered_drivers, DriverRegistration};
pub use settings::PoolSettings;
pub use stats::{pool_stats, PoolStats};
pub use values::{check_decimal_fits, refuse_float, uuid_bytes, write_json_column};
