"""A debugging hook: record every statement a block of code sends.

```python
async with query_log() as log:        # also a plain ``with``
    await Author.objects.prefetch("posts__comments").all()
assert len(log) == 3
print(log[0].op, log[0].table, log[0].sql)
```

Recording is per asyncio task (a ``ContextVar``): concurrent tasks do not
see each other's statements, and tasks started inside the block inherit it.
Every IR op sent through ``AsyncDatabase.execute`` or
``AsyncTransaction.execute`` is recorded, before it runs, so failed
statements appear too. Nothing is recorded, and nothing costs, outside a block.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from oxyde.db import sqllog as _sqllog

__all__ = ["LoggedQuery", "QueryLog", "query_log", "record"]


@dataclass(frozen=True, slots=True)
class LoggedQuery:
    """One statement: its IR op, the pool alias and dialect that ran it."""

    ir: dict[str, Any]
    database: str
    dialect: str | None

    @property
    def op(self) -> str:
        return str(self.ir.get("op", ""))

    @property
    def table(self) -> str | None:
        return self.ir.get("table")

    @property
    def sql(self) -> str:
        """The SQL text, rendered for the dialect that ran it."""
        if self.op == "raw":
            return str(self.ir.get("sql", ""))
        from oxyde import _core
        from oxyde._codec import pack_ir

        sql, _params = _core.render(pack_ir(self.ir), self.dialect or "postgres")
        return str(sql)


_ACTIVE: ContextVar[tuple[QueryLog, ...]] = ContextVar("oxyde_query_logs", default=())


class QueryLog(list[LoggedQuery]):
    """The statements recorded while the block ran (a list, in order)."""

    def __enter__(self) -> QueryLog:
        self._token = _ACTIVE.set((*_ACTIVE.get(), self))
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        _ACTIVE.reset(self._token)

    async def __aenter__(self) -> QueryLog:
        return self.__enter__()

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.__exit__(exc_type, exc, tb)

    def count(self, op: str | None = None) -> int:  # type: ignore[override]
        """How many statements were recorded (of ``op`` when given)."""
        return len(self) if op is None else sum(1 for q in self if q.op == op)

    def __hash__(self) -> int:  # a list subclass, used by identity
        return id(self)


def query_log() -> QueryLog:
    """A context manager (sync or async) recording the statements sent inside it."""
    return QueryLog()


def record(ir: dict[str, Any], database: str, dialect: str | None) -> None:
    """Called by the executors for each op; a no-op unless a log is open."""
    _sqllog.sync()
    logs = _ACTIVE.get()
    if logs:
        entry = LoggedQuery(ir, database, dialect)
        for log in logs:
            log.append(entry)
