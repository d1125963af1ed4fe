"""Model declaration: ``Model``, ``Field``, ``Index``, ``Check`` and the registry."""

from __future__ import annotations

import warnings
from typing import Any

from oxyde.models.base import Model
from oxyde.models.decorators import Check, Index
from oxyde.models.field import Field, OxydeFieldInfo
from oxyde.models.registry import (
    clear_registry,
    iter_tables,
    register_table,
    registered_tables,
    unregister_table,
)

__all__ = [
    "Check",
    "Field",
    "Index",
    "Model",
    "OxydeFieldInfo",
    "clear_registry",
    "iter_tables",
    "register_table",
    "registered_tables",
    "unregister_table",
]


def __getattr__(name: str) -> Any:
    if name == "OxydeModel":
        warnings.warn("OxydeModel is deprecated, use Model instead", DeprecationWarning, stacklevel=2)
        return Model
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
