"""Typed stub of the compiled extension ``oxyde._core`` (built from ``oxyde-py``).

Every coroutine copies its arguments, releases the GIL and runs on the core's
tokio runtime. Errors are raised as the classes of ``oxyde.core.errors``
(see that module); invalid IR raises ``InvalidIRError`` (an ``OxydeError`` and
a ``ValueError``).
"""

from collections.abc import Callable
from typing import Any

__version__: str
IR_VERSION: int

def list_dialects() -> list[str]:
    """Names of the registered dialects, sorted."""

def render(ir: bytes, dialect: str) -> tuple[str, list[Any]]:
    """Render an IR to ``(sql, params)`` without a connection (``Query.sql()``).

    Params come back as Python values (``Decimal``, ``UUID``, ``datetime``...,
    JSON decoded). An unknown dialect raises ``ValueError``.
    """

async def init_pool(name: str, url: str, settings: dict[str, Any] | None = None, overwrite: bool = False) -> str:
    """Open a pool under ``name``; returns the dialect name (``"postgres"``, ``"sqlite"``, ``"mysql"``).

    ``settings`` holds the non-None fields of ``PoolSettings`` (durations as float seconds;
    ``connect_timeout`` is accepted as a synonym of ``acquire_timeout``). An unknown key
    raises ``ValueError``, a wrongly typed value ``TypeError`` (both before any I/O).
    An existing pool of that name is closed and replaced when ``overwrite`` is true,
    otherwise it is a ``RuntimeError("Pool '<name>' already exists")``.
    """

async def close_pool(name: str) -> None:
    """Close one pool (rolls back its open transactions). Unknown names are ignored."""

async def close_all_pools() -> None:
    """Roll back every open transaction and close every pool."""

def pool_backend(name: str) -> str | None:
    """Dialect name of an open pool, or ``None``."""

def pool_stats(name: str) -> dict[str, int]:
    """Counts of an open pool right now: ``size`` (open connections), ``idle``, ``in_use``,
    ``min_connections``, ``max_connections`` and ``transactions`` (open in the core's registry,
    each holding a connection). An unknown name raises ``TransactionNotFoundError``
    ("Pool '<name>' not found")."""

async def execute(pool: str, ir: bytes) -> bytes:
    """Run one IR on a pooled connection; returns the encoded result (see docs/ir.md)."""

async def begin_transaction(pool: str) -> int:
    """Take a connection, issue BEGIN, return the transaction id.

    Cancelling the awaitable may come too late to stop BEGIN: the transaction then
    opens all the same and holds its connection until rolled back (or until the idle
    cleaner does it). Shield the call and roll back what it returns, as
    ``AsyncTransaction.begin`` does."""

async def execute_in_transaction(pool: str, tx_id: int, ir: bytes) -> bytes:
    """Run one IR on the transaction's connection."""

class RowStream:
    """An open select streaming its rows; the connection goes back to the pool at the
    end of the rows, at ``close()``, or when the object is dropped."""

    async def next(self) -> bytes | None:
        """The next encoded batch (``[columns, rows]``, like a select result), or ``None``
        after the last. A database error raises its class and ends the stream."""
    def close(self) -> None:
        """Stop the statement and release its connection; idempotent."""

def open_stream(pool: str, ir: bytes, batch_size: int) -> RowStream:
    """Start streaming the select ``ir`` on a pooled connection, ``batch_size`` rows per batch."""

class ModelBuilder:
    """Builds instances of ``cls`` from rows with one column list: ``types[i]`` is the
    type column ``i`` must have (``None`` only where ``nullable[i]``); ``fields`` are
    the model's fields in order as ``(name, column index or -1, default, is_factory)``;
    ``present`` names the fields the rows set (see ``oxyde.queries.hydrate``)."""

    def __init__(
        self,
        cls: type,
        types: tuple[type, ...],
        nullable: list[bool],
        fields: tuple[tuple[str, int, Any, bool], ...],
        present: tuple[str, ...],
    ) -> None: ...
    def build(self, rows: list[list[Any]]) -> list[Any] | None:
        """The instances when every value is exactly its column's type, else ``None``."""

async def commit_transaction(tx_id: int) -> None: ...
async def rollback_transaction(tx_id: int) -> None: ...
async def create_savepoint(tx_id: int, name: str) -> None: ...
async def rollback_to_savepoint(tx_id: int, name: str) -> None: ...
async def release_savepoint(tx_id: int, name: str) -> None: ...
def shutdown() -> None:
    """Close every pool and stop the runtime; registered with ``atexit`` (by ``_core``
    itself at import) so the interpreter never finalizes while runtime threads hold
    Python objects. Idempotent; a later call to any coroutine starts a new runtime."""

# ---- migrations (synchronous, pure; MessagePack maps in and out) ----

def schema_diff(old: bytes, new: bytes) -> bytes:
    """Operations turning snapshot ``old`` into ``new`` (``{"version": 1, "tables": {...}}``),
    as a packed list of ``{"type": <op>, ...}`` dicts. ``ValueError`` on a malformed
    snapshot, a foreign-key cycle among created/dropped tables, or one enum name with
    two value lists."""

def schema_apply(schema: bytes, ops: bytes) -> bytes:
    """The snapshot after replaying ``ops`` on ``schema``. ``ValueError`` when an operation
    names a table, column, index or constraint the schema lacks (or creates one it has)."""

def render_migration_ops(ops: bytes, dialect: str, schema: bytes | None = None) -> list[str]:
    """DDL statements for ``ops`` on ``dialect``, in operation order, starting from the
    snapshot ``schema`` (empty when ``None``; SQLite rebuilds and MySQL ``MODIFY`` read it).
    ``ValueError("Invalid dialect: ...")`` or on malformed input; ``RuntimeError("Migration
    error: ...")`` for what the dialect cannot express."""

def configure_sql_events(
    hook: Callable[[dict[str, Any]], None] | None, level: str | None, params: bool = False
) -> None:
    """Deliver statement events at ``level`` (``"debug"``: every statement, ``"warning"``: slow ones,
    ``None``: none) to ``hook(event)``, called on a core thread with the GIL held. The event dict holds
    ``level``, ``sql``, ``param_count``, ``rows``, ``duration_us``, ``start_ns``, ``pool``, ``dialect``,
    ``slow``, ``error`` when the statement failed and ``params`` (their debug text) only when ``params`` is true.
    Used by ``oxyde.db.sqllog``; an exception in the hook is reported as unraisable, never raised into the query.
    """

def set_slow_query_threshold(seconds: float | None) -> None:
    """Statements taking at least ``seconds`` are reported as ``"warning"`` events; None turns that off."""
