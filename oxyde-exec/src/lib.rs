#![doc = include_str!("../README.md")]
//!
//! ## Where to start
//!
//! - The functions at the crate root are the API `oxyde-py` calls, each
//!   running on the caller's tokio runtime: [`init_pool`] and
//!   [`close_pool`], [`execute`], [`begin_transaction`] with
//!   [`execute_in_transaction`], [`commit_transaction`],
//!   [`rollback_transaction`] and the savepoint calls, [`pool_stats`].
//! - [`PoolSettings`] configures a pool; [`ExecError`] and [`ErrorKind`] are
//!   the one error type and its classes.
//! - [`Driver`], [`Pool`], [`Connection`], [`Plan`], [`ResultWriter`] and
//!   [`DriverRegistration`] are what a driver implements and uses.
//! - [`trace`] emits one `tracing` event per statement.
#![warn(missing_docs)]

mod api;
mod driver;
mod encode;
mod error;
mod flight;
mod json;
mod pools;
mod registry;
mod settings;
#[cfg(feature = "sqlx")]
pub mod sqlx_support;
mod stats;
mod stream;
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
pub use stream::{stream, Batch, BatchSink};
pub use values::{check_decimal_fits, refuse_float, uuid_bytes, write_json_column};
