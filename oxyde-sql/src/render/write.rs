//! `INSERT`, `UPDATE`, `DELETE`.
use oxyde_ir::{Cond, Delete, Insert, Returning, Update};

use super::expr::{write_cond, write_typed_expr};
use super::{SqlWriter, TableRef};
use crate::RenderError;

pub(crate) fn write_insert(i: &Insert, out: &mut SqlWriter<'_>) -> Result<(), RenderError> {
    if i.rows.is_empty() {
        return Err(invalid("insert requires at least one row"));
    }
    out.push_str("INSERT INTO ");
    out.push_table(TableRef::new(i.schema.as_deref(), &i.table));
    if i.columns.is_empty() {
        if i.rows.iter().any(|r| !r.is_empty()) {
            return Err(invalid("insert rows have values but no columns"));
        }
        out.dialect().write_insert_default_values(i.rows.len(), out)?;
    } else {
        out.push_str(" (");
        for (n, c) in i.columns.iter().enumerate() {
            if n > 0 {
                out.push_str(", ");
            }
            out.push_identifier(c);
        }
        out.push_str(") VALUES ");
        let types: Vec<_> = i.columns.iter().map(|c| out.column_type(c)).collect();
        for (n, row) in i.rows.iter().enumerate() {
            if row.len() != i.columns.len() {
                return Err(invalid("insert rows must have one value per column"));
            }
            out.push_str(if n > 0 { ", (" } else { "(" });
            for (k, (v, ty)) in row.iter().zip(&types).enumerate() {
                if k > 0 {
                    out.push_str(", ");
                }
                out.push_param_typed(v.clone(), ty.clone());
            }
            out.push_str(")");
        }
    }
    write_returning(&i.returning, out);
    Ok(())
}

pub(crate) fn write_update(u: &Update, out: &mut SqlWriter<'_>) -> Result<(), RenderError> {
    if u.set.is_empty() {
        return Err(invalid("update requires at least one value"));
    }
    out.push_str("UPDATE ");
    out.push_table(TableRef::new(u.schema.as_deref(), &u.table));
    out.push_str(" SET ");
    for (n, (col, expr)) in u.set.iter().enumerate() {
        if n > 0 {
            out.push_str(", ");
        }
        out.push_identifier(col);
        out.push_str(" = ");
        let ty = out.column_type(col);
        write_typed_expr(expr, ty.as_ref(), out)?;
    }
    write_where(u.filter.as_ref(), out)?;
    write_returning(&u.returning, out);
    Ok(())
}

pub(crate) fn write_delete(d: &Delete, out: &mut SqlWriter<'_>) -> Result<(), RenderError> {
    out.push_str("DELETE FROM ");
    out.push_table(TableRef::new(d.schema.as_deref(), &d.table));
    write_where(d.filter.as_ref(), out)?;
    write_returning(&d.returning, out);
    Ok(())
}

pub(crate) fn write_where(filter: Option<&Cond>, out: &mut SqlWriter<'_>) -> Result<(), RenderError> {
    if let Some(f) = filter {
        out.push_str(" WHERE ");
        write_cond(f, out)?;
    }
    Ok(())
}

/// Left out where the dialect has no `RETURNING`: the executor then reports
/// the affected-row count and last insert id instead.
fn write_returning(r: &Returning, out: &mut SqlWriter<'_>) {
    if !out.dialect().supports_returning() {
        return;
    }
    match r {
        Returning::Nothing => {}
        Returning::All => out.push_str(" RETURNING *"),
        Returning::Columns(cols) if cols.is_empty() => out.push_str(" RETURNING *"),
        Returning::Columns(cols) => {
            out.push_str(" RETURNING ");
            for (n, c) in cols.iter().enumerate() {
                if n > 0 {
                    out.push_str(", ");
                }
                out.push_identifier(c);
            }
        }
    }
}

fn invalid(msg: &str) -> RenderError {
    RenderError::Invalid(oxyde_ir::IrError::Invalid(msg.to_owned()))
}
