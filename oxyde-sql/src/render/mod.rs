use oxyde_ir::{Op, Value};

use crate::{Dialect, RenderError, Statement};

/// Accumulates SQL text and parameters for one statement.
pub struct SqlWriter<'d> {
    sql: String,
    params: Vec<Value>,
    dialect: &'d dyn Dialect,
}

impl<'d> SqlWriter<'d> {
    /// An empty writer for `dialect`.
    pub fn new(dialect: &'d dyn Dialect) -> Self {
        Self { sql: String::with_capacity(128), params: Vec::new(), dialect }
    }
    /// Appends SQL text verbatim.
    pub fn push_str(&mut self, s: &str) {
        self.sql.push_str(s);
    }
    /// Appends a quoted identifier.
    pub fn push_identifier(&mut self, name: &str) {
        let d = self.dialect;
        d.write_identifier(name, self);
    }
    /// Binds a value and appends its placeholder.
    pub fn push_param(&mut self, value: Value) {
        self.params.push(value);
        let d = self.dialect;
        d.write_placeholder(self.params.len(), self);
    }
    /// The finished statement.
    pub fn finish(self) -> Statement {
        Statement { sql: self.sql, params: self.params }
    }
}

/// Writes `name` between `quote` characters, doubling embedded quotes.
pub fn write_quoted(name: &str, quote: char, out: &mut SqlWriter<'_>) {
    let mut s = String::with_capacity(name.len() + 2);
    s.push(quote);
    for c in name.chars() {
        if c == quote {
            s.push(quote);
        }
        s.push(c);
    }
    s.push(quote);
    out.push_str(&s);
}

/// Renders one op for `dialect`.
pub fn render(op: &Op, dialect: &dyn Dialect) -> Result<Statement, RenderError> {
    let mut out = SqlWriter::new(dialect);
    match op {
        Op::Raw(raw) => {
            out.push_str(&raw.sql);
            let mut stmt = out.finish();
            stmt.params.clone_from(&raw.params);
            Ok(stmt)
        }
        _ => Err(RenderError::Unsupported { dialect: dialect.name(), feature: "this op (renderer not written yet)" }),
    }
}
