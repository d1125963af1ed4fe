//! The shared renderer and the standard forms dialect overrides can reuse.
//!
//! [`render`] writes any [`Op`]; the `write_standard_*` functions are the
//! defaults of the [`Dialect`] hooks, public so an override can call them and
//! add only what differs.
use std::sync::Arc;

use oxyde_ir::migration::TableDef;
use oxyde_ir::{ColumnType, ColumnTypes, Op, Select, Value};

use crate::{Dialect, RenderError, Statement};

mod ddl;
mod expr;
mod migration;
mod placeholders;
mod select;
mod standard;
mod write;

pub use ddl::write_column_definition;
pub use expr::{write_cond, write_expr, write_typed_expr};
pub use migration::{
    alter_table, render_migration, standard_alter_column, write_check_constraint, write_create_index,
    write_create_table, write_create_table_named, write_foreign_key_constraint, write_type, DdlWriter,
};
pub use placeholders::shift_dollar_placeholders;
pub use standard::{
    write_concat_with, write_numeric, write_standard_column_type, write_standard_concat, write_standard_date_part,
    write_standard_limit_offset, write_string_literal, write_varchar, ConcatSpelling,
};

/// Accumulates SQL text and parameters for one statement, with the column
/// type each parameter targets where the renderer knows it.
pub struct SqlWriter<'d> {
    sql: String,
    params: Vec<Value>,
    param_types: Vec<Option<Arc<ColumnType>>>,
    /// The current op's column types, for [`SqlWriter::column_type`].
    column_types: Option<&'d ColumnTypes>,
    /// One shared copy per distinct column type looked up, keyed by the map
    /// entry's address, so a thousand-row insert clones each type once.
    shared_types: Vec<(&'d ColumnType, Arc<ColumnType>)>,
    /// The select whose names are being resolved, when it has joins.
    scope: Option<Scope<'d>>,
    dialect: &'d dyn Dialect,
    /// The first identifier the dialect refused, reported when rendering ends.
    refused_identifier: Option<RenderError>,
}

/// A table as a statement names it: `"schema"."name"`, or `"name"` alone
/// in the connection's default schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableRef<'a> {
    /// `Meta.schema`; `None` is the connection's default.
    pub schema: Option<&'a str>,
    /// Table name.
    pub name: &'a str,
}

impl<'a> TableRef<'a> {
    /// `name` in `schema`.
    pub fn new(schema: Option<&'a str>, name: &'a str) -> Self {
        Self { schema, name }
    }
}

impl<'a> From<&'a TableDef> for TableRef<'a> {
    fn from(t: &'a TableDef) -> Self {
        Self::new(t.schema.as_deref(), &t.name)
    }
}

/// Name resolution inside a select with joins: bare column references belong
/// to the base table and are written qualified, except annotation aliases
/// where the clause can see them (ORDER BY, GROUP BY, HAVING).
#[derive(Clone, Copy)]
pub(crate) struct Scope<'d> {
    select: &'d Select,
    aliases_visible: bool,
}

impl<'d> SqlWriter<'d> {
    /// An empty writer for `dialect`.
    pub fn new(dialect: &'d dyn Dialect) -> Self {
        Self {
            sql: String::with_capacity(128),
            params: Vec::new(),
            param_types: Vec::new(),
            column_types: None,
            shared_types: Vec::new(),
            scope: None,
            dialect,
            refused_identifier: None,
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
        if self.refused_identifier.is_none() {
            self.refused_identifier = d.check_identifier(name).err();
        }
        d.write_identifier(name, self);
    }
    /// Appends a table reference, qualified by its schema when it has one; a
    /// schema on a dialect without schemas is reported when rendering ends.
    pub fn push_table(&mut self, table: TableRef<'_>) {
        if let Some(schema) = table.schema {
            let d = self.dialect;
            if !d.supports_schemas() && self.refused_identifier.is_none() {
                self.refused_identifier = Some(RenderError::Unsupported {
                    dialect: d.name(),
                    feature: "schemas (Meta.schema); leave the schema unset for this database",
                });
            }
            self.push_identifier(schema);
            self.push_str(".");
        }
        self.push_identifier(table.name);
    }
    /// The first identifier the dialect refused ([`Dialect::check_identifier`]), if any.
    ///
    /// # Errors
    /// That refusal.
    pub fn check_identifiers(&mut self) -> Result<(), RenderError> {
        self.refused_identifier.take().map_or(Ok(()), Err)
    }
    /// Binds a value of no known target column and appends its placeholder.
    pub fn push_param(&mut self, value: Value) {
        self.push_param_typed(value, None);
    }
    /// Binds a value and appends its placeholder, recording the type of the
    /// column it is compared with or stored in, so a driver can bind it as
    /// that type (a NULL, text for a native enum, ...).
    pub fn push_param_typed(&mut self, value: Value, ty: Option<Arc<ColumnType>>) {
        self.params.push(value);
        self.param_types.push(ty);
        let d = self.dialect;
        d.write_placeholder(self.params.len(), self);
    }
    /// Binds values whose placeholders are already in the text (raw fragments).
    pub fn bind_without_placeholder(&mut self, params: &[Value]) {
        self.params.extend_from_slice(params);
        self.param_types.resize(self.params.len(), None);
    }
    /// Sets the column types that [`SqlWriter::column_type`] reads (the op's
    /// `column_types`); returns the previous ones so a nested query can
    /// restore them.
    pub fn set_column_types(&mut self, types: Option<&'d ColumnTypes>) -> Option<&'d ColumnTypes> {
        std::mem::replace(&mut self.column_types, types)
    }
    /// The declared type of column `name` in the current op, if it has a
    /// useful one (not `unknown`).
    pub fn column_type(&mut self, name: &str) -> Option<Arc<ColumnType>> {
        self.column_type_in(None, name)
    }
    /// The declared type of column `name` of `table`: a join alias of the
    /// current select reads that join's types, anything else the op's.
    pub fn column_type_in(&mut self, table: Option<&str>, name: &str) -> Option<Arc<ColumnType>> {
        let joined = table.and_then(|t| {
            let s = self.scope?.select;
            s.joins.iter().find(|j| j.alias == t && t != s.table)
        });
        let ty = match joined {
            Some(j) => j.column_types.get(name)?,
            None => self.column_types?.get(name)?,
        };
        if matches!(ty, ColumnType::Unknown) {
            return None;
        }
        if let Some((_, shared)) = self.shared_types.iter().find(|(k, _)| std::ptr::eq(*k, ty)) {
            return Some(Arc::clone(shared));
        }
        let shared = Arc::new(ty.clone());
        self.shared_types.push((ty, Arc::clone(&shared)));
        Some(shared)
    }
    /// Enters (or, with `None`, leaves) the name scope of a select; returns
    /// the previous one so a nested select can restore it.
    pub(crate) fn set_scope(&mut self, select: Option<&'d Select>) -> Option<Scope<'d>> {
        let next = select.filter(|s| !s.joins.is_empty()).map(|select| Scope {
            select,
            aliases_visible: false,
        });
        std::mem::replace(&mut self.scope, next)
    }
    /// Restores a scope [`SqlWriter::set_scope`] returned.
    pub(crate) fn restore_scope(&mut self, scope: Option<Scope<'d>>) {
        self.scope = scope;
    }
    /// Whether annotation aliases may be named bare (ORDER BY, GROUP BY, HAVING).
    pub(crate) fn set_aliases_visible(&mut self, visible: bool) {
        if let Some(s) = &mut self.scope {
            s.aliases_visible = visible;
        }
    }
    /// The table a bare column reference `name` is qualified with: the base
    /// table of a select with joins, unless `name` is a visible annotation alias.
    pub(crate) fn bare_column_qualifier(&self, name: &str) -> Option<&'d str> {
        let scope = self.scope?;
        let is_alias = scope.aliases_visible && scope.select.annotations.iter().any(|a| a.alias == name);
        (!is_alias).then_some(scope.select.table.as_str())
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
            param_types: self.param_types,
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
    out.set_column_types(match op {
        Op::Select(s) => Some(&s.column_types),
        Op::Insert(i) => Some(&i.column_types),
        Op::Update(u) => Some(&u.column_types),
        Op::Delete(d) => Some(&d.column_types),
        _ => None,
    });
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
    out.check_identifiers()?;
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
