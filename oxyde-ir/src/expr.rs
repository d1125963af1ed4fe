use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::ident::{check_function_name, check_identifier};
use crate::value::ValueVisitor;
use crate::{Cond, IrError, Value};

/// A scalar expression: a column, a bound value, arithmetic, a function call,
/// an aggregate, a date part, a `CASE` or a raw SQL fragment with its own
/// parameters.
///
/// On the wire an expression is either a plain value (bound as a parameter) or
/// a map with a `"type"` key; see `docs/ir.md`.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A column, optionally qualified by a table or join alias.
    Column {
        /// Table or alias that qualifies the column.
        table: Option<String>,
        /// Column name.
        name: String,
    },
    /// A value, always bound as a parameter.
    Value(Value),
    /// `left <op> right`.
    Binary {
        /// Operator.
        op: ArithOp,
        /// Left operand.
        left: Box<Expr>,
        /// Right operand.
        right: Box<Expr>,
    },
    /// A function call; the name is checked to be a plain identifier.
    /// `concat` and `coalesce` are portable; other names pass through.
    Func {
        /// Function name, lower case for portable functions.
        name: String,
        /// Arguments.
        args: Vec<Expr>,
    },
    /// An aggregate; `arg` is `None` for `COUNT(*)`.
    Agg {
        /// Aggregate function.
        func: AggFunc,
        /// Argument, `None` meaning `*`.
        arg: Option<Box<Expr>>,
        /// `DISTINCT` inside the call.
        distinct: bool,
    },
    /// A part (year, month, ...) of a date or timestamp.
    DatePart {
        /// Which part.
        part: DatePart,
        /// The date or timestamp expression.
        expr: Box<Expr>,
    },
    /// `CASE WHEN c1 THEN r1 WHEN c2 THEN r2 ... [ELSE e] END`; the first
    /// condition that holds picks its result, none picks `else` (NULL when absent).
    Case {
        /// `(condition, result)` pairs, in order; never empty.
        whens: Vec<(Cond, Expr)>,
        /// The result when no condition holds.
        else_: Option<Box<Expr>>,
    },
    /// Verbatim SQL with its own parameters, written in the target dialect's
    /// placeholder style.
    Raw {
        /// SQL text, inserted as is.
        sql: String,
        /// Parameters for the placeholders in `sql`, in order.
        params: Vec<Value>,
    },
}

impl Expr {
    /// A bare column reference.
    pub fn column(name: impl Into<String>) -> Self {
        Expr::Column {
            table: None,
            name: name.into(),
        }
    }
}

/// Arithmetic operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArithOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `%`
    Mod,
}

impl ArithOp {
    fn parse(s: &str) -> Result<Self, IrError> {
        Ok(match s {
            "+" => Self::Add,
            "-" => Self::Sub,
            "*" => Self::Mul,
            "/" => Self::Div,
            "%" => Self::Mod,
            _ => return Err(IrError::unknown("arithmetic operator", s)),
        })
    }
    /// The SQL spelling.
    pub fn as_sql(self) -> &'static str {
        match self {
            Self::Add => "+",
            Self::Sub => "-",
            Self::Mul => "*",
            Self::Div => "/",
            Self::Mod => "%",
        }
    }
}

/// Aggregate functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AggFunc {
    /// `COUNT`
    Count,
    /// `SUM`
    Sum,
    /// `AVG`
    Avg,
    /// `MAX`
    Max,
    /// `MIN`
    Min,
}

impl AggFunc {
    pub(crate) fn parse(s: &str) -> Result<Self, IrError> {
        Ok(match s.to_ascii_lowercase().as_str() {
            "count" => Self::Count,
            "sum" => Self::Sum,
            "avg" => Self::Avg,
            "max" => Self::Max,
            "min" => Self::Min,
            _ => return Err(IrError::unknown("aggregate", s)),
        })
    }
    /// The SQL spelling.
    pub fn as_sql(self) -> &'static str {
        match self {
            Self::Count => "COUNT",
            Self::Sum => "SUM",
            Self::Avg => "AVG",
            Self::Max => "MAX",
            Self::Min => "MIN",
        }
    }
}

/// Parts of a date or timestamp that lookups can compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatePart {
    /// Calendar year.
    Year,
    /// Month, 1..=12.
    Month,
    /// Day of month, 1..=31.
    Day,
    /// Hour, 0..=23.
    Hour,
    /// Minute, 0..=59.
    Minute,
    /// Second, 0..=59.
    Second,
}

impl DatePart {
    pub(crate) fn parse(s: &str) -> Result<Self, IrError> {
        Ok(match s {
            "year" => Self::Year,
            "month" => Self::Month,
            "day" => Self::Day,
            "hour" => Self::Hour,
            "minute" => Self::Minute,
            "second" => Self::Second,
            _ => return Err(IrError::unknown("date part", s)),
        })
    }
    /// Lower-case name, as on the wire.
    pub fn name(self) -> &'static str {
        match self {
            Self::Year => "year",
            Self::Month => "month",
            Self::Day => "day",
            Self::Hour => "hour",
            Self::Minute => "minute",
            Self::Second => "second",
        }
    }
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ExprWire {
    #[serde(rename = "type")]
    kind: String,
    name: Option<String>,
    table: Option<String>,
    #[serde(default)]
    value: Option<Value>,
    op: Option<String>,
    left: Option<Box<Expr>>,
    right: Option<Box<Expr>>,
    args: Option<Vec<Expr>>,
    func: Option<String>,
    arg: Option<Box<Expr>>,
    distinct: Option<bool>,
    sql: Option<String>,
    params: Option<Vec<Value>>,
    part: Option<String>,
    expr: Option<Box<Expr>>,
    whens: Option<Vec<(Cond, Expr)>>,
    #[serde(rename = "else")]
    else_: Option<Box<Expr>>,
}

fn need<T>(v: Option<T>, what: &'static str, key: &'static str) -> Result<T, IrError> {
    v.ok_or(IrError::Missing { what, key })
}

impl TryFrom<ExprWire> for Expr {
    type Error = IrError;

    fn try_from(w: ExprWire) -> Result<Self, IrError> {
        Ok(match w.kind.as_str() {
            "column" | "F" | "f" => {
                let name = need(w.name, "column expression", "name")?;
                check_identifier(&name)?;
                if let Some(t) = &w.table {
                    check_identifier(t)?;
                }
                Expr::Column { table: w.table, name }
            }
            "value" => Expr::Value(w.value.unwrap_or(Value::Null)),
            "binary" | "arith" => Expr::Binary {
                op: ArithOp::parse(&need(w.op, "binary expression", "op")?)?,
                left: need(w.left, "binary expression", "left")?,
                right: need(w.right, "binary expression", "right")?,
            },
            "func" => {
                let name = need(w.name, "function call", "name")?;
                check_function_name(&name)?;
                Expr::Func {
                    name,
                    args: w.args.unwrap_or_default(),
                }
            }
            "agg" | "aggregate" => Expr::Agg {
                func: AggFunc::parse(&need(w.func.or(w.op), "aggregate", "func")?)?,
                arg: w.arg,
                distinct: w.distinct.unwrap_or(false),
            },
            "date_part" => Expr::DatePart {
                part: DatePart::parse(&need(w.part, "date part", "part")?)?,
                expr: need(w.expr, "date part", "expr")?,
            },
            "case" => {
                let whens = need(w.whens, "case expression", "whens")?;
                if whens.is_empty() {
                    return Err(IrError::Invalid("case requires at least one when".into()));
                }
                Expr::Case { whens, else_: w.else_ }
            }
            "raw" => Expr::Raw {
                sql: need(w.sql, "raw expression", "sql")?,
                params: w.params.unwrap_or_default(),
            },
            other => return Err(IrError::unknown("expression type", other)),
        })
    }
}

struct ExprVisitor;

macro_rules! forward_to_value {
    ($($method:ident($($arg:ident: $ty:ty),*);)*) => {
        $(fn $method<E: de::Error>(self, $($arg: $ty),*) -> Result<Expr, E> {
            ValueVisitor.$method($($arg),*).map(Expr::Value)
        })*
    };
}

impl<'de> Visitor<'de> for ExprVisitor {
    type Value = Expr;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a value or an expression map with a 'type' key")
    }
    forward_to_value! {
        visit_unit();
        visit_none();
        visit_bool(v: bool);
        visit_i64(v: i64);
        visit_u64(v: u64);
        visit_f64(v: f64);
        visit_str(v: &str);
        visit_string(v: String);
        visit_bytes(v: &[u8]);
        visit_byte_buf(v: Vec<u8>);
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Expr, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Expr, A::Error> {
        ValueVisitor.visit_seq(seq).map(Expr::Value)
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Expr, D::Error> {
        ValueVisitor.visit_newtype_struct(d).map(Expr::Value)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Expr, A::Error> {
        let wire = ExprWire::deserialize(de::value::MapAccessDeserializer::new(map))?;
        Expr::try_from(wire).map_err(de::Error::custom)
    }
}

impl<'de> Deserialize<'de> for Expr {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ExprVisitor)
    }
}
