"""Joins of a SELECT: the IR ``joins`` entries, FK-path names in ``values()`` /
``order_by()``, aggregates over reverse relations, and hydration of joined
instances (spec relations.md §5.1, §6; queries.md §4.1, §9.1).

A query keeps its relation paths in ``Query._joins`` (from ``join()`` and FK
lookups, in order); names given to ``values()`` / ``order_by()`` and relation
aggregates add more paths when the query is compiled, after those, so the
aliases already used by compiled filters stay valid.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from oxyde.exceptions import FieldError
from oxyde.queries.base import (
    FieldInfo,
    column_fields,
    column_types,
    model_fields,
    pk_info,
    resolve_column,
    table_ir,
    table_name,
)
from oxyde.queries.paths import JoinStep, add_path, alias_map, join_steps, resolve_field_path, reverse_relation

if TYPE_CHECKING:
    from oxyde.queries.results import Result
    from oxyde.queries.select import Query

__all__ = [
    "JoinPlan",
    "aggregate_expr",
    "check_name",
    "ir_joins",
    "is_base_name",
    "joined_models",
    "order_terms",
    "plan",
    "relabel_rows",
]


def is_base_name(model: type, name: str, aliases: Iterable[str]) -> bool:
    try:
        resolve_column(model, name, aliases)
    except FieldError:
        return False
    return True


def check_name(model: type, name: str, aliases: Iterable[str] = ()) -> None:
    """A field, column or annotation alias of ``model``, or an FK path to a
    field (``author__name``); anything else raises ``FieldError`` /
    ``FieldLookupError`` naming it."""
    aliases = list(aliases)
    if is_base_name(model, name, aliases) or "__" not in name:
        resolve_column(model, name, aliases)
        return
    resolve_field_path(model, name.split("__"))


@dataclass(slots=True)
class JoinPlan:
    """The joins one compiled SELECT carries."""

    model: type
    paths: list[str]
    aliases: dict[str, str]
    steps: dict[str, JoinStep]
    # path -> selected fields of the joined model, in order
    selected: dict[str, list[FieldInfo]] = field(default_factory=dict)
    # relation joins for aggregates: path -> (relation table, parent column, child column)
    reverse: dict[str, tuple[dict[str, str], str, str]] = field(default_factory=dict)
    # requested "<path>__<field>" names -> (path, field)
    named: dict[str, tuple[str, FieldInfo]] = field(default_factory=dict)

    def column(self, path: str, info: FieldInfo) -> dict[str, Any]:
        return {"type": "column", "table": self.aliases[path], "name": info.column}


def _name_path(model: type, name: str, aliases: Iterable[str]) -> tuple[str, FieldInfo] | None:
    """``author__name`` → (``"author"``, name field); ``None`` for base names."""
    if "__" not in name or is_base_name(model, name, aliases):
        return None
    steps, info = resolve_field_path(model, name.split("__"))
    return steps[-1].path, info


def _order_name(term: str) -> str:
    return term[1:] if term.startswith("-") else term


def plan(query: Query[Any], *, rows: bool) -> JoinPlan | None:
    """Every join the query needs; ``rows`` = a row-returning select (not a
    count or an aggregate), where joined columns are selected."""
    if not (query._joins or query._fields or query._order_by or query._annotations):
        return None
    model = query.model_class
    aliases = list(query._annotations)
    paths = list(query._joins)
    named: dict[str, tuple[str, FieldInfo]] = {}
    for name in [*(query._fields or []), *(_order_name(t) for t in query._order_by if t != "?")]:
        found = _name_path(model, name, aliases)
        if found is not None:
            named[name] = found
            add_path(paths, found[0])
    reverse: dict[str, tuple[dict[str, str], str, str]] = {}
    for agg in query._annotations.values():
        rel = _relation_of(model, getattr(agg, "field", None))
        if rel is not None and rel[0] not in reverse:
            reverse[rel[0]] = rel[1]
    if not paths and not reverse:
        return None
    steps: dict[str, JoinStep] = {}
    for path in paths:
        for step in join_steps(model, path):
            steps.setdefault(step.path, step)
    out = JoinPlan(model, paths, alias_map(table_name(model), [*paths, *reverse]), steps, reverse=reverse)
    out.named = named
    if rows and not query._annotations:
        if query._fields is None or query._mode == "models":
            for path in query._joins:
                out.selected[path] = column_fields(steps[path].target)
        for name in query._fields or []:
            if name in named:
                path, info = named[name]
                if info not in out.selected.setdefault(path, []):
                    out.selected[path].append(info)
    return out


def _relation_of(model: type, name: Any) -> tuple[str, tuple[dict[str, str], str, str]] | None:
    """A reverse-FK / M2M relation an aggregate names (``Count("posts")``):
    its path and (table, parent column, child column) to join on."""
    if not isinstance(name, str):
        return None
    rel = reverse_relation(model, name.split("__")[0])
    if rel is None:
        return None
    from oxyde.queries.prefetch import relation_link

    link = relation_link(model, rel)
    return rel.name, (table_ir(link.child), link.parent_column, link.child_column)


def ir_joins(p: JoinPlan) -> list[dict[str, Any]]:
    """The IR ``joins`` list (docs/ir.md): FK joins, then relation joins."""
    out: list[dict[str, Any]] = []
    for path in p.paths:
        step = p.steps[path]
        entry: dict[str, Any] = {
            "path": path,
            **table_ir(step.target),
            "alias": p.aliases[path],
            "kind": "left",
            "on": [[step.fk_column, step.target_column]],
            "columns": [f.column for f in p.selected.get(path, [])],
        }
        if step.parent_path is not None:
            entry["parent"] = p.aliases[step.parent_path]
        types = column_types(step.target)
        if types:
            entry["column_types"] = types
        out.append(entry)
    for path, (table, parent_column, child_column) in p.reverse.items():
        out.append(
            {
                "path": path,
                **table,
                "alias": p.aliases[path],
                "kind": "left",
                "on": [[parent_column, child_column]],
                "columns": [],
            }
        )
    return out


def order_terms(query: Query[Any], p: JoinPlan | None, terms: list[list[Any]]) -> list[list[Any]]:
    """Replace FK-path order names by the joined column (spec defect fix, queries.md §4.1)."""
    if p is None or not p.named:
        return terms
    out = []
    for term, original in zip(terms, query._order_by, strict=False):
        name = _order_name(original)
        if original != "?" and name in p.named:
            path, info = p.named[name]
            out.append([p.column(path, info), term[1]])
        else:
            out.append(term)
    return out


def aggregate_expr(query: Query[Any], p: JoinPlan | None, agg: Any) -> dict[str, Any] | None:
    """``Count("posts")`` → ``COUNT(DISTINCT posts.<pk>)``; ``Sum("posts__views")``
    → ``SUM(posts.views)``: aggregates over a reverse relation's joined rows."""
    name = getattr(agg, "field", None)
    if p is None or not isinstance(name, str):
        return None
    head, _, rest = name.partition("__")
    if head not in p.reverse:
        return None
    from oxyde.queries.prefetch import relation_link

    link = relation_link(query.model_class, reverse_relation(query.model_class, head))
    alias = p.aliases[head]
    if rest:
        info = model_fields(link.child).get(rest)
        if info is None or info.virtual:
            raise FieldError(f"{link.child.__name__} has no field '{rest}'")
        column, distinct = info.column, bool(getattr(agg, "distinct", False))
    else:
        column, distinct = link.count_column, agg.func_name == "count"
    node: dict[str, Any] = {
        "type": "agg",
        "func": agg.func_name,
        "arg": {"type": "column", "table": alias, "name": column},
    }
    if distinct and agg.func_name in ("count", "sum", "avg"):
        node["distinct"] = True
    return node


def relabel_rows(p: JoinPlan, dicts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``"<alias>__<column>"`` result keys → ``"<path>__<field>"`` (values() mode)."""
    mapping: dict[str, str] = {}
    for path, fields in p.selected.items():
        alias = p.aliases[path]
        for f in fields:
            mapping[f"{alias}__{f.column}"] = f"{path}__{f.name}"
    if not mapping:
        return dicts
    return [{mapping.get(k, k): v for k, v in row.items()} for row in dicts]


def joined_models(p: JoinPlan, result: Result) -> list[Any]:
    """Rows of a select with joins as instances of the queried model, each with
    one related instance per distinct key per path assigned (``post.author``,
    nested on the parent related instance; a NULL key leaves ``None``)."""
    from oxyde.queries.results import Result, rows_to_models

    columns, rows = result.columns, result.rows
    joined = {f"{p.aliases[path]}__{f.column}" for path, fields in p.selected.items() for f in fields}
    base = [i for i, c in enumerate(columns) if c not in joined]
    base_rows = rows if len(base) == len(columns) else [[row[i] for i in base] for row in rows]
    instances = rows_to_models(p.model, Result([columns[i] for i in base], base_rows, None, None))
    if not p.selected:
        return instances
    position = {c: i for i, c in enumerate(columns)}
    # per path: the related instance of each row (or None)
    per_path: dict[str, list[Any]] = {}
    for path in p.paths:
        fields = p.selected.get(path)
        if fields:
            per_path[path] = _related(p, path, fields, position, rows)
    for path, related in per_path.items():
        step = p.steps[path]
        holders = instances if step.parent_path is None else per_path.get(step.parent_path)
        for holder, obj in zip(holders or (), related, strict=False):
            if holder is not None:
                setattr(holder, step.field, obj)
    return instances


def _related(
    p: JoinPlan, path: str, fields: list[FieldInfo], position: dict[str, int], rows: list[list[Any]]
) -> list[Any]:
    """The instance of ``path``'s model each row joins to, one per distinct key."""
    from oxyde.queries.results import Result, rows_to_models

    alias, target = p.aliases[path], p.steps[path].target
    pk = pk_info(target)
    read = [(position[f"{alias}__{f.column}"], f) for f in fields if f"{alias}__{f.column}" in position]
    key_at = next((i for i, f in read if pk is not None and f.name == pk.name), None)
    if key_at is None:
        return [None] * len(rows)
    # the field values of each related row, once per key, in order of first appearance
    seen: dict[Any, int] = {}
    values: list[list[Any]] = []
    for row in rows:
        key = row[key_at]
        if key is not None and key not in seen:
            seen[key] = len(values)
            values.append([row[i] for i, _ in read])
    built = rows_to_models(target, Result([f.column for _, f in read], values, None, None)) if values else []
    return [None if row[key_at] is None else built[seen[row[key_at]]] for row in rows]
