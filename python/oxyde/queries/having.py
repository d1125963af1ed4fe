"""``having()``: conditions on annotation aliases and model fields, in kwargs and in ``Q``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from oxyde.queries.lookups import split_key
from oxyde.queries.q import Q, combine

if TYPE_CHECKING:
    from oxyde.queries.select import Query

__all__ = ["having_node"]

_HAVING_OPS = {"exact": "=", "gt": ">", "gte": ">=", "lt": "<", "lte": "<="}


def having_node(query: Query[Any], q_exprs: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any] | None:
    """One condition for HAVING. Names of annotations (``n__gte=5``) compare
    the annotation's expression, in kwargs and inside ``Q`` alike (the spec's
    defect: 0.7 resolved ``Q`` against model fields only); other names are
    model-field lookups. FK paths add their joins to ``query``."""
    nodes: list[dict[str, Any] | None] = []
    for q in q_exprs:
        if not isinstance(q, Q):
            raise TypeError(f"having() positional args must be Q objects, got {type(q).__name__}")
        nodes.append(_q_node(query, q))
    nodes.extend(_lookup_node(query, key, value) for key, value in kwargs.items())
    return combine("and", nodes)


def _q_node(query: Query[Any], q: Q) -> dict[str, Any] | None:
    if q.kind == "node":
        return q.node
    parts: list[dict[str, Any] | None] = [
        _q_node(query, c) if isinstance(c, Q) else _lookup_node(query, c.key, c.value) for c in q.children
    ]
    if q.kind == "not":
        inner = combine("and", parts)
        return None if inner is None else {"type": "not", "condition": inner}
    return combine("or" if q.kind == "or" else "and", parts)


def _lookup_node(query: Query[Any], key: str, value: Any) -> dict[str, Any] | None:
    path, lookup = split_key(key)
    alias = "__".join(path)
    if alias not in query._annotations:
        return Q(**{key: value}).to_ir(query.model_class, query._joins)
    if lookup not in _HAVING_OPS:
        raise ValueError(
            f"Unsupported lookup '{lookup}' for annotation '{alias}' in having(). Supported: exact, gt, gte, lt, lte"
        )
    expr = query._annotations[alias]
    lhs = expr.to_expr(query.model_class) if hasattr(expr, "to_expr") else expr.to_ir(query.model_class)
    return {"type": "condition", "field": alias, "lhs": lhs, "operator": _HAVING_OPS[lookup], "value": value}
