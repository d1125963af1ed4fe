"""Connections, transactions and schema helpers (spec connections.md, transactions.md)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from oxyde.db import transaction
from oxyde.db.pool import AsyncDatabase, PoolSettings, PoolStats
from oxyde.db.querylog import query_log
from oxyde.db.registry import (
    disconnect_all,
    get_connection,
    lookup_connection,
    register_connection,
    unregister_connection,
)
from oxyde.db.schema import create_tables, drop_tables
from oxyde.db.sqllog import configure_sql_logging
from oxyde.db.transaction import AsyncTransaction, TransactionTimeoutError, atomic, get_active_transaction

__all__ = [
    "AsyncDatabase",
    "AsyncTransaction",
    "PoolSettings",
    "PoolStats",
    "TransactionTimeoutError",
    "atomic",
    "close",
    "configure_sql_logging",
    "connect",
    "create_tables",
    "disconnect_all",
    "drop_tables",
    "get_active_transaction",
    "get_connection",
    "init",
    "lifespan",
    "pool_stats",
    "query_log",
    "register_connection",
    "transaction",
    "unregister_connection",
]


async def init(*, settings: PoolSettings | None = None, **databases: str) -> None:
    """Register and connect one pool per ``alias=url``."""
    if not databases:
        raise ValueError("At least one database URL required (e.g., default='postgresql://...')")
    opened: list[AsyncDatabase] = []
    try:
        for alias, url in databases.items():
            database = AsyncDatabase(url, name=alias, settings=settings, auto_register=True, overwrite=True)
            await database.connect()
            opened.append(database)
    except BaseException:
        for database in opened:
            await database.disconnect()
        raise


def pool_stats(alias: str = "default") -> PoolStats:
    """Connection and transaction counts of the connected pool ``alias`` (no I/O)."""
    return lookup_connection(alias).stats()


async def close() -> None:
    """Roll back open transactions, close every pool, empty the registry."""
    await disconnect_all()


@asynccontextmanager
async def connect(
    url: str, *, name: str = "default", settings: PoolSettings | None = None
) -> AsyncIterator[AsyncDatabase]:
    """A connected, registered pool for the duration of the block."""
    database = AsyncDatabase(url, name=name, settings=settings, auto_register=True, overwrite=True)
    try:
        await database.connect()
        yield database
    finally:
        await database.disconnect()
        from oxyde.db.registry import registered_connections

        if registered_connections().get(name) is database:
            unregister_connection(name)


def lifespan(
    *, settings: PoolSettings | None = None, **databases: str
) -> Callable[[Any], AbstractAsyncContextManager[None]]:
    """A FastAPI / Starlette ``lifespan``: ``init()`` on startup, ``close()`` on shutdown."""

    @asynccontextmanager
    async def _lifespan(app: Any) -> AsyncIterator[None]:
        await init(settings=settings, **databases)
        try:
            yield
        finally:
            await close()

    return _lifespan
