"""Oxyde: a fast async ORM with pydantic models in Python and SQL in Rust."""

from __future__ import annotations

import logging
import warnings
from typing import Any

from oxyde import db
from oxyde.db import (
    AsyncDatabase,
    PoolSettings,
    PoolStats,
    create_tables,
    disconnect_all,
    drop_tables,
    get_connection,
    register_connection,
)
from oxyde.db.transaction import TransactionTimeoutError, atomic
from oxyde.exceptions import (
    CheckViolationError,
    FieldError,
    FieldLookupError,
    FieldLookupValueError,
    ForeignKeyViolationError,
    IntegrityError,
    ManagerError,
    MultipleObjectsReturned,
    NotFoundError,
    NotNullViolationError,
    OxydeError,
    UniqueViolationError,
)
from oxyde.models import Check, Field, Index, Model
from oxyde.queries import (
    Avg,
    Coalesce,
    Concat,
    Count,
    F,
    Max,
    Min,
    Q,
    Query,
    QueryManager,
    RawSQL,
    Sum,
    execute_raw,
)

# A library logs but never prints: records reach handlers the application configures.
logging.getLogger("oxyde").addHandler(logging.NullHandler())

try:
    from oxyde._core import __version__
except ImportError:  # the extension is not built (docs builds, partial checkouts)
    __version__ = "0.0.0"

__all__ = [
    "AsyncDatabase",
    "Avg",
    "Check",
    "CheckViolationError",
    "Coalesce",
    "Concat",
    "Count",
    "F",
    "Field",
    "FieldError",
    "FieldLookupError",
    "FieldLookupValueError",
    "ForeignKeyViolationError",
    "Index",
    "IntegrityError",
    "ManagerError",
    "Max",
    "Min",
    "Model",
    "MultipleObjectsReturned",
    "NotFoundError",
    "NotNullViolationError",
    "OxydeError",
    "PoolSettings",
    "PoolStats",
    "Q",
    "Query",
    "QueryManager",
    "RawSQL",
    "Sum",
    "TransactionTimeoutError",
    "UniqueViolationError",
    "__version__",
    "atomic",
    "create_tables",
    "db",
    "disconnect_all",
    "drop_tables",
    "execute_raw",
    "get_connection",
    "register_connection",
]


def __getattr__(name: str) -> Any:
    if name == "OxydeModel":
        warnings.warn("OxydeModel is deprecated, use Model instead", DeprecationWarning, stacklevel=2)
        return Model
    raise AttributeError(f"module 'oxyde' has no attribute '{name}'")
