//! The schema model of migrations: snapshots Python extracts from its models,
//! the operations that change one snapshot into another, and the diff that
//! finds them. Pure data and logic; SQL lives in `oxyde-sql`.
//!
//! ```
//! use oxyde_ir::migration::{diff, Snapshot};
//!
//! let old = Snapshot::default();
//! let new: Snapshot = oxyde_ir::migration::decode_snapshot(&rmp_serde::to_vec_named(&old).unwrap()).unwrap();
//! assert!(diff(&old, &new).unwrap().is_empty());
//! ```
mod apply;
mod diff;
mod ops;
mod snapshot;

pub use diff::diff;
pub use ops::{ColumnChanges, EnumFieldRef, MigrationOp};
pub use snapshot::{CheckDef, FieldDef, ForeignKeyDef, IndexDef, Snapshot, TableDef};

use crate::IrError;

/// Decodes a MessagePack snapshot.
pub fn decode_snapshot(bytes: &[u8]) -> Result<Snapshot, IrError> {
    rmp_serde::from_slice(bytes).map_err(|e| IrError::Malformed(format!("schema snapshot: {e}")))
}

/// Decodes a MessagePack list of migration operations.
pub fn decode_ops(bytes: &[u8]) -> Result<Vec<MigrationOp>, IrError> {
    rmp_serde::from_slice(bytes).map_err(|e| IrError::Malformed(format!("migration operations: {e}")))
}

/// Encodes a snapshot or operation list as MessagePack maps (string keys).
pub fn encode<T: serde::Serialize>(value: &T) -> Result<Vec<u8>, IrError> {
    rmp_serde::to_vec_named(value).map_err(|e| IrError::Malformed(e.to_string()))
}
