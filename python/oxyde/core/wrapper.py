"""The core exception family under its historical import path (spec exceptions.md §1)."""

from __future__ import annotations

from oxyde.core.errors import (
    CheckViolationError,
    ConnectionLostError,
    DatabaseError,
    ForeignKeyViolationError,
    IntegrityError,
    InvalidIRError,
    NotNullViolationError,
    PoolTimeoutError,
    TransactionNotFoundError,
    UniqueViolationError,
    UnsupportedError,
)

__all__ = [
    "CheckViolationError",
    "ConnectionLostError",
    "DatabaseError",
    "ForeignKeyViolationError",
    "IntegrityError",
    "InvalidIRError",
    "NotNullViolationError",
    "PoolTimeoutError",
    "TransactionNotFoundError",
    "UniqueViolationError",
    "UnsupportedError",
]
