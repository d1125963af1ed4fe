use serde::de::{Deserialize, Deserializer};

use crate::expr::DatePart;
use crate::ident::check_identifier;
use crate::{Expr, IrError, Value};

/// A boolean condition tree (WHERE, HAVING).
#[derive(Debug, Clone, PartialEq)]
pub enum Cond {
    /// All must hold; an empty list is true.
    And(Vec<Cond>),
    /// Any must hold; an empty list is false.
    Or(Vec<Cond>),
    /// Negation.
    Not(Box<Cond>),
    /// `lhs <op> rhs`.
    Compare {
        /// Left side.
        lhs: Expr,
        /// Comparison.
        op: CmpOp,
        /// Right side.
        rhs: Expr,
    },
    /// `lhs IN (values...)`; an empty list is false.
    In {
        /// Left side.
        lhs: Expr,
        /// Candidates.
        values: Vec<Expr>,
    },
    /// `lhs IS [NOT] NULL`.
    IsNull {
        /// Tested expression.
        lhs: Expr,
        /// `IS NOT NULL` when true.
        negated: bool,
    },
    /// `lhs BETWEEN low AND high` (inclusive).
    Between {
        /// Tested expression.
        lhs: Expr,
        /// Lower bound.
        low: Expr,
        /// Upper bound.
        high: Expr,
    },
    /// Pattern match; `%` and `_` are wildcards, `escape` quotes them.
    Like {
        /// Tested expression.
        lhs: Expr,
        /// The pattern.
        pattern: Expr,
        /// Whether case is ignored (`ILIKE` style).
        case_insensitive: bool,
        /// Escape character for wildcards in the pattern.
        escape: Option<char>,
    },
}

/// Comparison operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    /// `=`
    Eq,
    /// `<>`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl CmpOp {
    /// The SQL spelling.
    pub fn as_sql(self) -> &'static str {
        match self {
            Self::Eq => "=",
            Self::Ne => "<>",
            Self::Lt => "<",
            Self::Le => "<=",
            Self::Gt => ">",
            Self::Ge => ">=",
        }
    }
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct CondWire {
    #[serde(rename = "type")]
    kind: String,
    field: Option<String>,
    column: Option<String>,
    table: Option<String>,
    lhs: Option<Expr>,
    operator: Option<String>,
    // `Option<Expr>` alone would read a nil value as absent; nil is NULL here.
    #[serde(default, deserialize_with = "present")]
    value: Option<Expr>,
    escape: Option<String>,
    part: Option<String>,
    conditions: Option<Vec<Cond>>,
    condition: Option<Box<Cond>>,
}

impl TryFrom<CondWire> for Cond {
    type Error = IrError;

    fn try_from(w: CondWire) -> Result<Self, IrError> {
        match w.kind.as_str() {
            "and" => Ok(Cond::And(w.conditions.ok_or(IrError::Missing {
                what: "and node",
                key: "conditions",
            })?)),
            "or" => Ok(Cond::Or(w.conditions.ok_or(IrError::Missing {
                what: "or node",
                key: "conditions",
            })?)),
            "not" => Ok(Cond::Not(w.condition.ok_or(IrError::Missing {
                what: "not node",
                key: "condition",
            })?)),
            "condition" => leaf(w),
            other => Err(IrError::unknown("filter node type", other)),
        }
    }
}

fn leaf(w: CondWire) -> Result<Cond, IrError> {
    let mut lhs = match (w.lhs, w.column.or(w.field)) {
        (Some(expr), _) => expr,
        (None, Some(name)) => {
            check_identifier(&name)?;
            if let Some(t) = &w.table {
                check_identifier(t)?;
            }
            Expr::Column { table: w.table, name }
        }
        (None, None) => {
            return Err(IrError::Missing {
                what: "condition",
                key: "field",
            })
        }
    };
    if let Some(part) = w.part {
        lhs = Expr::DatePart {
            part: DatePart::parse(&part)?,
            expr: Box::new(lhs),
        };
    }
    let operator = w.operator.ok_or(IrError::Missing {
        what: "condition",
        key: "operator",
    })?;
    let value = w.value;
    let rhs = || {
        value.clone().ok_or(IrError::Missing {
            what: "condition",
            key: "value",
        })
    };
    let compare = |op: CmpOp| -> Result<Cond, IrError> {
        let rhs = rhs()?;
        Ok(match (&rhs, op) {
            (Expr::Value(Value::Null), CmpOp::Eq) => Cond::IsNull {
                lhs: lhs.clone(),
                negated: false,
            },
            (Expr::Value(Value::Null), CmpOp::Ne) => Cond::IsNull {
                lhs: lhs.clone(),
                negated: true,
            },
            _ => Cond::Compare {
                lhs: lhs.clone(),
                op,
                rhs,
            },
        })
    };
    match operator.to_ascii_uppercase().as_str() {
        "=" | "==" => compare(CmpOp::Eq),
        "!=" | "<>" => compare(CmpOp::Ne),
        "<" => compare(CmpOp::Lt),
        "<=" => compare(CmpOp::Le),
        ">" => compare(CmpOp::Gt),
        ">=" => compare(CmpOp::Ge),
        "IS NULL" => Ok(Cond::IsNull { lhs, negated: false }),
        "IS NOT NULL" => Ok(Cond::IsNull { lhs, negated: true }),
        "IN" | "NOT IN" => {
            let values = match rhs()? {
                Expr::Value(Value::Array(items)) => items.into_iter().map(Expr::Value).collect(),
                _ => return Err(IrError::Invalid("IN requires an array value".into())),
            };
            let cond = Cond::In { lhs, values };
            Ok(if operator.eq_ignore_ascii_case("NOT IN") {
                Cond::Not(Box::new(cond))
            } else {
                cond
            })
        }
        "BETWEEN" => match rhs()? {
            Expr::Value(Value::Array(mut items)) if items.len() == 2 => {
                let high = Expr::Value(items.pop().unwrap_or(Value::Null));
                let low = Expr::Value(items.pop().unwrap_or(Value::Null));
                Ok(Cond::Between { lhs, low, high })
            }
            _ => Err(IrError::Invalid(
                "BETWEEN requires an array of exactly two values".into(),
            )),
        },
        op @ ("LIKE" | "ILIKE") => {
            let escape = match w.escape {
                None => None,
                Some(e) => Some(parse_escape(&e)?),
            };
            Ok(Cond::Like {
                lhs,
                pattern: rhs()?,
                case_insensitive: op == "ILIKE",
                escape,
            })
        }
        _ => Err(IrError::unknown("operator", operator)),
    }
}

/// The escape character is written as a SQL literal, so it must be one plain
/// character that needs no quoting in any dialect.
fn parse_escape(e: &str) -> Result<char, IrError> {
    let mut chars = e.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if c.is_ascii_punctuation() && c != '\'' && c != '\\' && c != '"' && c != '`' => Ok(c),
        _ => Err(IrError::Invalid(format!(
            "LIKE escape must be one punctuation character other than quotes and backslash, got {e:?}"
        ))),
    }
}

fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Expr>, D::Error> {
    Expr::deserialize(d).map(Some)
}

impl<'de> Deserialize<'de> for Cond {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let wire = CondWire::deserialize(d)?;
        Cond::try_from(wire).map_err(serde::de::Error::custom)
    }
}
