"""Filter values the lookup compiler leaves alone: ``F`` operands and values of the wrong type."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from uuid import UUID

from pydantic import TypeAdapter, ValidationError

from oxyde.exceptions import FieldLookupError, FieldLookupValueError
from oxyde.queries.base import FieldInfo, model_fields
from oxyde.queries.lookups import _base_type, compile_lookup, split_key

__all__ = ["accepted_types", "check_value_type", "expression_condition"]

_EXPRESSION_LOOKUPS = ("exact", "gt", "gte", "lt", "lte")
_SEQUENCE_LOOKUPS = ("in", "between", "range")
_NUMBERS = (int, float, Decimal)
# Python values that bind as the field's type; a string must parse as it.
_ACCEPTED: dict[Any, tuple[type, ...]] = {
    int: _NUMBERS,
    float: _NUMBERS,
    Decimal: _NUMBERS,
    bool: (bool, int),
    date: (date,),
    datetime: (date,),
    time: (time,),
    UUID: (UUID,),
}
_ADAPTERS: dict[Any, TypeAdapter[Any]] = {}


def expression_condition(model: type, key: str, value: Any, joins: list[str] | None) -> dict[str, Any]:
    """``filter(views__gt=F("likes") * 2)``: the column compared with an
    expression over the same row (a superset of the spec, §6.6)."""
    from oxyde.queries.expressions import expression_to_ir

    _, lookup = split_key(key)
    if lookup not in _EXPRESSION_LOOKUPS:
        raise FieldLookupError(f"Lookup '{lookup}' does not accept F() expressions; use exact, gt, gte, lt or lte")
    node = compile_lookup(model, key, 0, joins)  # validates the field and the lookup
    node["value"] = expression_to_ir(value, model)
    return node


def _final_field(model: type, path: list[str]) -> FieldInfo | None:
    if len(path) == 1:
        return model_fields(model).get(path[0])
    from oxyde.queries.paths import resolve_field_path

    return resolve_field_path(model, path)[1]


def check_value_type(model: type, key: str, value: Any) -> None:
    """A value that cannot be the field's type raises ``FieldLookupValueError``
    naming the field, on every database (SQLite and MySQL would compare it
    and match nothing; PostgreSQL would refuse it with a driver error)."""
    path, lookup = split_key(key)
    if lookup in _SEQUENCE_LOOKUPS:
        if not isinstance(value, (list, tuple, set, frozenset)):
            return  # other iterables are read once, by the lookup compiler
        values = list(value)
    elif lookup in _EXPRESSION_LOOKUPS:
        values = [value]
    else:
        return
    info = _final_field(model, path)
    accepted = accepted_types(info) if info is not None else None
    if info is None or accepted is None:
        return
    tp = _base_type(info.python_type)
    for v in values:
        if v is None or isinstance(v, accepted) or (isinstance(v, str) and _parses(tp, v)):
            continue
        raise FieldLookupValueError(f"Invalid value for field '{info.name}': {v!r} is not a valid {tp.__name__}")


def accepted_types(info: FieldInfo) -> tuple[type, ...] | None:
    """Python types a filter value of ``info`` may have as it is (``None``: any);
    a string outside them must parse as the field's type."""
    if info.is_fk:
        return None
    return _ACCEPTED.get(_base_type(info.python_type))


def _parses(tp: Any, text: str) -> bool:
    adapter = _ADAPTERS.get(tp)
    if adapter is None:
        adapter = _ADAPTERS[tp] = TypeAdapter(tp)
    try:
        adapter.validate_python(text)
    except ValidationError:
        return False
    return True
