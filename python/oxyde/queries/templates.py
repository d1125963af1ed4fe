"""``objects.get(**lookups)`` from a template: the packed select of each lookup shape, made once.

``get(id=5)`` is the call applications make most, and its IR changes between
calls only in the lookup values. The first call of a shape (model, lookup
names, value types) builds, compiles and packs the query as usual, with a
marker in place of each value; later calls pack just the values and splice
them between the stored pieces. Only lookups that compile to the value as it
is qualify (a plain field, a comparison, a value of the field's own plain
type: see ``conditions``); any other shape goes the general way.
"""

from __future__ import annotations

from typing import Any

from oxyde._codec import PackedIR, pack_ir, pack_plain, placeholder
from oxyde.queries.base import model_fields
from oxyde.queries.conditions import plain_lookup

__all__ = ["GET_LIMIT", "get_ir"]

GET_LIMIT = 2  # get() reads two rows: the second one tells "several" from "one"
_SPLICED_KEYS = frozenset({"proto", "op", "table", "schema", "model", "column_types", "filter_tree", "cols", "limit"})
_TEMPLATES_MAX = 1024  # shapes are the program's lookups; bounded all the same


class _Template:
    __slots__ = ("fields", "ir", "meta", "nodes", "pieces")

    def __init__(self, meta: Any, fields: Any, ir: dict[str, Any] | None, pieces: tuple[bytes, ...]) -> None:
        self.meta, self.fields = meta, fields
        self.ir = ir  # None: this shape does not qualify
        self.pieces = pieces
        tree = ir["filter_tree"] if ir is not None else None
        self.nodes: list[dict[str, Any]] = [] if tree is None else tree.get("conditions", [tree])


# (model, lookup names, value types) -> template
_TEMPLATES: dict[tuple[Any, ...], _Template] = {}


def get_ir(model: type, lookups: dict[str, Any]) -> PackedIR | None:
    """The select IR of ``model.objects.get(**lookups)``, packed, or None when
    the lookups need the general path (the caller then builds the query)."""
    values = tuple(lookups.values())
    key = (model, tuple(lookups), tuple(map(type, values)))
    template = _TEMPLATES.get(key)
    if template is None or template.fields is not model_fields(model) or template.meta is not _meta(model):
        template = _make(model, lookups, _meta(model), model_fields(model))
        if len(_TEMPLATES) >= _TEMPLATES_MAX:
            _TEMPLATES.clear()
        _TEMPLATES[key] = template
    if template.ir is None:
        return None
    if len(values) == 1:  # get(id=...), the hot case: no lists to build
        (value,) = values
        data = pack_plain(value)
        if data is None:
            return None  # the general path raises the out-of-range error
        ir = PackedIR(template.ir, template.pieces[0] + data + template.pieces[1])
        ir["filter_tree"] = {**template.nodes[0], "value": value}
        return ir
    packed = [template.pieces[0]]
    for value, piece in zip(values, template.pieces[1:], strict=True):
        data = pack_plain(value)
        if data is None:
            return None
        packed += (data, piece)
    ir = PackedIR(template.ir, b"".join(packed))
    nodes = [{**node, "value": value} for node, value in zip(template.nodes, values, strict=True)]
    ir["filter_tree"] = {"type": "and", "conditions": nodes}
    return ir


def _meta(model: type) -> Any:
    return getattr(model, "_db_meta", None)


def _make(model: type, lookups: dict[str, Any], meta: Any, fields: Any) -> _Template:
    from oxyde.queries.compiler import compile_select
    from oxyde.queries.select import Query

    if not lookups or not all(plain_lookup(model, k, v) for k, v in lookups.items()):
        return _Template(meta, fields, None, ())
    ir = compile_select(Query(model).filter(**lookups).limit(GET_LIMIT))
    tree: dict[str, Any] = ir.get("filter_tree") or {}
    nodes = [tree] if len(lookups) == 1 else tree.get("conditions", [])
    if len(nodes) != len(lookups) or not set(ir) <= _SPLICED_KEYS:
        return _Template(meta, fields, None, ())  # not the shape this module splices
    slots = [placeholder(i) for i in range(len(nodes))]
    marked = [{**node, "value": value} for node, (value, _) in zip(nodes, slots, strict=True)]
    packed = pack_ir({**ir, "filter_tree": marked[0] if len(marked) == 1 else {**tree, "conditions": marked}})
    marks = [mark for _, mark in slots]
    if any(packed.count(mark) != 1 for mark in marks):
        return _Template(meta, fields, None, ())
    pieces: list[bytes] = []
    rest = packed
    for mark in marks:
        before, found, rest = rest.partition(mark)
        if not found:  # out of order
            return _Template(meta, fields, None, ())
        pieces.append(before)
    pieces.append(rest)
    return _Template(meta, fields, ir, tuple(pieces))
