"""``atomic()``: transactions, savepoints, manual rollback and timeouts (spec transactions.md)."""

from __future__ import annotations

import asyncio
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta
from types import TracebackType
from typing import TYPE_CHECKING, Any

from oxyde._codec import pack_ir
from oxyde.db import otel as _otel
from oxyde.db import querylog as _querylog
from oxyde.db.pool import to_seconds

if TYPE_CHECKING:
    from oxyde.db.pool import AsyncDatabase

__all__ = [
    "AsyncTransaction",
    "AtomicTransactionContext",
    "TransactionTimeoutError",
    "atomic",
    "get_active_transaction",
]


class TransactionTimeoutError(TimeoutError):
    """An ``atomic(timeout=...)`` deadline passed; the transaction rolls back."""

    code = "transaction_timeout"


def _core() -> Any:
    from oxyde import _core as core

    return core


# Tasks that finish a rollback after their owner was cancelled; kept alive here.
_BACKGROUND: set[asyncio.Future[Any]] = set()


def _in_background(awaitable: Any) -> asyncio.Future[Any]:
    fut = asyncio.ensure_future(awaitable)
    _BACKGROUND.add(fut)
    fut.add_done_callback(_BACKGROUND.discard)
    fut.add_done_callback(lambda f: f.cancelled() or f.exception())  # never "exception never retrieved"
    return fut


async def _finish(awaitable: Any) -> None:
    """Await a commit/rollback so that cancelling the caller cannot abandon it halfway."""
    fut = _in_background(awaitable)
    await asyncio.shield(fut)


class AsyncTransaction:
    """One database transaction on one pooled connection (not registered as active)."""

    def __init__(self, database: AsyncDatabase, timeout: float | None = None) -> None:
        self.database = database
        self.timeout = timeout
        self._id: int | None = None
        self._deadline: float | None = None
        self._expired = False
        self._finished = False

    @property
    def id(self) -> int:
        if self._id is None:
            raise RuntimeError("Transaction not started")
        return self._id

    @property
    def backend(self) -> str | None:
        return self.database.backend

    @property
    def expired(self) -> bool:
        return self._expired

    async def begin(self) -> None:
        await self.database.ensure_connected()
        fut = _in_background(_core().begin_transaction(self.database.name))
        try:
            self._id = await asyncio.shield(fut)
        except asyncio.CancelledError:
            # BEGIN may still succeed after we gave up: roll that transaction back
            def _abandon(f: asyncio.Future[Any]) -> None:
                if not f.cancelled() and f.exception() is None:
                    _in_background(_core().rollback_transaction(f.result()))

            fut.add_done_callback(_abandon)
            raise
        if self.timeout is not None:
            self._deadline = asyncio.get_running_loop().time() + self.timeout

    async def commit(self) -> None:
        self._finished = True
        await _finish(_core().commit_transaction(self.id))

    async def rollback(self) -> None:
        self._finished = True
        await _finish(_core().rollback_transaction(self.id))

    def abandon(self) -> None:
        """Roll back in the background: a cancelled caller must not wait for the
        running statement (the core rolls back once the connection is free)."""
        self._finished = True
        self._expired = True
        _in_background(_core().rollback_transaction(self.id))

    async def execute(self, ir: dict[str, Any]) -> bytes:
        if _otel.TRACER is None:
            return await self._execute(ir)
        with _otel.statement_span(ir, self.database):
            return await self._execute(ir)

    async def _execute(self, ir: dict[str, Any]) -> bytes:
        tx_id = self.id
        if self._expired:
            raise TransactionTimeoutError("Transaction can no longer be used because its timeout elapsed")
        _querylog.record(ir, self.database.name, self.database.backend)
        call = _core().execute_in_transaction(self.database.name, tx_id, pack_ir(ir))
        if self._deadline is None:
            result: bytes = await call
            return result
        remaining = self._deadline - asyncio.get_running_loop().time()
        if remaining <= 0:
            self._expired = True
            _in_background(call)  # already submitted to the core; let it settle before rollback
            raise TransactionTimeoutError(f"Transaction {tx_id} exceeded timeout")
        try:
            result = await asyncio.wait_for(call, remaining)
        except asyncio.TimeoutError:
            self._expired = True
            raise TransactionTimeoutError(f"Transaction {tx_id} exceeded timeout") from None
        return result

    async def __aenter__(self) -> AsyncTransaction:
        await self.begin()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc_type is not None and issubclass(exc_type, asyncio.CancelledError):
            self.abandon()
        elif exc_type is not None or self._expired:
            await self.rollback()
        else:
            await self.commit()


@dataclass
class _Active:
    transaction: AsyncTransaction
    task: asyncio.Task[Any] | None
    depth: int = 1
    rollback: bool = False


# alias -> the active transaction; copied on write, and checked against the owning task
# because tasks created inside a block inherit this context.
_ACTIVE: ContextVar[dict[str, _Active] | None] = ContextVar("oxyde_active_transactions", default=None)


def _current(alias: str) -> _Active | None:
    active = _ACTIVE.get()
    if not active:
        return None
    state = active.get(alias)
    if state is None or state.task is not asyncio.current_task():
        return None
    return state


def _install(alias: str, state: _Active | None) -> None:
    active = dict(_ACTIVE.get() or {})
    if state is None:
        active.pop(alias, None)
    else:
        active[alias] = state
    _ACTIVE.set(active or None)


def get_active_transaction(using: str = "default") -> AsyncTransaction | None:
    """The current task's transaction for ``using``, or ``None``."""
    state = _current(using)
    return state.transaction if state is not None else None


class AtomicTransactionContext:
    """What ``atomic()`` returns: a transaction, or a savepoint inside one."""

    def __init__(
        self, using: str = "default", timeout: float | None = None, database: AsyncDatabase | None = None
    ) -> None:
        self.using = using
        self.timeout = timeout
        self._database = database
        self._state: _Active | None = None
        self._savepoint: str | None = None
        self._entered = False

    @property
    def transaction(self) -> AsyncTransaction:
        if self._state is None:
            raise RuntimeError("transaction.atomic context not entered")
        return self._state.transaction

    @property
    def backend(self) -> str | None:
        return self.transaction.backend

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.transaction, name)

    async def execute(self, ir: dict[str, Any]) -> bytes:
        return await self.transaction.execute(ir)

    def set_rollback(self, rollback: bool = True) -> None:
        state = _current(self.using)
        if state is None:
            raise RuntimeError("No active transaction to mark for rollback")
        state.rollback = rollback

    async def __aenter__(self) -> AtomicTransactionContext:
        state = _current(self.using)
        if state is not None:
            name = f"sp_{state.depth + 1}"
            await _core().create_savepoint(state.transaction.id, name)
            state.depth += 1
            self._savepoint = name
        else:
            if self._database is not None:
                database = self._database
            else:
                from oxyde.db.registry import get_connection

                database = await get_connection(self.using)
            tx = AsyncTransaction(database, self.timeout)
            await tx.begin()
            state = _Active(tx, asyncio.current_task())
            _install(self.using, state)
        self._state = state
        self._entered = True
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        state = self._state
        if not self._entered or state is None:
            raise RuntimeError("transaction.atomic context mismatch")
        self._entered = False
        tx = state.transaction
        cancelled = exc_type is not None and issubclass(exc_type, asyncio.CancelledError)
        if self._savepoint is not None:
            name, self._savepoint = self._savepoint, None
            state.depth -= 1
            if cancelled:
                tx._expired = True  # no prompt way to undo the savepoint: the whole transaction rolls back
                return
            if tx.expired:
                return  # the outermost block rolls everything back
            if exc_type is not None:
                await _finish(_core().rollback_to_savepoint(tx.id, name))
            else:
                await _finish(_core().release_savepoint(tx.id, name))
            return
        _install(self.using, None)
        if cancelled:
            tx.abandon()
        elif exc_type is not None or state.rollback or tx.expired:
            await tx.rollback()
        else:
            await tx.commit()


def atomic(*, using: str = "default", timeout: float | int | timedelta | None = None) -> AtomicTransactionContext:
    """``async with atomic():`` runs the block in a transaction (a savepoint when nested)."""
    seconds = None if timeout is None else to_seconds(timeout)
    return AtomicTransactionContext(using=using, timeout=seconds)
