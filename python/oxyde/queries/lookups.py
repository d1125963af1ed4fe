"""Compile ``field__lookup=value`` keys into IR condition nodes (spec queries.md §6)."""

from __future__ import annotations

import typing
from collections.abc import Iterable
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from oxyde.exceptions import FieldError, FieldLookupError, FieldLookupValueError
from oxyde.models.lookups import (
    ALL_LOOKUPS,
    BOOL_LOOKUPS,
    DATETIME_LOOKUPS,
    GENERIC_LOOKUPS,
    NUMERIC_LOOKUPS,
    STRING_LOOKUPS,
)
from oxyde.queries.base import FieldInfo, model_fields, plain_value

__all__ = ["allowed_lookups", "compile_lookup", "split_key"]

_TIME_LOOKUPS = NUMERIC_LOOKUPS
_COMPARE = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<="}
_PATTERNS = {
    "contains": ("%{}%", False),
    "icontains": ("%{}%", True),
    "startswith": ("{}%", False),
    "istartswith": ("{}%", True),
    "endswith": ("%{}", False),
    "iendswith": ("%{}", True),
    "iexact": ("{}", True),
}
ESCAPE = "!"


def split_key(key: str) -> tuple[list[str], str]:
    """``"age__gte"`` → (``["age"]``, ``"gte"``); no known suffix means ``exact``."""
    if key.startswith("__"):
        raise FieldLookupError("Lookup key must include a field name before '__'")
    parts = key.split("__")
    if len(parts) > 1 and parts[-1] in ALL_LOOKUPS:
        return parts[:-1], parts[-1]
    return parts, "exact"


_BASE_TYPES: dict[Any, Any] = {}
_BASE_TYPES_MAX = 4096  # annotations of the program's models; bounded all the same


def _base_type(tp: Any) -> Any:
    """Strip ``Optional`` / ``Annotated`` so categories match by exact type."""
    try:
        return _BASE_TYPES[tp]
    except (KeyError, TypeError):  # TypeError: an unhashable annotation
        pass
    base = _strip_type(tp)
    if len(_BASE_TYPES) >= _BASE_TYPES_MAX:
        _BASE_TYPES.clear()
    try:
        _BASE_TYPES[tp] = base
    except TypeError:
        pass
    return base


def _strip_type(tp: Any) -> Any:
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
            continue
        if origin is typing.Union or type(tp).__name__ == "UnionType":
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            if len(args) == 1:
                tp = args[0]
                continue
        return tp


def allowed_lookups(info: FieldInfo) -> frozenset[str]:
    if info.is_fk:
        return NUMERIC_LOOKUPS
    tp = _base_type(info.python_type)
    if tp is str:
        return STRING_LOOKUPS
    if tp in (int, float, Decimal):
        return NUMERIC_LOOKUPS
    if tp in (datetime, date):
        return DATETIME_LOOKUPS
    if tp is time:
        return _TIME_LOOKUPS
    if tp is bool:
        return BOOL_LOOKUPS
    return GENERIC_LOOKUPS


def _resolve_path(model: type, path: list[str], joins: list[str] | None) -> tuple[FieldInfo, str | None]:
    """The final field of ``path`` and, for an FK path, the alias of the table
    holding it; the path (and its prefixes) is added to ``joins``."""
    if len(path) == 1:
        info = model_fields(model).get(path[0])
        if info is None or info.virtual:
            raise FieldError(f"{model.__name__} has no field '{path[0]}'")
        return info, None
    from oxyde.queries.paths import add_path, query_alias, resolve_field_path

    steps, info = resolve_field_path(model, path)
    paths = joins if joins is not None else []
    add_path(paths, steps[-1].path)
    return info, query_alias(model, paths, steps[-1].path)


def _check_value(value: Any) -> Any:
    from oxyde.queries.expressions import F, _Expression

    if isinstance(value, (F, _Expression)):
        raise TypeError("F() expressions are not supported as filter values")
    if hasattr(value, "_db_meta") and hasattr(value, "model_fields_set"):
        raise TypeError(
            f"Model instances are not supported as filter values ({type(value).__name__}); pass the key value"
        )
    return _json_maps(plain_value(value))


def _json_maps(value: Any) -> Any:
    """A dict in a filter value can only mean a JSON document: send it as one (a map is never a value in the IR)."""
    if isinstance(value, dict):
        from oxyde._codec import encode_json

        return encode_json(value)
    if isinstance(value, list):
        return [_json_maps(v) for v in value]
    return value


def _escape(value: str) -> str:
    return value.replace(ESCAPE, ESCAPE * 2).replace("%", ESCAPE + "%").replace("_", ESCAPE + "_")


def _ints(lookup: str, value: Any, n: int) -> list[int]:
    items = list(value) if isinstance(value, (tuple, list)) else [value]
    if len(items) != n or not all(isinstance(i, int) and not isinstance(i, bool) for i in items):
        raise FieldLookupValueError(f"Lookup '{lookup}' expects {n} integer value(s)")
    return items


def _date_range(lookup: str, value: Any) -> tuple[date, date] | int:
    """Inclusive-exclusive bounds for year/month/day; a bare int month/day means any year."""
    if lookup in ("month", "day") and isinstance(value, int) and not isinstance(value, bool):
        if lookup == "month" and not 1 <= value <= 12:
            raise FieldLookupValueError("Lookup 'month' requires month in range 1..12")
        if lookup == "day" and not 1 <= value <= 31:
            raise FieldLookupValueError("Lookup 'day' requires day in range 1..31")
        return value
    n = {"year": 1, "month": 2, "day": 3}[lookup]
    parts = _ints(lookup, value, n)
    try:
        if lookup == "year":
            return date(parts[0], 1, 1), date(parts[0] + 1, 1, 1)
        if lookup == "month":
            year, month = parts
            if not 1 <= month <= 12:
                raise FieldLookupValueError("Lookup 'month' requires month in range 1..12")
            low = date(year, month, 1)
            high = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
            return low, high
        low = date(*parts)
        return low, date.fromordinal(low.toordinal() + 1)
    except ValueError as exc:
        if isinstance(exc, FieldLookupValueError):
            raise
        raise FieldLookupValueError(str(exc)) from exc


def compile_lookup(model: type, key: str, value: Any, joins: list[str] | None = None) -> dict[str, Any]:
    """One kwarg lookup → one IR condition node; validation errors raise here.
    An FK path (``author__name``) adds its joins to ``joins`` (the query's
    relation paths) and targets the joined table's alias."""
    path, lookup = split_key(key)
    info, alias = _resolve_path(model, path, joins)
    if lookup not in allowed_lookups(info):
        raise FieldLookupError(f"Lookup '{lookup}' is not supported for field '{info.name}'")
    node: dict[str, Any] = {"type": "condition", "field": info.name, "column": info.column}
    if alias is not None:
        node["table"] = alias

    if lookup == "exact":
        value = _check_value(value)
        if value is None:
            return {**node, "operator": "IS NULL"}
        return {**node, "operator": "=", "value": value}
    if lookup == "isnull":
        return {**node, "operator": "IS NULL" if value else "IS NOT NULL"}
    if lookup in _COMPARE:
        if value is None:
            raise FieldLookupValueError(f"Lookup '{lookup}' requires a non-null value")
        return {**node, "operator": _COMPARE[lookup], "value": _check_value(value)}
    if lookup in _PATTERNS:
        if not isinstance(value, str):
            raise FieldLookupValueError(f"Lookup '{lookup}' requires a string value")
        if "\0" in value:
            # SQLite ends a LIKE pattern at NUL (matching far too much) and PostgreSQL text holds none.
            raise FieldLookupValueError(f"Lookup '{lookup}' cannot match a NUL character")
        template, insensitive = _PATTERNS[lookup]
        # Always name the escape character: without ESCAPE, PostgreSQL and MySQL treat a
        # backslash in the value as one, so `contains="\\0"` would match any "0".
        pattern = template.format(_escape(value))
        return {**node, "operator": "ILIKE" if insensitive else "LIKE", "value": pattern, "escape": ESCAPE}
    if lookup == "in":
        if value is None:
            raise FieldLookupValueError("Lookup 'in' requires an iterable of values")
        if isinstance(value, (str, bytes, bytearray)):
            raise FieldLookupValueError("Lookup 'in' does not accept string values; use a sequence")
        if not isinstance(value, Iterable):
            raise FieldLookupValueError("Lookup 'in' requires an iterable value")
        return {**node, "operator": "IN", "value": [_check_value(v) for v in value]}
    if lookup in ("between", "range"):
        if not isinstance(value, (tuple, list)) or len(value) != 2:
            raise FieldLookupValueError(f"Lookup '{lookup}' requires a tuple/list of two values")
        return {**node, "operator": "BETWEEN", "value": [_check_value(v) for v in value]}
    # year / month / day
    bounds = _date_range(lookup, value)
    if isinstance(bounds, int):
        return {**node, "operator": "=", "value": bounds, "part": lookup}
    low, high = bounds
    if _base_type(info.python_type) is datetime:
        low = datetime(low.year, low.month, low.day)  # type: ignore[assignment]
        high = datetime(high.year, high.month, high.day)  # type: ignore[assignment]
    return {
        "type": "and",
        "conditions": [{**node, "operator": ">=", "value": low}, {**node, "operator": "<", "value": high}],
    }
