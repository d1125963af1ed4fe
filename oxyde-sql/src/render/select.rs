//! `SELECT`: rows, counts, existence tests, unions and joins.
use oxyde_ir::{joined_column_name, OrderTerm, Select, SelectShape};

use super::expr::{write_cond, write_expr};
use super::{SqlWriter, TableRef};
use crate::RenderError;

pub(crate) fn write_select<'d>(s: &'d Select, out: &mut SqlWriter<'d>) -> Result<(), RenderError> {
    let outer = out.set_scope(Some(s));
    let r = write_shape(s, out);
    out.restore_scope(outer);
    r
}

fn write_shape<'d>(s: &'d Select, out: &mut SqlWriter<'d>) -> Result<(), RenderError> {
    match s.shape {
        SelectShape::Rows => write_rows(s, true, out),
        SelectShape::Count if needs_subquery(s) => {
            out.push_str("SELECT COUNT(*) AS ");
            out.push_identifier("_count");
            out.push_str(" FROM (");
            write_rows(s, false, out)?;
            out.push_str(") AS ");
            out.push_identifier("_q");
            Ok(())
        }
        SelectShape::Count => {
            out.push_str("SELECT COUNT(*) AS ");
            out.push_identifier("_count");
            write_from_where(s, out)
        }
        SelectShape::Exists => {
            out.push_str("SELECT EXISTS(SELECT 1");
            if needs_subquery(s) {
                out.push_str(" FROM (");
                write_rows(s, false, out)?;
                out.push_str(") AS ");
                out.push_identifier("_q");
            } else {
                write_from_where(s, out)?;
                out.dialect().write_limit_offset(Some(1), None, out)?;
            }
            out.push_str(") AS ");
            out.push_identifier("_exists");
            Ok(())
        }
    }
}

/// Whether counting or testing needs the full query as a derived table,
/// because a clause changes which rows there are.
fn needs_subquery(s: &Select) -> bool {
    s.distinct
        || !s.group_by.is_empty()
        || s.having.is_some()
        || s.limit.is_some()
        || s.offset.is_some()
        || s.union.is_some()
}

/// The row query, with its union partners; `lock` is dropped inside derived
/// tables and compound selects, where databases refuse it.
fn write_rows<'d>(s: &'d Select, lock: bool, out: &mut SqlWriter<'d>) -> Result<(), RenderError> {
    let Some(union) = &s.union else {
        return write_core(s, lock, out);
    };
    write_operand(s, true, out)?;
    out.push_str(if union.all { " UNION ALL " } else { " UNION " });
    write_operand(&union.query, false, out)
}

/// One operand of a compound select. `core_only` ignores the operand's own
/// union (it is the left side, whose partner is written by the caller).
fn write_operand<'d>(s: &'d Select, core_only: bool, out: &mut SqlWriter<'d>) -> Result<(), RenderError> {
    let chained = !core_only && s.union.is_some();
    if out.dialect().supports_parenthesized_union_operands() {
        out.push_str("(");
        if chained {
            write_rows(s, false, out)?;
        } else {
            write_core(s, false, out)?;
        }
        out.push_str(")");
    } else if chained {
        // A flat chain `a UNION b UNION c`; each core is handled on its own.
        write_rows(s, false, out)?;
    } else if !s.order_by.is_empty() || s.limit.is_some() || s.offset.is_some() {
        // Operands cannot carry ORDER BY/LIMIT here, a derived table can.
        out.push_str("SELECT * FROM (");
        write_core(s, false, out)?;
        out.push_str(") AS ");
        out.push_identifier("_u");
    } else {
        write_core(s, false, out)?;
    }
    Ok(())
}

/// One SELECT; a union partner that describes its own columns is typed by
/// them, otherwise it keeps the outer query's.
fn write_core<'d>(s: &'d Select, lock: bool, out: &mut SqlWriter<'d>) -> Result<(), RenderError> {
    let scope = out.set_scope(Some(s));
    let types = (!s.column_types.is_empty()).then(|| out.set_column_types(Some(&s.column_types)));
    let r = write_core_typed(s, lock, out);
    if let Some(outer) = types {
        out.set_column_types(outer);
    }
    out.restore_scope(scope);
    r
}

fn write_core_typed<'d>(s: &'d Select, lock: bool, out: &mut SqlWriter<'d>) -> Result<(), RenderError> {
    let d = out.dialect();
    out.push_str(if s.distinct { "SELECT DISTINCT " } else { "SELECT " });
    write_projection(s, out)?;
    write_from_where(s, out)?;
    out.set_aliases_visible(true);
    if !s.group_by.is_empty() {
        out.push_str(" GROUP BY ");
        for (i, name) in s.group_by.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            if let Some(t) = out.bare_column_qualifier(name) {
                out.push_identifier(t);
                out.push_str(".");
            }
            out.push_identifier(name);
        }
    }
    if let Some(h) = &s.having {
        out.push_str(" HAVING ");
        write_cond(h, out)?;
    }
    write_order_by(&s.order_by, out)?;
    out.set_aliases_visible(false);
    if s.limit.is_some() || s.offset.is_some() {
        d.write_limit_offset(s.limit, s.offset, out)?;
    }
    if let Some(l) = s.lock.filter(|_| lock && d.supports_row_locks()) {
        if s.joins.is_empty() {
            d.write_lock(l, out);
        } else {
            // Joined tables are often outer-joined, whose rows cannot be locked.
            d.write_lock_of_table(l, &s.table, out);
        }
        d.write_lock_wait(s.lock_wait, out);
    }
    Ok(())
}

/// Base columns (qualified `"t"."c" AS "c"` when there are joins; `*` or
/// `"t".*` when nothing at all is named), annotations, then each join's
/// columns as `"alias"."c" AS "alias__c"`.
fn write_projection(s: &Select, out: &mut SqlWriter<'_>) -> Result<(), RenderError> {
    let joined = !s.joins.is_empty();
    let mut first = true;
    let mut sep = |out: &mut SqlWriter<'_>| {
        if !std::mem::take(&mut first) {
            out.push_str(", ");
        }
    };
    if s.columns.is_empty() && s.annotations.is_empty() && s.joins.iter().all(|j| j.columns.is_empty()) {
        sep(out);
        if joined {
            out.push_identifier(&s.table);
            out.push_str(".");
        }
        out.push_str("*");
    }
    for c in &s.columns {
        sep(out);
        if joined {
            out.push_identifier(&s.table);
            out.push_str(".");
            out.push_identifier(c);
            out.push_str(" AS ");
        }
        out.push_identifier(c);
    }
    for a in &s.annotations {
        sep(out);
        write_expr(&a.expr, out)?;
        out.push_str(" AS ");
        out.push_identifier(&a.alias);
    }
    for j in &s.joins {
        for c in &j.columns {
            sep(out);
            out.push_identifier(&j.alias);
            out.push_str(".");
            out.push_identifier(c);
            out.push_str(" AS ");
            out.push_identifier(&joined_column_name(&j.alias, c));
        }
    }
    Ok(())
}

fn write_from_where(s: &Select, out: &mut SqlWriter<'_>) -> Result<(), RenderError> {
    out.push_str(" FROM ");
    out.push_table(TableRef::new(s.schema.as_deref(), &s.table));
    for j in &s.joins {
        out.push_str(" ");
        out.push_str(j.kind.as_sql());
        out.push_str(" ");
        out.push_table(TableRef::new(j.schema.as_deref(), &j.table));
        out.push_str(" AS ");
        out.push_identifier(&j.alias);
        out.push_str(" ON ");
        write_cond(&j.on, out)?;
    }
    super::write::write_where(s.filter.as_ref(), out)
}

fn write_order_by(terms: &[OrderTerm], out: &mut SqlWriter<'_>) -> Result<(), RenderError> {
    if terms.is_empty() {
        return Ok(());
    }
    out.push_str(" ORDER BY ");
    for (i, t) in terms.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        match t {
            OrderTerm::Asc(e) => {
                write_expr(e, out)?;
                out.push_str(" ASC");
            }
            OrderTerm::Desc(e) => {
                write_expr(e, out)?;
                out.push_str(" DESC");
            }
            OrderTerm::Random => out.dialect().write_random(out),
        }
    }
    Ok(())
}
