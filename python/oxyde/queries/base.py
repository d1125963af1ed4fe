"""Shared pieces of the query layer: the executor protocol and model metadata access."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, runtime_checkable

from oxyde.exceptions import FieldError

if TYPE_CHECKING:
    from pydantic import BaseModel

__all__ = [
    "FieldInfo",
    "SupportsExecute",
    "TModel",
    "column_fields",
    "column_types",
    "model_fields",
    "model_path",
    "pk_info",
    "plain_value",
    "resolve_column",
    "resolve_field",
    "reverse_column_map",
    "table_ir",
    "table_name",
]

TModel = TypeVar("TModel", bound="BaseModel")


@runtime_checkable
class SupportsExecute(Protocol):
    """Anything that runs one IR dict and hands back the encoded result."""

    async def execute(self, ir: dict[str, Any]) -> bytes: ...


@dataclass(frozen=True, slots=True)
class FieldInfo:
    """What the query layer needs to know about one model field."""

    name: str
    column: str
    python_type: Any
    nullable: bool
    primary_key: bool
    # FK object field (``author``): its real column is ``column`` (``author_id``)
    is_fk: bool
    # reverse-FK / M2M lists: no column at all
    virtual: bool
    has_default_factory: bool


def _meta(model: type) -> Any:
    return getattr(model, "_db_meta", None)


def table_name(model: type) -> str:
    getter = getattr(model, "get_table_name", None)
    if getter is not None:
        return str(getter())
    meta = _meta(model)
    return (meta and meta.table_name) or model.__name__.lower()


def table_ir(model: type) -> dict[str, str]:
    """The IR keys naming ``model``'s table: ``table``, and ``schema`` when ``Meta.schema`` sets one."""
    meta = _meta(model)
    schema = getattr(meta, "schema", None)
    if schema:
        return {"table": table_name(model), "schema": schema}
    return {"table": table_name(model)}


_FIELDS_CACHE: dict[type, tuple[Any, dict[str, FieldInfo]]] = {}


def model_fields(model: type) -> dict[str, FieldInfo]:
    """Field name → FieldInfo, in declaration order (cached per class)."""
    meta = _meta(model)
    metadata = getattr(meta, "field_metadata", None) or {}
    cached = _FIELDS_CACHE.get(model)
    # finalization (forward refs, FK resolution) builds a new metadata dict;
    # the cache keeps the dict it read alive, so an identity match is exact
    if cached is not None and cached[0] is metadata:
        return cached[1]
    out: dict[str, FieldInfo] = {}
    for name, cm in metadata.items():
        extra = getattr(cm, "extra", None) or {}
        fk = getattr(cm, "foreign_key", None)
        column = getattr(cm, "db_column", None) or name
        if fk is not None and getattr(fk, "column_name", None):
            column = fk.column_name
        out[name] = FieldInfo(
            name=name,
            column=column,
            python_type=getattr(cm, "python_type", None),
            nullable=bool(getattr(cm, "nullable", False)),
            primary_key=bool(getattr(cm, "primary_key", False)),
            is_fk=fk is not None,
            virtual=bool(extra.get("reverse_fk") or extra.get("m2m")),
            has_default_factory=getattr(cm, "default_factory", None) is not None,
        )
    _FIELDS_CACHE[model] = (metadata, out)
    return out


def column_fields(model: type) -> list[FieldInfo]:
    """Fields that map to a real column, one per column (FK object fields dropped
    when a separate field already carries their column)."""
    fields = model_fields(model)
    cached = _COLUMN_FIELDS.get(model)
    if cached is not None and cached[0] is fields:
        return list(cached[1])
    plain_columns = {f.column for f in fields.values() if not f.is_fk and not f.virtual}
    out: list[FieldInfo] = []
    for f in fields.values():
        if f.virtual or (f.is_fk and f.column in plain_columns):
            continue
        out.append(f)
    _COLUMN_FIELDS[model] = (fields, out)
    return list(out)


# derived from one model_fields() dict each, rebuilt when that dict changes
_COLUMN_FIELDS: dict[type, tuple[dict[str, FieldInfo], list[FieldInfo]]] = {}
_REVERSE_MAPS: dict[type, tuple[Any, dict[str, FieldInfo], dict[str, str]]] = {}


def pk_info(model: type) -> FieldInfo | None:
    meta = _meta(model)
    name = getattr(meta, "pk_field", None)
    fields = model_fields(model)
    if name and name in fields:
        return fields[name]
    for f in fields.values():
        if f.primary_key:
            return f
    return None


def resolve_field(model: type, name: str) -> FieldInfo:
    """A field by name, else ``FieldError`` naming it."""
    info = model_fields(model).get(name)
    if info is None or info.virtual:
        raise FieldError(f"{model.__name__} has no field '{name}'")
    return info


def resolve_column(model: type, name: str, aliases: Any = ()) -> str:
    """Map a user-given name to a column: field names, then raw column names,
    then annotation aliases; anything else is a ``FieldError``."""
    fields = model_fields(model)
    info = fields.get(name)
    if info is not None and not info.virtual:
        return info.column
    if name in aliases:
        return name
    if any(f.column == name and not f.virtual for f in fields.values()):
        return name
    raise FieldError(f"{model.__name__} has no field '{name}'")


def column_types(model: type) -> dict[str, dict[str, Any]]:
    meta = _meta(model)
    return dict(getattr(meta, "column_types", None) or {})


def reverse_column_map(model: type) -> dict[str, str]:
    """Column → field name for every column field whose names differ (shared: read only)."""
    meta = _meta(model)
    declared = getattr(meta, "reverse_column_map", None)
    fields = model_fields(model)
    cached = _REVERSE_MAPS.get(model)
    if cached is not None and cached[0] is declared and cached[1] is fields:
        return cached[2]
    out = dict(declared or {})
    for f in column_fields(model):
        if f.column != f.name:
            out.setdefault(f.column, f.name)
    _REVERSE_MAPS[model] = (declared, fields, out)
    return out


def model_path(model: type) -> str:
    return f"{model.__module__}.{model.__qualname__}"


def plain_value(value: Any) -> Any:
    """Enum members travel as their value; containers recursively."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (list, tuple)):
        return [plain_value(v) for v in value]
    return value
