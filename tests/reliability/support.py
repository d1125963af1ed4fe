"""Helpers shared by the reliability tests of items 3, 4 and 6: settled pool stats, loop lag, RSS."""

from __future__ import annotations

import asyncio
import gc
import os
from pathlib import Path

from oxyde import AsyncDatabase, PoolStats

# A statement that keeps the server busy for about 1.5 s on each dialect.
SLOW_SQL = {
    "sqlite": (
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 20000000) SELECT count(*) FROM c"
    ),
    "postgres": "SELECT pg_sleep(1.5)",
    "mysql": "SELECT SLEEP(1.5)",
}


async def settled(database: AsyncDatabase, seconds: float = 10.0) -> PoolStats:
    """The pool's stats once every connection is back (a returned connection is pinged first,
    and one abandoned mid-statement waits for that statement); the last reading on timeout."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    stats = database.stats()
    while (stats.in_use or stats.transactions) and loop.time() < deadline:
        await asyncio.sleep(0.02)
        stats = database.stats()
    return stats


class LoopLag:
    """Measures how late ``asyncio.sleep(interval)`` wakes while other work runs (``async with``).

    The objects the test session has piled up so far are frozen out of the
    garbage collector meanwhile: a full collection over a whole suite's heap
    (~100 ms late in a long run) is the interpreter's pause, not the loop
    being blocked by the code under test.
    """

    def __init__(self, interval: float = 0.01) -> None:
        self.interval = interval
        self.max_lag = 0.0
        self.ticks = 0
        self._task: asyncio.Task[None] | None = None

    async def _tick(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            start = loop.time()
            await asyncio.sleep(self.interval)
            self.max_lag = max(self.max_lag, loop.time() - start - self.interval)
            self.ticks += 1

    async def __aenter__(self) -> LoopLag:
        gc.collect()
        gc.freeze()
        self._task = asyncio.create_task(self._tick())
        await asyncio.sleep(0)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._task is not None
        self._task.cancel()
        try:
            await self._task
        except asyncio.CancelledError:
            pass
        finally:
            gc.unfreeze()


def rss_bytes() -> int:
    """Resident set size of this process now (Linux ``/proc``)."""
    fields = Path("/proc/self/statm").read_text().split()
    return int(fields[1]) * os.sysconf("SC_PAGE_SIZE")
