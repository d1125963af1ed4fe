//! The envelope: a flat MessagePack map, validated into an [`Op`].
use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use crate::expr::AggFunc;
use crate::ident::check_identifier;
use crate::op::ColumnTypes;
use crate::{
    Annotation, CmpOp, ColumnDef, Cond, CreateTable, Delete, DropTable, Expr, ForeignKey, Insert, IrError, Join,
    JoinKind, Lock, LockWait, Op, OrderTerm, Raw, Returning, Select, SelectShape, Union, Update, Value,
};

/// The IR protocol version this crate reads. Python sends it as `proto`.
pub const IR_VERSION: u32 = 1;

/// Deepest nesting accepted, so hostile input cannot exhaust the stack.
const MAX_DEPTH: usize = 96;

/// Decodes and validates one IR envelope.
///
/// Total: every input gives an [`Op`] or an [`IrError`]; none panics.
pub fn decode(bytes: &[u8]) -> Result<Op, IrError> {
    let mut de = rmp_serde::Deserializer::from_read_ref(bytes);
    de.set_max_depth(MAX_DEPTH);
    let env = Envelope::deserialize(&mut de).map_err(IrError::malformed)?;
    env.into_op()
}

/// Encodes a map of values as an IR envelope (tests, examples and tools).
///
/// ```
/// use std::collections::BTreeMap;
/// use oxyde_ir::{decode, encode_map, Op, Value};
///
/// let mut m = BTreeMap::new();
/// m.insert("proto", Value::Int(1));
/// m.insert("op", Value::Text("raw".into()));
/// m.insert("sql", Value::Text("SELECT 1".into()));
/// let op = decode(&encode_map(&m)).unwrap();
/// assert!(matches!(op, Op::Raw(r) if r.sql == "SELECT 1"));
/// ```
pub fn encode_map(map: &BTreeMap<&str, Value>) -> Vec<u8> {
    rmp_serde::to_vec_named(map).unwrap_or_default()
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Envelope {
    proto: Option<u32>,
    op: Option<String>,
    table: Option<String>,
    schema: Option<String>,
    cols: Option<Vec<String>>,
    column_types: Option<ColumnTypes>,
    filter_tree: Option<Cond>,
    distinct: Option<bool>,
    limit: Option<i64>,
    offset: Option<i64>,
    order_by: Option<Vec<(Expr, String)>>,
    group_by: Option<Vec<String>>,
    having: Option<Cond>,
    annotations: Option<Vec<AnnotationWire>>,
    aggregates: Option<Vec<AggregateWire>>,
    lock: Option<String>,
    lock_wait: Option<String>,
    union_query: Option<Box<Envelope>>,
    union_all: Option<bool>,
    count: Option<bool>,
    exists: Option<bool>,
    joins: Option<Vec<JoinWire>>,
    rows: Option<Vec<Vec<Value>>>,
    #[serde(deserialize_with = "pairs")]
    values: Option<Vec<(String, Expr)>>,
    returning: Option<ReturningWire>,
    sql: Option<String>,
    params: Option<Vec<Value>>,
    columns: Option<Vec<ColumnDef>>,
    if_not_exists: Option<bool>,
    if_exists: Option<bool>,
    foreign_keys: Option<Vec<ForeignKey>>,
}

/// One join on the wire; unknown keys (the Python package's `path`) are ignored.
#[derive(Deserialize)]
struct JoinWire {
    table: String,
    schema: Option<String>,
    alias: Option<String>,
    kind: Option<String>,
    /// Alias of the table the pairs' left columns belong to (default: the base table).
    parent: Option<String>,
    on: OnWire,
    #[serde(default)]
    columns: Vec<String>,
    #[serde(default)]
    column_types: ColumnTypes,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OnWire {
    /// `[[parent_column, joined_column], ...]`, AND-ed equalities.
    Pairs(Vec<(String, String)>),
    /// Any condition, with qualified column references.
    Cond(Cond),
}

#[derive(Deserialize)]
struct AnnotationWire {
    alias: String,
    expr: Expr,
}

#[derive(Deserialize)]
struct AggregateWire {
    op: String,
    field: Option<String>,
    alias: String,
    #[serde(default)]
    distinct: bool,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum ReturningWire {
    Flag(bool),
    Columns(Vec<String>),
}

impl Envelope {
    fn into_op(self) -> Result<Op, IrError> {
        let proto = self.proto.ok_or(IrError::Missing {
            what: "envelope",
            key: "proto",
        })?;
        if proto != IR_VERSION {
            return Err(IrError::Version {
                found: proto,
                expected: IR_VERSION,
            });
        }
        let op = self.op.clone().ok_or(IrError::Missing {
            what: "envelope",
            key: "op",
        })?;
        match op.as_str() {
            "select" => Ok(Op::Select(self.into_select()?)),
            "insert" => self.into_insert().map(Op::Insert),
            "update" => self.into_update().map(Op::Update),
            "delete" => self.into_delete().map(Op::Delete),
            "raw" => Ok(Op::Raw(Raw {
                sql: self.sql.ok_or(IrError::Missing {
                    what: "raw",
                    key: "sql",
                })?,
                params: self.params.unwrap_or_default(),
            })),
            "create_table" => Ok(Op::CreateTable(CreateTable {
                table: table(self.table, "create_table")?,
                schema: schema(self.schema)?,
                columns: checked_columns(self.columns)?,
                if_not_exists: self.if_not_exists.unwrap_or(false),
                foreign_keys: checked_foreign_keys(self.foreign_keys.unwrap_or_default())?,
            })),
            "drop_table" => Ok(Op::DropTable(DropTable {
                table: table(self.table, "drop_table")?,
                schema: schema(self.schema)?,
                if_exists: self.if_exists.unwrap_or(false),
            })),
            other => Err(IrError::unknown("op", other)),
        }
    }

    fn into_select(self) -> Result<Select, IrError> {
        let table = table(self.table, "select")?;
        let joins = joins(&table, self.joins.unwrap_or_default())?;
        let mut column_types = self.column_types.unwrap_or_default();
        for j in &joins {
            for (col, ty) in &j.column_types {
                column_types.insert(crate::joined_column_name(&j.alias, col), ty.clone());
            }
        }
        let columns = checked_names(self.cols.unwrap_or_default())?;
        let mut annotations = Vec::new();
        for a in self.aggregates.unwrap_or_default() {
            check_identifier(&a.alias)?;
            let arg = match a.field.as_deref() {
                None | Some("*") => None,
                Some(name) => {
                    check_identifier(name)?;
                    Some(Box::new(Expr::column(name)))
                }
            };
            let expr = Expr::Agg {
                func: AggFunc::parse(&a.op)?,
                arg,
                distinct: a.distinct,
            };
            annotations.push(Annotation { alias: a.alias, expr });
        }
        for a in self.annotations.unwrap_or_default() {
            check_identifier(&a.alias)?;
            annotations.push(Annotation {
                alias: a.alias,
                expr: a.expr,
            });
        }
        let order_by = self
            .order_by
            .unwrap_or_default()
            .into_iter()
            .map(|(expr, dir)| order_term(expr, &dir))
            .collect::<Result<_, _>>()?;
        let shape = match (self.count.unwrap_or(false), self.exists.unwrap_or(false)) {
            (true, true) => return Err(IrError::Invalid("a select cannot be both count and exists".into())),
            (true, false) => SelectShape::Count,
            (false, true) => SelectShape::Exists,
            (false, false) => SelectShape::Rows,
        };
        let union = match self.union_query {
            None => None,
            Some(partner) => Some(Box::new(Union {
                query: partner.into_select()?,
                all: self.union_all.unwrap_or(false),
            })),
        };
        let lock = match self.lock.as_deref() {
            None => None,
            Some("update") => Some(Lock::Update),
            Some("share") => Some(Lock::Share),
            Some(other) => return Err(IrError::unknown("lock", other)),
        };
        let lock_wait = match self.lock_wait.as_deref() {
            None | Some("wait") => LockWait::Wait,
            Some("nowait") => LockWait::NoWait,
            Some("skip_locked") => LockWait::SkipLocked,
            Some(other) => return Err(IrError::unknown("lock_wait", other)),
        };
        Ok(Select {
            table,
            schema: schema(self.schema)?,
            columns,
            joins,
            annotations,
            filter: self.filter_tree,
            distinct: self.distinct.unwrap_or(false),
            order_by,
            group_by: checked_names(self.group_by.unwrap_or_default())?,
            having: self.having,
            limit: non_negative(self.limit, "limit")?,
            offset: non_negative(self.offset, "offset")?,
            lock,
            lock_wait,
            union,
            shape,
            column_types,
        })
    }

    fn into_insert(self) -> Result<Insert, IrError> {
        let columns = checked_names(self.cols.ok_or(IrError::Missing {
            what: "insert",
            key: "cols",
        })?)?;
        let rows = self.rows.ok_or(IrError::Missing {
            what: "insert",
            key: "rows",
        })?;
        if rows.is_empty() {
            return Err(IrError::Invalid("insert requires at least one row".into()));
        }
        if let Some(bad) = rows.iter().position(|r| r.len() != columns.len()) {
            return Err(IrError::Invalid(format!(
                "insert row {bad} has {} values for {} columns",
                rows[bad].len(),
                columns.len()
            )));
        }
        Ok(Insert {
            table: table(self.table, "insert")?,
            schema: schema(self.schema)?,
            columns,
            rows,
            returning: returning(self.returning)?,
            column_types: self.column_types.unwrap_or_default(),
        })
    }

    fn into_update(self) -> Result<Update, IrError> {
        let set = self.values.ok_or(IrError::Missing {
            what: "update",
            key: "values",
        })?;
        if set.is_empty() {
            return Err(IrError::Invalid("update requires at least one value".into()));
        }
        for (col, _) in &set {
            check_identifier(col)?;
        }
        Ok(Update {
            table: table(self.table, "update")?,
            schema: schema(self.schema)?,
            set,
            filter: self.filter_tree,
            returning: returning(self.returning)?,
            column_types: self.column_types.unwrap_or_default(),
        })
    }

    fn into_delete(self) -> Result<Delete, IrError> {
        Ok(Delete {
            table: table(self.table, "delete")?,
            schema: schema(self.schema)?,
            filter: self.filter_tree,
            returning: returning(self.returning)?,
            column_types: self.column_types.unwrap_or_default(),
        })
    }
}

fn table(name: Option<String>, what: &'static str) -> Result<String, IrError> {
    let name = name.ok_or(IrError::Missing { what, key: "table" })?;
    check_identifier(&name)?;
    Ok(name)
}

fn schema(name: Option<String>) -> Result<Option<String>, IrError> {
    if let Some(n) = &name {
        check_identifier(n)?;
    }
    Ok(name)
}

fn checked_names(names: Vec<String>) -> Result<Vec<String>, IrError> {
    for n in &names {
        check_identifier(n)?;
    }
    Ok(names)
}

fn checked_columns(columns: Option<Vec<ColumnDef>>) -> Result<Vec<ColumnDef>, IrError> {
    let columns = columns.ok_or(IrError::Missing {
        what: "create_table",
        key: "columns",
    })?;
    if columns.is_empty() {
        return Err(IrError::Invalid("create_table requires at least one column".into()));
    }
    for c in &columns {
        check_identifier(&c.name)?;
    }
    Ok(columns)
}

/// Validates joins: names checked, aliases unique and distinct from the base
/// table, a pair list turned into `parent.a = alias.b AND ...`.
fn joins(base: &str, wire: Vec<JoinWire>) -> Result<Vec<Join>, IrError> {
    let mut out: Vec<Join> = Vec::with_capacity(wire.len());
    for j in wire {
        check_identifier(&j.table)?;
        let alias = j.alias.unwrap_or_else(|| j.table.clone());
        check_identifier(&alias)?;
        if alias == base || out.iter().any(|o| o.alias == alias) {
            return Err(IrError::Invalid(format!("join alias '{alias}' is used twice")));
        }
        let kind = match j.kind.as_deref().map(str::to_ascii_lowercase).as_deref() {
            None | Some("left") => JoinKind::Left,
            Some("inner") => JoinKind::Inner,
            Some(other) => return Err(IrError::unknown("join kind", other)),
        };
        let parent = j.parent.unwrap_or_else(|| base.to_owned());
        if parent != base && !out.iter().any(|o| o.alias == parent) {
            return Err(IrError::Invalid(format!(
                "join '{alias}' names parent '{parent}', which is not joined before it"
            )));
        }
        let on = match j.on {
            OnWire::Cond(c) => c,
            OnWire::Pairs(pairs) if pairs.is_empty() => {
                return Err(IrError::Invalid(format!("join '{alias}' has an empty ON list")));
            }
            OnWire::Pairs(pairs) => {
                let mut conds = Vec::with_capacity(pairs.len());
                for (left, right) in pairs {
                    check_identifier(&left)?;
                    check_identifier(&right)?;
                    conds.push(Cond::Compare {
                        lhs: Expr::Column {
                            table: Some(parent.clone()),
                            name: left,
                        },
                        op: CmpOp::Eq,
                        rhs: Expr::Column {
                            table: Some(alias.clone()),
                            name: right,
                        },
                    });
                }
                if conds.len() == 1 {
                    conds.pop().unwrap_or(Cond::And(Vec::new()))
                } else {
                    Cond::And(conds)
                }
            }
        };
        out.push(Join {
            table: j.table,
            schema: schema(j.schema)?,
            alias,
            kind,
            on,
            columns: checked_names(j.columns)?,
            column_types: j.column_types,
        });
    }
    Ok(out)
}

fn checked_foreign_keys(fks: Vec<ForeignKey>) -> Result<Vec<ForeignKey>, IrError> {
    for fk in &fks {
        if fk.columns.is_empty() || fk.columns.len() != fk.ref_columns.len() {
            return Err(IrError::Invalid(
                "a foreign key needs as many referenced columns as columns, at least one".into(),
            ));
        }
        check_identifier(&fk.ref_table)?;
        if let Some(s) = &fk.ref_schema {
            check_identifier(s)?;
        }
        for c in fk.columns.iter().chain(&fk.ref_columns).chain(&fk.name) {
            check_identifier(c)?;
        }
    }
    Ok(fks)
}

fn non_negative(v: Option<i64>, what: &str) -> Result<Option<u64>, IrError> {
    v.map(|n| u64::try_from(n).map_err(|_| IrError::Invalid(format!("{what} must be non-negative, got {n}"))))
        .transpose()
}

fn order_term(expr: Expr, dir: &str) -> Result<OrderTerm, IrError> {
    let expr = match expr {
        Expr::Value(Value::Text(name)) => {
            check_identifier(&name)?;
            Expr::column(name)
        }
        Expr::Value(_) => {
            return Err(IrError::Invalid(
                "order_by terms name a column or give an expression".into(),
            ))
        }
        other => other,
    };
    match dir.to_ascii_uppercase().as_str() {
        "ASC" => Ok(OrderTerm::Asc(expr)),
        "DESC" => Ok(OrderTerm::Desc(expr)),
        "RANDOM" => Ok(OrderTerm::Random),
        _ => Err(IrError::unknown("order direction", dir)),
    }
}

fn returning(r: Option<ReturningWire>) -> Result<Returning, IrError> {
    Ok(match r {
        None | Some(ReturningWire::Flag(false)) => Returning::Nothing,
        Some(ReturningWire::Flag(true)) => Returning::All,
        Some(ReturningWire::Columns(cols)) => Returning::Columns(checked_names(cols)?),
    })
}

/// Reads a map as ordered `(key, expr)` pairs: SET order follows the dict.
fn pairs<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<(String, Expr)>>, D::Error> {
    struct PairsVisitor;
    impl<'de> Visitor<'de> for PairsVisitor {
        type Value = Option<Vec<(String, Expr)>>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a map of column to value or expression")
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::with_capacity(map.size_hint().unwrap_or(0).min(1024));
            while let Some((k, v)) = map.next_entry::<String, Expr>()? {
                out.push((k, v));
            }
            Ok(Some(out))
        }
    }
    d.deserialize_any(PairsVisitor)
}
