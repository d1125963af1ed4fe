//! The shared renderer and the standard forms dialect overrides can reuse.
//!
//! [`render`] writes any [`Op`]; the `write_standard_*` functions are the
//! defaults of the [`Dialect`] hooks, public so an override can call them and
//! add only what differs.
use oxyde_ir::{Op, Value};

use crate::{Dialect, RenderError, Statement};

mod ddl;
mod expr;
mod placeholders;
mod select;
mod standard;
mod write;

pub use ddl::write_column_definition;
pub use expr::{write_cond, write_expr};
pub use placeholders::shift_dollar_placeholders;
pub use standard::{
    write_numeric, write_standard_column_type, write_standard_concat, write_standard_date_part,
    write_standard_limit_offset, write_string_literal, write_varchar,
};

/// Accumulates SQL text and parameters for one statement.
pub struct SqlWriter<'d> {
    sql: String,
    params: Vec<Value>,
    dialect: &'d dyn Dialect,
}

impl<'d> SqlWriter<'d> {
    /// An empty writer for `dialect`.
    pub fn new(dialect: &'d dyn Dialect) -> Self {
        Self {
            sql: String::with_capacity(128),
            params: Vec::new(),
            dialect,
        }
    }
    /// The dialect this writer renders for.
    pub fn dialect(&self) -> &'d dyn Dialect {
        self.dialect
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
    /// Binds values whose placeholders are already in the text (raw fragments).
    pub fn bind_without_placeholder(&mut self, params: &[Value]) {
        self.params.extend_from_slice(params);
    }
    /// How many values are bound so far.
    pub fn param_count(&self) -> usize {
        self.params.len()
    }
    /// The finished statement.
    pub fn finish(self) -> Statement {
        Statement {
            sql: self.sql,
            params: self.params,
        }
    }
}

/// Writes `name` between `quote` characters, doubling embedded quotes.
///
/// ```
/// use oxyde_sql::{render::write_quoted, SqlWriter};
/// use oxyde_postgres::PostgresDialect;
///
/// let mut out = SqlWriter::new(&PostgresDialect);
/// write_quoted("we`ird", '`', &mut out);
/// assert_eq!(out.finish().sql, "`we``ird`");
/// ```
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
///
/// ```
/// use oxyde_ir::{Cond, CmpOp, Expr, Op, Select, Value};
/// use oxyde_postgres::PostgresDialect;
///
/// let op = Op::Select(Select {
///     table: "users".into(),
///     columns: vec!["id".into(), "name".into()],
///     filter: Some(Cond::Compare { lhs: Expr::column("age"), op: CmpOp::Ge, rhs: Expr::Value(Value::Int(18)) }),
///     limit: Some(10),
///     ..Select::default()
/// });
/// let stmt = oxyde_sql::render(&op, &PostgresDialect).unwrap();
/// assert_eq!(stmt.sql, r#"SELECT "id", "name" FROM "users" WHERE "age" >= $1 LIMIT $2"#);
/// assert_eq!(stmt.params, vec![Value::Int(18), Value::Int(10)]);
/// ```
pub fn render(op: &Op, dialect: &dyn Dialect) -> Result<Statement, RenderError> {
    let mut out = SqlWriter::new(dialect);
    match op {
        Op::Select(s) => select::write_select(s, &mut out)?,
        Op::Insert(i) => write::write_insert(i, &mut out)?,
        Op::Update(u) => write::write_update(u, &mut out)?,
        Op::Delete(d) => write::write_delete(d, &mut out)?,
        // Top-level raw SQL is the caller's own statement: no renumbering.
        Op::Raw(raw) => {
            out.push_str(&raw.sql);
            out.bind_without_placeholder(&raw.params);
        }
        Op::CreateTable(t) => ddl::write_create_table(t, &mut out)?,
        Op::DropTable(t) => ddl::write_drop_table(t, &mut out),
        _ => {
            return Err(RenderError::Unsupported {
                dialect: dialect.name(),
                feature: "this op",
            })
        }
    }
    let max = dialect.max_bind_params();
    if out.param_count() > max {
        return Err(RenderError::TooManyParams {
            dialect: dialect.name(),
            count: out.param_count(),
            max,
        });
    }
    Ok(out.finish())
}
