use std::fmt::Write as _;
use std::sync::Arc;

use oxyde_ir::{ColumnType, Value};

/// SQL text plus the values bound to its placeholders, in order, and the
/// column type each value targets where the renderer knows it.
///
/// Values are never spliced into `sql`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Statement {
    /// SQL text in the dialect's placeholder style.
    pub sql: String,
    /// Bound parameters, one per placeholder position.
    pub params: Vec<Value>,
    /// Per parameter (same index as `params`, possibly shorter), the type of
    /// the column it is stored in or compared with: an insert cell, a SET
    /// value (also the results of a `CASE` assigned there), or the right side
    /// of a comparison, `IN`, `BETWEEN` or `LIKE` whose left side is a plain
    /// column. `None` where the target is not a column the op describes.
    pub param_types: Vec<Option<Arc<ColumnType>>>,
}

impl Statement {
    /// The column type parameter `index` (0-based) targets, if known.
    ///
    /// ```
    /// use oxyde_ir::{CmpOp, ColumnType, Cond, Expr, Op, Select, Value};
    /// use oxyde_postgres::PostgresDialect;
    ///
    /// let mut select = Select {
    ///     table: "posts".into(),
    ///     filter: Some(Cond::Compare { lhs: Expr::column("status"), op: CmpOp::Eq, rhs: Expr::Value(Value::Text("live".into())) }),
    ///     limit: Some(5),
    ///     ..Select::default()
    /// };
    /// select.column_types.insert("status".into(), ColumnType::Enum { name: "status_enum".into(), values: vec![] });
    /// let stmt = oxyde_sql::render(&Op::Select(select), &PostgresDialect).unwrap();
    /// assert!(matches!(stmt.param_type(0), Some(ColumnType::Enum { .. })));
    /// assert_eq!(stmt.param_type(1), None); // the LIMIT targets no column
    /// ```
    pub fn param_type(&self, index: usize) -> Option<&ColumnType> {
        self.param_types.get(index).and_then(Option::as_deref)
    }

    /// The SQL, then one parameter per line (with its target column type, if
    /// known): the form golden snapshots use.
    ///
    /// ```
    /// use oxyde_sql::Statement;
    /// use oxyde_ir::{ColumnType, Value};
    /// let s = Statement { sql: "SELECT ?".into(), params: vec![Value::Int(1)], ..Statement::default() };
    /// assert_eq!(s.to_golden(), "SELECT ?\n-- params\n1: Int(1)\n");
    /// let s = Statement { param_types: vec![Some(ColumnType::Uuid.into())], ..s };
    /// assert_eq!(s.to_golden(), "SELECT ?\n-- params\n1: Int(1) -- as Uuid\n");
    /// ```
    pub fn to_golden(&self) -> String {
        let mut out = format!("{}\n-- params\n", self.sql);
        for (i, p) in self.params.iter().enumerate() {
            let _ = match self.param_type(i) {
                Some(ty) => writeln!(out, "{}: {p:?} -- as {ty:?}", i + 1),
                None => writeln!(out, "{}: {p:?}", i + 1),
            };
        }
        out
    }
}
