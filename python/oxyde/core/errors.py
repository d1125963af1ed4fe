"""The core exception family: what ``oxyde._core`` raises.

The Rust side imports these classes by name from this module. Constraint
classes belong to both families (see ``oxyde.exceptions``).
"""

from __future__ import annotations

from oxyde import exceptions as _exc
from oxyde.exceptions import (
    ConnectionLostError,
    DatabaseError,
    DataError,
    InvalidIRError,
    PoolTimeoutError,
    TransactionNotFoundError,
    UnsupportedError,
)

__all__ = [
    "CheckViolationError",
    "ConnectionLostError",
    "DataError",
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


class IntegrityError(DatabaseError, _exc.IntegrityError):
    code = "integrity_error"


class UniqueViolationError(IntegrityError, _exc.UniqueViolationError):
    code = "unique_violation"


class ForeignKeyViolationError(IntegrityError, _exc.ForeignKeyViolationError):
    code = "foreign_key_violation"


class NotNullViolationError(IntegrityError, _exc.NotNullViolationError):
    code = "not_null_violation"


class CheckViolationError(IntegrityError, _exc.CheckViolationError):
    code = "check_violation"
