"""Column type specs: one ``{"kind": ...}`` dict per column (spec types.md §1-2, §8-9)."""

from __future__ import annotations

import enum
import re
import types
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Annotated, Any, Union, get_args, get_origin
from uuid import UUID

__all__ = ["compute_column_type", "enum_type_name", "strip_optional", "unwrap_annotated"]

_SCALARS: dict[Any, str] = {
    bool: "boolean",
    int: "big_integer",
    float: "double",
    bytes: "blob",
    bytearray: "blob",
    datetime: "date_time",
    date: "date",
    time: "time",
    timedelta: "timedelta",
    UUID: "uuid",
}

_DB_TYPE_KINDS: dict[str, str] = {
    **dict.fromkeys(
        (
            "INT",
            "INTEGER",
            "BIGINT",
            "SMALLINT",
            "TINYINT",
            "SERIAL",
            "BIGSERIAL",
            "SMALLSERIAL",
            "INT2",
            "INT4",
            "INT8",
        ),
        "big_integer",
    ),
    **dict.fromkeys(("FLOAT", "DOUBLE", "DOUBLE PRECISION", "REAL", "FLOAT4", "FLOAT8"), "double"),
    **dict.fromkeys(("BOOL", "BOOLEAN"), "boolean"),
    **dict.fromkeys(("TEXT", "STR"), "text"),
    **dict.fromkeys(("VARCHAR", "CHAR"), "string"),
    "UUID": "uuid",
    "JSON": "json",
    "JSONB": "json_binary",
    **dict.fromkeys(("DATETIME", "TIMESTAMP"), "date_time"),
    "TIMESTAMPTZ": "date_time_utc",
    "DATE": "date",
    **dict.fromkeys(("TIME", "TIMETZ"), "time"),
    **dict.fromkeys(("TIMEDELTA", "INTERVAL"), "timedelta"),
    **dict.fromkeys(("BYTES", "BYTEA", "BLOB"), "blob"),
    **dict.fromkeys(("DECIMAL", "NUMERIC"), "decimal"),
}

_PARAMS = re.compile(r"\(([^)]*)\)")
_NONE_TYPE = type(None)


def _is_union(tp: Any) -> bool:
    origin = get_origin(tp)
    return origin is Union or origin is types.UnionType


def unwrap_annotated(tp: Any) -> tuple[Any, list[Any]]:
    """Strip one ``Annotated`` layer; return the inner type and its metadata."""
    if get_origin(tp) is Annotated:
        args = get_args(tp)
        return args[0], list(args[1:])
    return tp, []


def strip_optional(tp: Any) -> tuple[Any, bool]:
    """``T | None`` → ``(T, True)`` when exactly one non-None member; else ``(tp, False)``."""
    if _is_union(tp):
        members = [a for a in get_args(tp) if a is not _NONE_TYPE]
        if len(members) == 1 and len(members) != len(get_args(tp)):
            return members[0], True
    return tp, False


def enum_type_name(cls: type) -> str:
    """``PostStatus`` → ``post_status_enum``; ``HTTPStatus`` → ``http_status_enum``."""
    name = cls.__name__
    out: list[str] = []
    for i, ch in enumerate(name):
        if i > 0 and ch.isupper():
            prev = name[i - 1]
            nxt = name[i + 1] if i + 1 < len(name) else ""
            if prev != "_" and (not prev.isalpha() or prev.islower() or nxt.islower()):
                out.append("_")
        out.append(ch)
    return "".join(out).lower() + "_enum"


def _enum_spec(cls: type[enum.Enum]) -> dict[str, Any]:
    values = [m.value for m in cls]
    if not all(isinstance(v, str) for v in values):
        raise TypeError(
            f"Enum {cls.__name__} has non-string values; database enums need str values "
            f"(use a str-valued Enum, an int field, or set db_type)"
        )
    return {"kind": "enum", "name": enum_type_name(cls), "values": values}


def _is_enum(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, enum.Enum)


def _clean(tp: Any) -> tuple[Any, list[Any]]:
    tp, meta = unwrap_annotated(tp)
    tp, _ = strip_optional(tp)
    inner, more = unwrap_annotated(tp)
    return inner, meta + more


def _enum_in(tp: Any) -> dict[str, Any] | None:
    tp, _ = _clean(tp)
    if _is_enum(tp):
        return _enum_spec(tp)
    if get_origin(tp) is list:
        args = get_args(tp)
        if args:
            item = _enum_in(args[0])
            if item is not None:
                return {"kind": "array", "item": item}
    return None


def _from_db_type(db_type: str) -> dict[str, Any] | None:
    text = db_type.strip().upper()
    if text.endswith("[]"):
        item = _from_db_type(text[:-2])
        return {"kind": "array", "item": item} if item is not None else None
    match = _PARAMS.search(text)
    params = [p.strip() for p in match.group(1).split(",")] if match else []
    base = " ".join(_PARAMS.sub("", text).split())
    kind = _DB_TYPE_KINDS.get(base)
    if kind is None:
        return None
    spec: dict[str, Any] = {"kind": kind}
    try:
        if kind == "string" and params and params[0]:
            spec["length"] = int(params[0])
        elif kind == "decimal" and params and params[0]:
            spec["precision"] = int(params[0])
            spec["scale"] = int(params[1]) if len(params) > 1 and params[1] else 0
    except ValueError:
        pass
    return spec


def _constraint(meta: list[Any], name: str) -> Any:
    for item in meta:
        value = getattr(item, name, None)
        if value is not None:
            return value
        for sub in getattr(item, "metadata", None) or ():
            value = getattr(sub, name, None)
            if value is not None:
                return value
    return None


def _from_annotation(
    tp: Any, max_length: int | None, max_digits: int | None, decimal_places: int | None
) -> dict[str, Any] | None:
    tp, meta = _clean(tp)
    if meta:
        max_length = _constraint(meta, "max_length") or max_length
        max_digits = _constraint(meta, "max_digits") or max_digits
        decimal_places = _constraint(meta, "decimal_places") or decimal_places
    if _is_union(tp):
        for member in get_args(tp):
            if member is _NONE_TYPE:
                continue
            spec = _from_annotation(member, max_length, max_digits, decimal_places)
            if spec is not None:
                return spec
        return None
    kind = _SCALARS.get(tp)
    if kind is not None:
        return {"kind": kind}
    if tp is str:
        return {"kind": "string", "length": max_length} if max_length is not None else {"kind": "string"}
    if tp is Decimal:
        if max_digits is None:
            return {"kind": "decimal"}
        return {"kind": "decimal", "precision": max_digits, "scale": decimal_places or 0}
    if tp is dict or get_origin(tp) is dict:
        return {"kind": "json"}
    if _is_enum(tp):
        return _enum_spec(tp)
    if get_origin(tp) is list:
        args = get_args(tp)
        if not args:
            return None
        item = _from_annotation(args[0], max_length, max_digits, decimal_places)
        return {"kind": "array", "item": item} if item is not None else None
    return None


def compute_column_type(
    python_type: Any,
    db_type: str | None = None,
    *,
    max_length: int | None = None,
    max_digits: int | None = None,
    decimal_places: int | None = None,
) -> dict[str, Any] | None:
    """The column type spec for an annotation; ``None`` means ``unknown``."""
    if db_type is None:
        spec = _enum_in(python_type)
        if spec is not None:
            return spec
    else:
        return _from_db_type(db_type)
    return _from_annotation(python_type, max_length, max_digits, decimal_places)
