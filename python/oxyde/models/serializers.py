"""Private helpers for dumping model instances (spec instances.md §8); not public API."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

__all__: list[str] = []


def _get_virtual_fields(model: type[BaseModel]) -> set[str]:
    meta = getattr(model, "_db_meta", None)
    if meta is None:
        return set()
    return {name for name, cm in meta.field_metadata.items() if cm.extra or cm.foreign_key is not None}


def _dump_insert_data(instance: BaseModel) -> dict[str, Any]:
    """Explicitly set column fields (spec models.md §4.4)."""
    skip = _get_virtual_fields(type(instance))
    return {k: v for k, v in instance.model_dump(include=instance.model_fields_set).items() if k not in skip}


def _dump_update_data(instance: BaseModel, fields: set[str] | None = None) -> dict[str, Any]:
    skip = _get_virtual_fields(type(instance))
    data = instance.model_dump(include=fields) if fields is not None else instance.model_dump()
    return {k: v for k, v in data.items() if k not in skip}


def _derive_create_data(filters: dict[str, Any], defaults: dict[str, Any] | None) -> dict[str, Any]:
    """``get_or_create`` data: plain ``field=value`` filters plus the defaults."""
    data = {k: v for k, v in filters.items() if "__" not in k}
    data.update(defaults or {})
    return data


def _normalize_instance(model: type[BaseModel], value: BaseModel | dict[str, Any]) -> BaseModel:
    return value if isinstance(value, model) else model.model_validate(value)
