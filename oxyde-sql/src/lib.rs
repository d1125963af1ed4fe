//! Renders Oxyde IR into SQL text and bound parameters through a [`Dialect`].
//!
//! One shared renderer writes every op; a dialect overrides only what its
//! database spells differently. Dialects register themselves with
//! `inventory`, so core code finds them by name and never names a database.
#![warn(missing_docs)]

mod dialect;
mod error;
mod registry;
pub mod render;
mod statement;

pub use dialect::Dialect;
pub use error::RenderError;
pub use registry::{dialect, dialect_for_url, registered_dialects, DialectRegistration};
pub use render::{render, SqlWriter};
pub use statement::Statement;
