use std::collections::BTreeMap;

use crate::{ColumnType, Cond, CreateTable, DropTable, Expr, Value};

/// One decoded, validated operation.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
#[allow(clippy::large_enum_variant)] // one op per query, moved rarely; boxing would only add an allocation
pub enum Op {
    /// `SELECT`.
    Select(Select),
    /// `INSERT` of one or many rows.
    Insert(Insert),
    /// `UPDATE`.
    Update(Update),
    /// `DELETE`.
    Delete(Delete),
    /// Raw SQL with bound parameters.
    Raw(Raw),
    /// `CREATE TABLE`.
    CreateTable(CreateTable),
    /// `DROP TABLE`.
    DropTable(DropTable),
}

/// Column name → semantic type, used to bind NULLs and decode rows.
pub type ColumnTypes = BTreeMap<String, ColumnType>;

/// A `SELECT`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Select {
    /// Base table.
    pub table: String,
    /// Schema of the base table; `None` is the connection's default.
    pub schema: Option<String>,
    /// Selected columns of the base table; empty with no annotations means all (`*`).
    pub columns: Vec<String>,
    /// Tables joined to the base table, in order; see [`Join`].
    pub joins: Vec<Join>,
    /// Extra selected expressions, each under an alias.
    pub annotations: Vec<Annotation>,
    /// WHERE.
    pub filter: Option<Cond>,
    /// `SELECT DISTINCT`.
    pub distinct: bool,
    /// ORDER BY terms, in order.
    pub order_by: Vec<OrderTerm>,
    /// GROUP BY columns or aliases.
    pub group_by: Vec<String>,
    /// HAVING.
    pub having: Option<Cond>,
    /// LIMIT.
    pub limit: Option<u64>,
    /// OFFSET.
    pub offset: Option<u64>,
    /// Row lock.
    pub lock: Option<Lock>,
    /// What the row lock does with rows another transaction holds.
    pub lock_wait: LockWait,
    /// `UNION [ALL]` partner.
    pub union: Option<Box<Union>>,
    /// Rows, a count, or an existence test.
    pub shape: SelectShape,
    /// Column types of the result, for decoding.
    pub column_types: ColumnTypes,
}

/// A table joined into a [`Select`] under an alias.
///
/// Columns of the joined table are referenced as `Expr::Column { table:
/// Some(alias), .. }`; its selected `columns` come back named
/// `<alias>__<column>`. When a select has joins, the renderer qualifies the
/// base table's bare column references with the base table name.
#[derive(Debug, Clone, PartialEq)]
pub struct Join {
    /// The joined table.
    pub table: String,
    /// Schema of the joined table; `None` is the connection's default.
    pub schema: Option<String>,
    /// The name the table goes by in this query; unique within it.
    pub alias: String,
    /// `LEFT` or `INNER`.
    pub kind: JoinKind,
    /// The join condition.
    pub on: Cond,
    /// Columns of the joined table to select, each as `"<alias>__<column>"`.
    pub columns: Vec<String>,
    /// Types of the joined table's columns, by column name.
    pub column_types: ColumnTypes,
}

/// How a [`Join`] treats base rows without a match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum JoinKind {
    /// `LEFT JOIN`: unmatched base rows stay, with NULL joined columns.
    #[default]
    Left,
    /// `INNER JOIN`: unmatched base rows are dropped.
    Inner,
}

impl JoinKind {
    /// The SQL spelling, `LEFT JOIN` or `INNER JOIN`.
    pub fn as_sql(self) -> &'static str {
        match self {
            Self::Left => "LEFT JOIN",
            Self::Inner => "INNER JOIN",
        }
    }
}

/// The name a joined column comes back under: `<alias>__<column>`.
///
/// ```
/// assert_eq!(oxyde_ir::joined_column_name("author", "name"), "author__name");
/// ```
pub fn joined_column_name(alias: &str, column: &str) -> String {
    format!("{alias}__{column}")
}

/// An expression selected under an alias.
#[derive(Debug, Clone, PartialEq)]
pub struct Annotation {
    /// Result column name.
    pub alias: String,
    /// The expression.
    pub expr: Expr,
}

/// One ORDER BY term.
#[derive(Debug, Clone, PartialEq)]
pub enum OrderTerm {
    /// Ascending.
    Asc(Expr),
    /// Descending.
    Desc(Expr),
    /// Random order.
    Random,
}

/// Row locks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lock {
    /// `FOR UPDATE`.
    Update,
    /// `FOR SHARE`.
    Share,
}

/// What a row lock does when another transaction holds a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LockWait {
    /// Wait for it (the plain clause).
    #[default]
    Wait,
    /// Fail at once: `NOWAIT`.
    NoWait,
    /// Leave such rows out of the result: `SKIP LOCKED`.
    SkipLocked,
}

/// What a `SELECT` returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SelectShape {
    /// The rows.
    #[default]
    Rows,
    /// `COUNT(*)` of the rows, as column `_count`.
    Count,
    /// Whether any row exists, as column `_exists`.
    Exists,
}

/// The right side of a `UNION`.
#[derive(Debug, Clone, PartialEq)]
pub struct Union {
    /// The partner query.
    pub query: Select,
    /// `UNION ALL` rather than `UNION`.
    pub all: bool,
}

/// What a write hands back.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Returning {
    /// Nothing but the affected-row count (and last insert id).
    #[default]
    Nothing,
    /// Every column.
    All,
    /// These columns.
    Columns(Vec<String>),
}

/// An `INSERT` of one or many rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Insert {
    /// Target table.
    pub table: String,
    /// Schema of the target table; `None` is the connection's default.
    pub schema: Option<String>,
    /// Column names; every row has one value per column.
    pub columns: Vec<String>,
    /// Rows of values.
    pub rows: Vec<Vec<Value>>,
    /// What to hand back.
    pub returning: Returning,
    /// Column types, for binding and decoding.
    pub column_types: ColumnTypes,
}

/// An `UPDATE`.
#[derive(Debug, Clone, PartialEq)]
pub struct Update {
    /// Target table.
    pub table: String,
    /// Schema of the target table; `None` is the connection's default.
    pub schema: Option<String>,
    /// Assignments in order.
    pub set: Vec<(String, Expr)>,
    /// WHERE.
    pub filter: Option<Cond>,
    /// What to hand back.
    pub returning: Returning,
    /// Column types, for binding and decoding.
    pub column_types: ColumnTypes,
}

/// A `DELETE`.
#[derive(Debug, Clone, PartialEq)]
pub struct Delete {
    /// Target table.
    pub table: String,
    /// Schema of the target table; `None` is the connection's default.
    pub schema: Option<String>,
    /// WHERE.
    pub filter: Option<Cond>,
    /// What to hand back.
    pub returning: Returning,
    /// Column types, for decoding.
    pub column_types: ColumnTypes,
}

/// Raw SQL, sent verbatim, with positional parameters bound separately.
#[derive(Debug, Clone, PartialEq)]
pub struct Raw {
    /// SQL text in the target database's placeholder style.
    pub sql: String,
    /// Parameters.
    pub params: Vec<Value>,
}
