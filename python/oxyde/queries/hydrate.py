"""Models built from rows without re-validating what the database already typed.

A model qualifies when nothing in pydantic would change a value it reads:
no validators, no private state, no config that rewrites values, and each
selected field a plain type (``int``, ``str``, ``datetime``, ...), optional
or not, with constraints only. Then a ``_core.ModelBuilder``, made once per
column list, checks every value is exactly its field's type and assembles the
instances; when one is not (an
integer for a ``bool`` on SQLite, text for an enum), or the model does not
qualify, the rows go through pydantic as before. Values from users are never
built this way.
"""

from __future__ import annotations

import types
import typing
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

__all__ = ["build_models"]

_PLAIN = frozenset({int, str, float, bool, bytes, datetime, date, time, timedelta, Decimal, UUID})
_IMMUTABLE = (type(None), int, str, float, bool, bytes, datetime, date, time, timedelta, Decimal, UUID, Enum)
# model_config keys that never change a value read from a row (anything else: pydantic validates)
_HARMLESS_CONFIG = frozenset(
    {
        "ignored_types",
        "title",
        "arbitrary_types_allowed",
        "from_attributes",
        "populate_by_name",
        "validate_by_name",
        "validate_by_alias",
        "serialize_by_alias",
        "protected_namespaces",
        "json_schema_extra",
        "json_encoders",
        "use_attribute_docstrings",
        "defer_build",
        "frozen",
        "validate_assignment",
        "ser_json_timedelta",
        "ser_json_bytes",
        "ser_json_inf_nan",
        "alias_generator",
        "loc_by_alias",
        "regex_engine",
        "cache_strings",
        "strict",
        "extra",
    }
)


_VALIDATOR_KINDS = ("validators", "field_validators", "root_validators", "model_validators")


# model -> [its pydantic fields when read, whether it qualifies, (the last column list, its builder or None)]
_MODELS: dict[type, list[Any]] = {}


def build_models(model: type, keys: list[str], rows: list[list[Any]]) -> list[Any] | None:
    """Instances of ``model`` from ``rows`` (values in ``keys`` order, keys are field
    names), or ``None`` when pydantic has to validate them."""
    fields = getattr(model, "__pydantic_fields__", None)
    entry = _MODELS.get(model)
    if entry is None or entry[0] is not fields:
        entry = _MODELS[model] = [fields, _qualifies(model), None]
    if not entry[1] or not rows:
        return None
    last = entry[2]
    if last is None or last[0] != keys:
        last = entry[2] = (list(keys), _builder(model, keys))  # a column list that cannot be built is kept too
    builder = last[1]
    if builder is None:
        return None
    built: list[Any] | None = builder.build(rows)
    return built


def _qualifies(model: type) -> bool:
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        return False
    decorators = getattr(model, "__pydantic_decorators__", None)
    if decorators is None or any(getattr(decorators, kind, None) for kind in _VALIDATOR_KINDS):
        return False
    if getattr(model, "__private_attributes__", None):
        return False
    from oxyde.models.base import Model

    # Model's own hook only copies a related object's key, and a row holds no related objects
    if model.model_post_init not in (Model.model_post_init, BaseModel.model_post_init):
        return False
    config = model.model_config
    if not set(config) <= _HARMLESS_CONFIG or config.get("extra") == "allow":
        return False
    fields = model.__pydantic_fields__
    return all(not f.validate_default and all(_is_constraint(m) for m in f.metadata) for f in fields.values())


def _is_constraint(item: Any) -> bool:
    """Bounds (``max_length``, ``ge``, ``max_digits`` and the like): they held when the values were stored."""
    kind = type(item)
    return kind.__module__ == "annotated_types" or kind.__name__ == "_PydanticGeneralMetadata"


def _builder(model: type, keys: list[str]) -> Any:
    """A ``_core.ModelBuilder`` for rows with columns ``keys``, or ``None`` when one of
    them is no plain field or a field left out has no default to share or make."""
    fields = model.__pydantic_fields__  # type: ignore[attr-defined]
    index = {key: i for i, key in enumerate(keys)}
    if len(index) != len(keys) or any(key not in fields for key in keys):
        return None
    col_types: list[type | None] = [None] * len(keys)
    nullable = [False] * len(keys)
    plan: list[tuple[str, int, Any, bool]] = []
    for name, info in fields.items():
        i = index.get(name)
        if i is not None:
            plain = _plain_type(info.annotation)
            if plain is None:
                return None
            col_types[i], nullable[i] = plain
            plan.append((name, i, None, False))
        elif info.default_factory is not None:
            if getattr(info, "default_factory_takes_data", False):
                return None
            plan.append((name, -1, info.default_factory, True))
        elif info.default is PydanticUndefined or not isinstance(info.default, _IMMUTABLE):
            return None  # required and absent (pydantic raises), or a default pydantic copies
        else:
            plan.append((name, -1, info.default, False))
    from oxyde import _core

    return _core.ModelBuilder(model, tuple(col_types), nullable, tuple(plan), tuple(keys))  # type: ignore[arg-type]


def _plain_type(annotation: Any) -> tuple[type, bool] | None:
    """``(T, nullable)`` for ``T`` / ``T | None`` with ``T`` a plain type, else ``None``."""
    nullable = False
    origin = typing.get_origin(annotation)
    if origin is typing.Union or origin is types.UnionType:
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) != 1:
            return None
        nullable, annotation = True, args[0]
    if annotation in _PLAIN:
        return annotation, nullable
    return None
