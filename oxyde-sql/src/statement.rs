use std::fmt::Write as _;

use oxyde_ir::Value;

/// SQL text plus the values bound to its placeholders, in order.
///
/// Values are never spliced into `sql`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Statement {
    /// SQL text in the dialect's placeholder style.
    pub sql: String,
    /// Bound parameters, one per placeholder position.
    pub params: Vec<Value>,
}

impl Statement {
    /// The SQL, then one parameter per line: the form golden snapshots use.
    ///
    /// ```
    /// use oxyde_sql::Statement;
    /// use oxyde_ir::Value;
    /// let s = Statement { sql: "SELECT ?".into(), params: vec![Value::Int(1)] };
    /// assert_eq!(s.to_golden(), "SELECT ?\n-- params\n1: Int(1)\n");
    /// ```
    pub fn to_golden(&self) -> String {
        let mut out = format!("{}\n-- params\n", self.sql);
        for (i, p) in self.params.iter().enumerate() {
            let _ = writeln!(out, "{}: {p:?}", i + 1);
        }
        out
    }
}
