//! The Oxyde query IR: the typed, versioned wire format between the Python
//! package and the Rust core.
//!
//! Python builds a query as a small dict, packs it with MessagePack and hands
//! the bytes over; [`decode`] turns any byte string into either a validated
//! [`Op`] or a typed [`IrError`], never a panic. The wire format is documented
//! in `docs/ir.md`; this crate owns it and has no I/O and no SQL.
//!
//! ```
//! use std::collections::BTreeMap;
//! use oxyde_ir::{decode, encode_map, Op, Value};
//!
//! let mut envelope = BTreeMap::new();
//! envelope.insert("proto", Value::Int(1));
//! envelope.insert("op", Value::Text("raw".into()));
//! envelope.insert("sql", Value::Text("SELECT 1".into()));
//! let op = decode(&encode_map(&envelope)).unwrap();
//! assert!(matches!(op, Op::Raw(_)));
//!
//! assert!(decode(b"\xc1 not msgpack").is_err());
//! ```
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
