"""Every exception class users can catch from Oxyde.

Two families, as in the spec (``exceptions.md``):

* ``OxydeError`` and its subclasses, raised by the ORM layer;
* the core family (``DatabaseError`` and the core constraint classes), raised
  by the compiled core on every path. Core constraint classes also derive from
  the ``OxydeError`` constraint class of the same name, so
  ``except oxyde.exceptions.UniqueViolationError`` and ``except RuntimeError``
  both keep working wherever the error comes from.

Every class carries a stable ``code`` string.
"""

from __future__ import annotations

__all__ = [
    "CheckViolationError",
    "ConnectionLostError",
    "DataError",
    "DatabaseError",
    "FieldError",
    "FieldLookupError",
    "FieldLookupValueError",
    "ForeignKeyViolationError",
    "IntegrityError",
    "InvalidIRError",
    "ManagerError",
    "MultipleObjectsReturned",
    "NotFoundError",
    "NotNullViolationError",
    "OxydeError",
    "PoolTimeoutError",
    "TransactionNotFoundError",
    "UniqueViolationError",
    "UnsupportedError",
]


class OxydeError(Exception):
    """Base of every ORM-level error."""

    code = "oxyde_error"


class FieldError(OxydeError):
    code = "field_error"


class FieldLookupError(OxydeError):
    code = "field_lookup_error"


class FieldLookupValueError(FieldLookupError):
    code = "field_lookup_value_error"


class ManagerError(OxydeError):
    code = "manager_error"


class NotFoundError(ManagerError):
    code = "not_found"


class MultipleObjectsReturned(ManagerError):
    code = "multiple_objects_returned"


class IntegrityError(ManagerError):
    code = "integrity_error"


class UniqueViolationError(IntegrityError):
    code = "unique_violation"


class ForeignKeyViolationError(IntegrityError):
    code = "foreign_key_violation"


class NotNullViolationError(IntegrityError):
    code = "not_null_violation"


class CheckViolationError(IntegrityError):
    code = "check_violation"


class InvalidIRError(OxydeError, ValueError):
    """The core could not decode or validate a query IR."""

    code = "invalid_ir"


# --- the core family (raised by oxyde._core) ---------------------------------


class DatabaseError(RuntimeError):
    """A database or driver failure (core family)."""

    code = "database_error"


class DataError(DatabaseError, ValueError):
    """A value the column cannot hold: too long, out of range, or not representable there."""

    code = "data_error"


class PoolTimeoutError(DatabaseError):
    """No connection became free within ``acquire_timeout``."""

    code = "pool_timeout"


class ConnectionLostError(DatabaseError):
    """The connection to the server was lost or could not be opened."""

    code = "connection_lost"


class TransactionNotFoundError(DatabaseError):
    """The transaction id is unknown (finished, or rolled back by cleanup)."""

    code = "transaction_not_found"


class UnsupportedError(DatabaseError):
    """The dialect cannot express what was asked."""

    code = "unsupported"
