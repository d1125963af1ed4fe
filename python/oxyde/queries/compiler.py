"""Turn a ``Query``'s state into the IR dict of a SELECT (docs/ir.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from oxyde.queries import joins
from oxyde.queries.aggregates import Aggregate, Coalesce, Concat
from oxyde.queries.base import column_fields, column_types, model_fields, model_path, resolve_column, table_ir
from oxyde.queries.expressions import F, _Expression

if TYPE_CHECKING:
    from oxyde.queries.joins import JoinPlan
    from oxyde.queries.select import Query

__all__ = ["annotation_entries", "compile_select", "model_columns", "projection_columns"]

IR_PROTO = 1
_PLAIN_AGGS = ("count", "sum", "avg", "max", "min")


def _is_plain(value: Any) -> bool:
    return (
        isinstance(value, Aggregate) and not isinstance(value, (Concat, Coalesce)) and (value.func_name in _PLAIN_AGGS)
    )


def annotation_entries(query: Query[Any], plan: JoinPlan | None = None) -> tuple[str, list[dict[str, Any]]]:
    """``("aggregates", [...])`` when every annotation is a plain aggregate (the
    spec's inspectable shape), else ``("annotations", [...])`` of expressions.
    Aggregates over a reverse relation (``Count("posts")``) read its join."""
    model = query.model_class
    items = list(query._annotations.items())
    for _alias, value in items:
        if not hasattr(value, "to_ir"):
            raise TypeError(f"annotate() received non-expression: {value!r}")
    related = {alias: joins.aggregate_expr(query, plan, value) for alias, value in items}
    if all(_is_plain(v) and related[a] is None for a, v in items):
        out = []
        for alias, agg in items:
            entry: dict[str, Any] = {"op": agg.func_name, "field": _agg_field(model, agg.field), "alias": alias}
            if agg.distinct and agg.field != "*" and agg.func_name in ("count", "sum", "avg"):
                entry["distinct"] = True
            out.append(entry)
        return "aggregates", out
    exprs = []
    for alias, value in items:
        to_expr = getattr(value, "to_expr", None)
        expr = related[alias] or (to_expr(model) if to_expr is not None else _expression(value, model))
        exprs.append({"alias": alias, "expr": expr})
    return "annotations", exprs


def _expression(value: Any, model: type) -> Any:
    """``F`` arithmetic reads field names through ``db_column``; other objects build their own IR."""
    if isinstance(value, (F, _Expression)):
        return value.to_ir(model)
    return value.to_ir()


def per_row_only(query: Query[Any]) -> bool:
    """Every annotation is ``F`` arithmetic: a value per row, so the rows keep their columns."""
    return bool(query._annotations) and all(isinstance(v, (F, _Expression)) for v in query._annotations.values())


def _agg_field(model: type, name: str) -> str:
    if name == "*":
        return name
    try:
        return resolve_column(model, name)
    except Exception:
        # a raw column name that is not a field still passes (spec §2.5)
        return name


def projection_columns(query: Query[Any]) -> list[str]:
    model = query.model_class
    if query._annotations and not per_row_only(query):
        return [resolve_column(model, g) for g in query._group_by]
    if query._fields:
        aliases = query._annotations.keys()
        # FK paths (``author__name``) are selected from their join; an annotation
        # alias named here is selected with the annotations, not as a column
        return [
            resolve_column(model, f, aliases)
            for f in query._fields
            if f not in aliases and ("__" not in f or joins.is_base_name(model, f, aliases))
        ]
    return model_columns(model)


def _order_terms(query: Query[Any]) -> list[list[str]]:
    model = query.model_class
    aliases = query._annotations.keys()
    terms: list[list[str]] = []
    for term in query._order_by:
        if term == "?":
            terms.append(["?", "RANDOM"])
            continue
        desc = term.startswith("-")
        name = term[1:] if desc else term
        # an FK path is replaced by its joined column (joins.order_terms)
        is_path = "__" in name and not joins.is_base_name(model, name, aliases)
        column = name if is_path else resolve_column(model, name, aliases)
        terms.append([column, "DESC" if desc else "ASC"])
    return terms


# model -> (its metadata and fields when read, the IR keys every select of it starts with, its columns)
_PREFIXES: dict[type, tuple[Any, Any, dict[str, Any], list[str]]] = {}


def _select_prefix(model: type) -> tuple[dict[str, Any], list[str]]:
    """The model's part of a select IR, made once per model (and again when its fields change)."""
    meta, fields = getattr(model, "_db_meta", None), model_fields(model)
    cached = _PREFIXES.get(model)
    if cached is not None and cached[0] is meta and cached[1] is fields:
        return cached[2], cached[3]
    prefix: dict[str, Any] = {"proto": IR_PROTO, "op": "select", **table_ir(model), "model": model_path(model)}
    types = column_types(model)
    if types:
        prefix["column_types"] = types
    columns = [f.column for f in column_fields(model)]
    _PREFIXES[model] = (meta, fields, prefix, columns)
    return prefix, columns


def model_columns(model: type) -> list[str]:
    """The model's columns, in declaration order: what a select of it reads and a write returns."""
    return list(_select_prefix(model)[1])


def compile_select(query: Query[Any], *, count: bool = False, exists: bool = False) -> dict[str, Any]:
    model = query.model_class
    ir = dict(_select_prefix(model)[0])
    if query._filter is not None:
        ir["filter_tree"] = query._filter
    plan = joins.plan(query, rows=not (count or exists))
    if plan is not None:
        ir["joins"] = joins.ir_joins(plan)
    if count:
        # Counts ignore ordering, paging, grouping and annotations (spec §9.5), but
        # count distinct rows and both union sides (the spec's MAY / defect fix).
        ir["count"] = True
        if query._distinct:
            ir["distinct"] = True
            ir["cols"] = projection_columns(query) if not query._annotations else []
        if query._union is not None:
            ir["cols"] = projection_columns(query)
            ir["union_query"] = compile_select(query._union)
            ir["union_all"] = query._union_all
        return ir
    if exists:
        exists_ir = compile_select(query)
        exists_ir["exists"] = True
        exists_ir.pop("order_by", None)
        exists_ir.pop("lock", None)
        return exists_ir
    ir["cols"] = projection_columns(query)
    if query._annotations:
        key, entries = annotation_entries(query, plan)
        ir[key] = entries
    if query._group_by:
        ir["group_by"] = [resolve_column(model, g, query._annotations.keys()) for g in query._group_by]
    if query._having is not None:
        ir["having"] = query._having
    if query._distinct:
        ir["distinct"] = True
    if query._order_by:
        order = joins.order_terms(query, plan, _order_terms(query))
        if order:
            ir["order_by"] = order
    if query._limit is not None:
        ir["limit"] = query._limit
    if query._offset is not None:
        ir["offset"] = query._offset
    if query._lock is not None:
        ir["lock"] = query._lock
        if query._lock_wait is not None:
            ir["lock_wait"] = query._lock_wait
    if query._union is not None:
        ir["union_query"] = compile_select(query._union)
        ir["union_all"] = query._union_all
    return ir
