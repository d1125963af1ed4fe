#![doc = include_str!("../README.md")]
//!
//! ## Where to start
//!
//! - [`decode`] turns envelope bytes into an [`Op`] or an [`IrError`];
//!   [`encode_map`] writes an envelope from a map of [`Value`]s.
//! - [`Select`], [`Insert`], [`Update`], [`Delete`] and [`Raw`] are the query
//!   ops; [`Expr`] and [`Cond`] their expression and condition trees.
//! - [`ColumnType`] is the semantic column type used to bind and decode.
//! - [`migration`] holds schema snapshots, their [`diff`](migration::diff)
//!   and the [`MigrationOp`](migration::MigrationOp)s between them.
#![warn(missing_docs)]

mod cond;
mod error;
mod expr;
mod ident;
pub mod migration;
mod op;
mod schema;
mod types;
mod value;
mod wire;

pub use cond::{CmpOp, Cond};
pub use error::IrError;
pub use expr::{AggFunc, ArithOp, DatePart, Expr};
pub use ident::check_identifier;
pub use op::{
    joined_column_name, Annotation, ColumnTypes, Delete, Insert, Join, JoinKind, Lock, LockWait, Op, OrderTerm, Raw,
    Returning, Select, SelectShape, Union, Update,
};
pub use schema::{ColumnDef, CreateTable, DropTable, ForeignKey, ReferentialAction};
pub use types::ColumnType;
pub use value::{ext, Value};
pub use wire::{decode, encode_map, IR_VERSION};
