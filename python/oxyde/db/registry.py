"""Named connections (spec connections.md §6)."""

from __future__ import annotations

from oxyde.db.pool import AsyncDatabase, close_all_pools

__all__ = [
    "disconnect_all",
    "get_connection",
    "lookup_connection",
    "register_connection",
    "registered_connections",
    "unregister_connection",
]

_CONNECTIONS: dict[str, AsyncDatabase] = {}


def register_connection(database: AsyncDatabase, *, overwrite: bool = False) -> AsyncDatabase:
    if database.name in _CONNECTIONS and not overwrite:
        raise ValueError(f"Connection '{database.name}' already registered")
    _CONNECTIONS[database.name] = database
    return database


def unregister_connection(name: str) -> None:
    _CONNECTIONS.pop(name, None)


def registered_connections() -> dict[str, AsyncDatabase]:
    return dict(_CONNECTIONS)


def lookup_connection(name: str) -> AsyncDatabase:
    try:
        return _CONNECTIONS[name]
    except KeyError:
        raise KeyError(f"Connection '{name}' is not registered") from None


async def get_connection(name: str = "default", *, ensure_connected: bool = True) -> AsyncDatabase:
    database = lookup_connection(name)
    if ensure_connected:
        await database.ensure_connected()
    return database


async def disconnect_all() -> None:
    """Forget every connection, then roll back open transactions and close all pools."""
    databases = list(_CONNECTIONS.values())
    _CONNECTIONS.clear()
    for database in databases:
        database._mark_disconnected()
    await close_all_pools()
