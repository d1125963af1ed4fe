"""Time-based measurement of one workload in one process: a checked first call, warm-up, then timed repeats.

run.py asks every implementation for one repeat in turn (round robin), so
that a machine whose load drifts (a shared box, a build in the background)
slows every implementation alike; the median of the repeats is reported.

Operations run in small batches so the clock is read rarely; a batch hook runs
between batches outside the timed region (delete_single inserts the rows it
is about to delete there).
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

Op = Callable[[int], Awaitable[Any]]
BatchHook = Callable[[int, int], Awaitable[None]]


@dataclass
class Settings:
    seconds: float = 0.3
    repeats: int = 3
    min_ops: int = 3
    warmup_seconds: float = 0.1


class Runner:
    """Calls ``op(i)`` with i = 0, 1, 2, ... across check, warm-up and repeats (ids stay unique for writes)."""

    def __init__(self, op: Op, weight: int = 1, hook: BatchHook | None = None) -> None:
        self.op, self.weight, self.hook = op, weight, hook
        self.i = 0
        self.size = 1

    async def batch(self, size: int) -> float:
        if self.hook is not None:
            await self.hook(self.i, size)
        op, start = self.op, self.i
        began = time.perf_counter()
        for i in range(start, start + size):
            await op(i)
        elapsed = time.perf_counter() - began
        self.i += size
        return elapsed

    async def first(self) -> Any:
        """The result of the first call, for the cross-implementation check."""
        if self.hook is not None:
            await self.hook(self.i, 1)
        result = await self.op(self.i)
        self.i += 1
        return result

    async def warm_up(self, settings: Settings) -> None:
        """Runs for ``warmup_seconds`` and sizes batches to about 1/20 of a repeat (at most 64 calls)."""
        elapsed, done = 0.0, 0
        while elapsed < settings.warmup_seconds or done < 2:
            elapsed += await self.batch(1)
            done += 1
        self.size = max(1, min(64, int(settings.seconds / 20 / max(elapsed / done, 1e-9))))

    async def repeat(self, settings: Settings) -> float:
        """One timed repeat: operations per second (each call counts ``weight``)."""
        elapsed, done = 0.0, 0
        while elapsed < settings.seconds or done < settings.min_ops:
            elapsed += await self.batch(self.size)
            done += self.size
        return done * self.weight / elapsed
