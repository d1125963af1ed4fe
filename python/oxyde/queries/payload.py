"""What INSERT and UPDATE statements send for a model instance (instances.md §5, §2.3)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from pydantic import BaseModel

from oxyde.queries.base import FieldInfo, column_fields, column_types, model_fields, pk_info

__all__ = ["db_value", "derive_fk_columns", "insert_payload", "update_payload"]

_JSON_KINDS = ("json", "json_binary")


def db_value(model: type, column: str, value: Any, types: dict[str, dict[str, Any]] | None = None) -> Any:
    """A Python value ready for binding into ``column``."""
    if value is None:
        return None
    spec = (types if types is not None else column_types(model)).get(column) or {}
    kind = spec.get("kind")
    if kind in _JSON_KINDS:
        from oxyde._codec import encode_json

        return encode_json(_jsonable(value))
    if kind == "array" and (spec.get("item") or {}).get("kind") in _JSON_KINDS and isinstance(value, (list, tuple)):
        from oxyde._codec import encode_json

        # each item is one JSON document (a JSONB[] item on PostgreSQL)
        return [None if v is None else encode_json(_jsonable(v)) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, BaseModel) and hasattr(type(value), "_db_meta"):
        pk = pk_info(type(value))
        return getattr(value, pk.name) if pk else None
    if isinstance(value, tuple):
        return list(value)
    return value


def _jsonable(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    return value


def derive_fk_columns(instance: BaseModel, fields_set: set[str]) -> dict[str, Any]:
    """``Post(author=ann)`` without ``author_id``: take the id from ``ann`` (spec defect fix)."""
    out: dict[str, Any] = {}
    model = type(instance)
    plan = _insert_plan(model)
    for f in plan.fk_fields:
        if f.name not in fields_set:
            continue
        related = getattr(instance, f.name, None)
        target = plan.by_column.get(f.column)
        if related is None or target is None or target.name in fields_set or target.name == f.name:
            continue
        pk = pk_info(type(related)) if isinstance(related, BaseModel) else None
        if pk is not None:
            out[target.name] = getattr(related, pk.name, None)
    return out


# values bound as they are, unless their column stores JSON
_PLAIN_TYPES = frozenset({str, int, float, bool, type(None)})


@dataclass(frozen=True, slots=True)
class _InsertPlan:
    """What an INSERT of a model reads from an instance, worked out once per model."""

    # (field name, column, has default_factory, JSON-free column) per column field
    columns: tuple[tuple[str, str, bool, bool], ...]
    fk_fields: tuple[FieldInfo, ...]  # FK object fields, which may supply their column's value
    by_column: dict[str, FieldInfo]  # the column fields by column
    types: dict[str, dict[str, Any]]


# model -> (the fields and column types it was made from, its plan)
_INSERT_PLANS: dict[type, tuple[Any, Any, _InsertPlan]] = {}


def _insert_plan(model: type) -> _InsertPlan:
    fields = model_fields(model)
    declared = getattr(getattr(model, "_db_meta", None), "column_types", None)
    cached = _INSERT_PLANS.get(model)
    if cached is not None and cached[0] is fields and cached[1] is declared:
        return cached[2]
    types = column_types(model)
    cols = column_fields(model)

    def json_free(column: str) -> bool:
        spec = types.get(column) or {}
        return spec.get("kind") not in _JSON_KINDS and spec.get("kind") != "array"

    plan = _InsertPlan(
        columns=tuple((f.name, f.column, f.has_default_factory, json_free(f.column)) for f in cols),
        fk_fields=tuple(f for f in fields.values() if f.is_fk),
        by_column={f.column: f for f in cols if not f.is_fk},
        types=types,
    )
    _INSERT_PLANS[model] = (fields, declared, plan)
    return plan


def insert_payload(instance: BaseModel) -> dict[str, Any]:
    """Column → value for an INSERT: set fields, plus ``default_factory`` values
    (spec defect fix: a ``uuid4`` key must reach the database)."""
    model = type(instance)
    plan = _insert_plan(model)
    fields_set = instance.model_fields_set
    derived = derive_fk_columns(instance, fields_set) if plan.fk_fields else {}
    values = instance.__dict__
    out: dict[str, Any] = {}
    for name, column, has_factory, json_free in plan.columns:
        if name in derived:
            value = derived[name]
        elif name in fields_set or has_factory:
            value = values.get(name)
        else:
            continue
        out[column] = value if json_free and type(value) in _PLAIN_TYPES else db_value(model, column, value, plan.types)
    return out


def update_fields_for(model: type, names: Any) -> list[FieldInfo]:
    """Validated fields for ``save(update_fields=...)``; the PK is never written."""
    from oxyde.exceptions import FieldError

    fields = model_fields(model)
    cols = column_fields(model)
    if names is None:
        chosen = cols
    else:
        names = list(names)
        unknown = sorted(n for n in names if n not in fields)
        if unknown:
            raise FieldError(f"Invalid update_fields for {model.__name__}: {', '.join(unknown)}")
        by_column = {f.column: f for f in cols}
        chosen = []
        for n in names:
            f = fields[n]
            if f.virtual:
                raise FieldError(f"'{n}' is a virtual relation field and cannot be used in update_fields")
            if f.is_fk and f.column in by_column:
                f = by_column[f.column]
            if f not in chosen:
                chosen.append(f)
    return [f for f in chosen if not f.primary_key]


def update_payload(instance: BaseModel, fields: list[FieldInfo]) -> dict[str, Any]:
    """Field name → current value for the chosen fields (``None`` included)."""
    return {f.name: getattr(instance, f.name, None) for f in fields}
