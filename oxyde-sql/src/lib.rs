#![doc = include_str!("../README.md")]
//!
//! ## Where to start
//!
//! - [`render()`] writes one [`oxyde_ir::Op`] for a [`Dialect`] into a
//!   [`Statement`]; [`dialect()`], [`dialect_for_url`] and
//!   [`registered_dialects`] find dialects by name, URL or listing.
//! - [`Dialect`] is the trait a database implements; [`DialectRegistration`]
//!   registers it.
//! - The [`render`](mod@render) module holds [`SqlWriter`] helpers, the
//!   `write_standard_*` forms overrides reuse, and migration DDL
//!   ([`render::render_migration`]).
//! - [`RenderError`] is the one error type.
#![warn(missing_docs)]

mod dialect;
mod error;
mod registry;
pub mod render;
mod statement;

pub use dialect::Dialect;
pub use error::RenderError;
pub use registry::{dialect, dialect_for_url, registered_dialects, DialectRegistration};
pub use render::{render, SqlWriter, TableRef};
pub use statement::Statement;
