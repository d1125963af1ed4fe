//! Expressions and conditions.
use oxyde_ir::{Cond, Expr};

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
            if let Some(t) = table {
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
        Expr::Raw { sql, params } => {
            out.push_str("(");
            d.write_raw_fragment(sql, params, out)?;
            out.push_str(")");
        }
    }
    Ok(())
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
            write_expr(lhs, out)?;
            out.push_str(" ");
            out.push_str(op.as_sql());
            out.push_str(" ");
            write_expr(rhs, out)?;
        }
        Cond::In { values, .. } if values.is_empty() => out.push_str("1=0"),
        Cond::In { lhs, values } => {
            write_expr(lhs, out)?;
            out.push_str(" IN (");
            write_list(values, out)?;
            out.push_str(")");
        }
        Cond::IsNull { lhs, negated } => {
            write_expr(lhs, out)?;
            out.push_str(if *negated { " IS NOT NULL" } else { " IS NULL" });
        }
        Cond::Between { lhs, low, high } => {
            write_expr(lhs, out)?;
            out.push_str(" BETWEEN ");
            write_expr(low, out)?;
            out.push_str(" AND ");
            write_expr(high, out)?;
        }
        Cond::Like {
            lhs,
            pattern,
            case_insensitive,
            escape,
        } => {
            if *case_insensitive {
                d.write_case_insensitive_like(lhs, pattern, out)?;
            } else {
                write_expr(lhs, out)?;
                out.push_str(" LIKE ");
                write_expr(pattern, out)?;
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
