"""``AsyncDatabase`` and ``PoolSettings`` (spec connections.md §4-5)."""

from __future__ import annotations

import asyncio
import atexit
import re
from dataclasses import dataclass, fields
from datetime import timedelta
from types import TracebackType
from typing import Any

from oxyde._codec import pack_ir
from oxyde.db import otel as _otel
from oxyde.db import querylog as _querylog

__all__ = ["AsyncDatabase", "PoolSettings", "PoolStats", "close_all_pools", "redact_url", "to_seconds"]

_PREFIXES = ("postgres", "mysql", "mariadb", "sqlite")
_DURATIONS = frozenset(
    {"acquire_timeout", "idle_timeout", "max_lifetime", "transaction_timeout", "transaction_cleanup_interval"}
)


_QUERY_PASSWORD = re.compile(r"(?i)([?&](?:password|pass|pwd)=)[^&#]*")


def redact_url(url: str) -> str:
    """``url`` with its password shown as ``***`` (userinfo and ``password=`` query keys), for messages.

    An ``@`` further on (in a path or query) may redact more than the password; never less.
    """
    scheme, sep, rest = url.partition("://")
    if sep:
        userinfo, at, host = rest.rpartition("@")
        if at and ":" in userinfo:
            rest = userinfo.split(":", 1)[0] + ":***@" + host
        url = scheme + sep + rest
    return _QUERY_PASSWORD.sub(r"\1***", url)


def to_seconds(value: int | float | timedelta) -> float:
    """A duration as float seconds, with the spec's errors."""
    if isinstance(value, timedelta):
        seconds = value.total_seconds()
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds = float(value)
    else:
        raise TypeError(f"Duration value must be int, float, or timedelta, got {type(value).__name__}")
    if seconds < 0:
        raise ValueError(f"Duration must be non-negative, got {value}")
    return seconds


@dataclass
class PoolSettings:
    """Pool options; ``None`` leaves the core default in place."""

    max_connections: int | None = None
    min_connections: int | None = None
    acquire_timeout: float | int | timedelta | None = None
    idle_timeout: float | int | timedelta | None = None
    max_lifetime: float | int | timedelta | None = None
    test_before_acquire: bool | None = None
    transaction_timeout: float | int | timedelta | None = 300
    transaction_cleanup_interval: float | int | timedelta | None = 60
    sqlite_journal_mode: str | None = "WAL"
    sqlite_synchronous: str | None = "NORMAL"
    sqlite_cache_size: int | None = 10000
    sqlite_busy_timeout: int | None = 5000
    ssl_mode: str | None = None
    ssl_root_cert: str | None = None
    ssl_client_cert: str | None = None
    ssl_client_key: str | None = None
    pg_application_name: str | None = None
    pg_statement_cache_capacity: int | None = None  # 0 behind PgBouncer in transaction pooling mode
    mysql_charset: str | None = None
    mysql_collation: str | None = None

    def to_payload(self) -> dict[str, Any] | None:
        """The dict sent to the core: non-None fields, durations as float seconds."""
        payload: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is None:
                continue
            payload[f.name] = to_seconds(value) if f.name in _DURATIONS else value
        return payload or None


@dataclass(frozen=True)
class PoolStats:
    """What one pool holds right now (``AsyncDatabase.stats()``, ``db.pool_stats()``)."""

    size: int  # open connections, idle or checked out
    idle: int  # open connections waiting in the pool
    in_use: int  # checked out by a running query or an open transaction
    min_connections: int
    max_connections: int
    transactions: int  # open transactions of this pool, each holding a connection


def _core() -> Any:
    from oxyde import _core as core

    return core


_SHUTDOWN_REGISTERED = False


def _register_shutdown(core: Any) -> None:
    # Stop the core runtime before interpreter finalization (connections.md §8 Defect).
    global _SHUTDOWN_REGISTERED
    if not _SHUTDOWN_REGISTERED:
        atexit.register(core.shutdown)
        _SHUTDOWN_REGISTERED = True


class AsyncDatabase:
    """One named connection pool in the core."""

    def __init__(
        self,
        url: str,
        *,
        name: str = "default",
        settings: PoolSettings | None = None,
        auto_register: bool = True,
        overwrite: bool = False,
    ) -> None:
        if not isinstance(url, str) or not url.startswith(_PREFIXES):
            shown = redact_url(str(url))
            raise ValueError(f"Unsupported database URL '{shown}'. Supported prefixes: postgres*, mysql*, sqlite*.")
        self.url = url
        self.name = name
        self.settings = settings if settings is not None else PoolSettings()
        self.backend: str | None = None
        self._overwrite = overwrite
        self._connected = False
        self._lock: asyncio.Lock | None = None
        if auto_register:
            from oxyde.db.registry import register_connection

            register_connection(self, overwrite=overwrite)

    def __repr__(self) -> str:
        return f"AsyncDatabase(name={self.name!r}, backend={self.backend!r}, connected={self._connected})"

    @property
    def connected(self) -> bool:
        return self._connected

    async def connect(self) -> None:
        if self._connected:
            return
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            if self._connected:
                return
            payload = self.settings.to_payload()
            core = _core()
            _register_shutdown(core)
            self.backend = await core.init_pool(self.name, self.url, payload, self._overwrite)
            self._connected = True

    async def disconnect(self) -> None:
        if not self._connected:
            return
        self._connected = False
        await _core().close_pool(self.name)

    def stats(self) -> PoolStats:
        """Connection and transaction counts of this pool, read without I/O."""
        if not self._connected:
            raise RuntimeError(f"Database '{self.name}' not connected. Call connect() first.")
        return PoolStats(**_core().pool_stats(self.name))

    async def ensure_connected(self) -> None:
        if not self._connected:
            await self.connect()

    def _mark_disconnected(self) -> None:
        self._connected = False

    async def execute(self, ir: dict[str, Any]) -> bytes:
        if not self._connected:
            raise RuntimeError(f"Database '{self.name}' not connected. Call connect() first.")
        _querylog.record(ir, self.name, self.backend)
        if _otel.TRACER is not None:
            with _otel.statement_span(ir, self):
                traced: bytes = await _core().execute(self.name, pack_ir(ir))
            return traced
        result: bytes = await _core().execute(self.name, pack_ir(ir))
        return result

    async def __aenter__(self) -> AsyncDatabase:
        await self.connect()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.disconnect()


async def close_all_pools() -> None:
    """Roll back every open transaction and close every pool in the core."""
    await _core().close_all_pools()
