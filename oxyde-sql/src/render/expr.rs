//! Expressions and conditions.
use std::sync::Arc;

use oxyde_ir::{ColumnType, Cond, Expr};

use super::SqlWriter;
use crate::RenderError;

/// Writes one expression; values are bound, names quoted.
///
/// ```
/// use oxyde_ir::{ArithOp, Expr, Value};
/// use oxyde_sql::{render::write_expr, SqlWriter};
/// use oxyde_mysql::MySqlDialect;
///
/// let e = Expr::Binary {
///     op: ArithOp::Add,
///     left: Box::new(Expr::column("views")),
///     right: Box::new(Expr::Value(Value::Int(1))),
/// };
/// let mut out = SqlWriter::new(&MySqlDialect);
/// write_expr(&e, &mut out).unwrap();
/// assert_eq!(out.finish().sql, "(`views` + ?)");
/// ```
pub fn write_expr(expr: &Expr, out: &mut SqlWriter<'_>) -> Result<(), RenderError> {
    let d = out.dialect();
    match expr {
        Expr::Column { table, name } => {
            if let Some(t) = table.as_deref().or_else(|| out.bare_column_qualifier(name)) {
                out.push_identifier(t);
                out.push_str(".");
            }
            out.push_identifier(name);
        }
        Expr::Value(v) => out.push_param(v.clone()),
        Expr::Binary { op, left, right } => {
            out.push_str("(");
            write_expr(left, out)?;
            out.push_str(" ");
            out.push_str(op.as_sql());
            out.push_str(" ");
            write_expr(right, out)?;
            out.push_str(")");
        }
        Expr::Func { name, args } => write_func(name, args, out)?,
        Expr::Agg { func, arg, distinct } => {
            out.push_str(func.as_sql());
            out.push_str("(");
            if *distinct {
                out.push_str("DISTINCT ");
            }
            match arg {
                Some(a) => write_expr(a, out)?,
                None => out.push_str("*"),
            }
            out.push_str(")");
        }
        Expr::DatePart { part, expr } => d.write_date_part(*part, expr, out)?,
        Expr::Case { whens, else_ } => write_case(whens, else_.as_deref(), None, out)?,
        Expr::Raw { sql, params } => {
            out.push_str("(");
            d.write_raw_fragment(sql, params, out)?;
            out.push_str(")");
        }
    }
    Ok(())
}

/// Writes `expr` where it is stored in, or compared with, a column of type
/// `ty`: a bare value is bound with that type as its hint
/// ([`SqlWriter::push_param_typed`]), a `CASE` hands the type on to its
/// results, anything else is written as by [`write_expr`].
///
/// ```
/// use oxyde_ir::{ColumnType, Expr, Value};
/// use oxyde_sql::{render::write_typed_expr, SqlWriter};
/// use oxyde_postgres::PostgresDialect;
///
/// let mut out = SqlWriter::new(&PostgresDialect);
/// let uuid = std::sync::Arc::new(ColumnType::Uuid);
/// write_typed_expr(&Expr::Value(Value::Null), Some(&uuid), &mut out).unwrap();
/// let stmt = out.finish();
/// assert_eq!(stmt.sql, "$1");
/// assert_eq!(stmt.param_type(0), Some(&ColumnType::Uuid));
/// ```
pub fn write_typed_expr(expr: &Expr, ty: Option<&Arc<ColumnType>>, out: &mut SqlWriter<'_>) -> Result<(), RenderError> {
    match expr {
        Expr::Value(v) => out.push_param_typed(v.clone(), ty.cloned()),
        Expr::Case { whens, else_ } => write_case(whens, else_.as_deref(), ty, out)?,
        other => write_expr(other, out)?,
    }
    Ok(())
}

/// `CASE WHEN c THEN r ... [ELSE e] END`; results take `ty` as their hint.
fn write_case(
    whens: &[(Cond, Expr)],
    else_: Option<&Expr>,
    ty: Option<&Arc<ColumnType>>,
    out: &mut SqlWriter<'_>,
) -> Result<(), RenderError> {
    if whens.is_empty() {
        return Err(RenderError::Invalid(oxyde_ir::IrError::Invalid(
            "case requires at least one when".into(),
        )));
    }
    out.push_str("CASE");
    for (cond, result) in whens {
        out.push_str(" WHEN ");
        write_cond(cond, out)?;
        out.push_str(" THEN ");
        write_typed_expr(result, ty, out)?;
    }
    if let Some(e) = else_ {
        out.push_str(" ELSE ");
        write_typed_expr(e, ty, out)?;
    }
    out.push_str(" END");
    Ok(())
}

/// The type a value compared with `other` takes: `other`'s column type when
/// it is a plain column (qualified or not) the op describes; a column of a
/// join alias takes that join's type.
fn target_of(other: &Expr, out: &mut SqlWriter<'_>) -> Option<Arc<ColumnType>> {
    match other {
        Expr::Column { table, name } => out.column_type_in(table.as_deref(), name),
        _ => None,
    }
}

/// Portable functions get their dialect spelling; others pass through.
fn write_func(name: &str, args: &[Expr], out: &mut SqlWriter<'_>) -> Result<(), RenderError> {
    let d = out.dialect();
    let spelled = match name.to_ascii_lowercase().as_str() {
        "concat" => return d.write_concat(args, out),
        "coalesce" => "COALESCE",
        "lower" => "LOWER",
        "upper" => "UPPER",
        "length" => d.char_length_function(),
        _ => name,
    };
    out.push_str(spelled);
    out.push_str("(");
    write_list(args, out)?;
    out.push_str(")");
    Ok(())
}

/// Writes `a, b, c`.
pub(crate) fn write_list(exprs: &[Expr], out: &mut SqlWriter<'_>) -> Result<(), RenderError> {
    for (i, e) in exprs.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        write_expr(e, out)?;
    }
    Ok(())
}

/// Writes one condition. An empty AND is `1=1`, an empty OR and an empty IN
/// are `1=0`, so every tree renders to valid SQL.
///
/// ```
/// use oxyde_ir::{Cond, Expr};
/// use oxyde_sql::{render::write_cond, SqlWriter};
/// use oxyde_postgres::PostgresDialect;
///
/// let c = Cond::Or(vec![
///     Cond::In { lhs: Expr::column("id"), values: vec![] },
///     Cond::IsNull { lhs: Expr::column("deleted_at"), negated: false },
/// ]);
/// let mut out = SqlWriter::new(&PostgresDialect);
/// write_cond(&c, &mut out).unwrap();
/// assert_eq!(out.finish().sql, r#"(1=0 OR "deleted_at" IS NULL)"#);
/// ```
pub fn write_cond(cond: &Cond, out: &mut SqlWriter<'_>) -> Result<(), RenderError> {
    let d = out.dialect();
    match cond {
        Cond::And(items) => write_junction(items, " AND ", "1=1", out)?,
        Cond::Or(items) => write_junction(items, " OR ", "1=0", out)?,
        Cond::Not(inner) => {
            out.push_str("NOT (");
            write_cond(inner, out)?;
            out.push_str(")");
        }
        Cond::Compare { lhs, op, rhs } => {
            // Either side may be the column; the other side takes its type.
            let lhs_ty = target_of(rhs, out);
            let rhs_ty = target_of(lhs, out);
            write_typed_expr(lhs, lhs_ty.as_ref(), out)?;
            out.push_str(" ");
            out.push_str(op.as_sql());
            out.push_str(" ");
            write_typed_expr(rhs, rhs_ty.as_ref(), out)?;
        }
        Cond::In { values, .. } if values.is_empty() => out.push_str("1=0"),
        Cond::In { lhs, values } => {
            let ty = target_of(lhs, out);
            write_expr(lhs, out)?;
            out.push_str(" IN (");
            for (i, v) in values.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_typed_expr(v, ty.as_ref(), out)?;
            }
            out.push_str(")");
        }
        Cond::IsNull { lhs, negated } => {
            write_expr(lhs, out)?;
            out.push_str(if *negated { " IS NOT NULL" } else { " IS NULL" });
        }
        Cond::Between { lhs, low, high } => {
            let ty = target_of(lhs, out);
            write_expr(lhs, out)?;
            out.push_str(" BETWEEN ");
            write_typed_expr(low, ty.as_ref(), out)?;
            out.push_str(" AND ");
            write_typed_expr(high, ty.as_ref(), out)?;
        }
        Cond::Like {
            lhs,
            pattern,
            case_insensitive,
            escape,
        } => {
            if *case_insensitive {
                // The hook may wrap both sides (`LOWER(...)`), so the pattern
                // no longer meets the column directly: no hint.
                d.write_case_insensitive_like(lhs, pattern, out)?;
            } else {
                let ty = target_of(lhs, out);
                write_expr(lhs, out)?;
                out.push_str(" LIKE ");
                write_typed_expr(pattern, ty.as_ref(), out)?;
            }
            if let Some(c) = escape {
                write_escape(*c, out)?;
            }
        }
    }
    Ok(())
}

/// ` ESCAPE '<c>'`; the IR admits only punctuation that needs no quoting, and
/// this check keeps a hand-built `Cond` to the same rule.
fn write_escape(c: char, out: &mut SqlWriter<'_>) -> Result<(), RenderError> {
    if !c.is_ascii_punctuation() || matches!(c, '\'' | '\\' | '"' | '`') {
        return Err(RenderError::Invalid(oxyde_ir::IrError::Invalid(format!(
            "LIKE escape must be one punctuation character other than quotes and backslash, got {c:?}"
        ))));
    }
    out.push_str(" ESCAPE '");
    out.push_str(c.encode_utf8(&mut [0; 4]));
    out.push_str("'");
    Ok(())
}

fn write_junction(items: &[Cond], sep: &str, empty: &str, out: &mut SqlWriter<'_>) -> Result<(), RenderError> {
    match items {
        [] => out.push_str(empty),
        [only] => write_cond(only, out)?,
        _ => {
            out.push_str("(");
            for (i, c) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(sep);
                }
                write_cond(c, out)?;
            }
            out.push_str(")");
        }
    }
    Ok(())
}
