"""Item 4: 1000 concurrent tasks on a pool of 10 finish or fail with PoolTimeoutError, without deadlock or
an event-loop stall over 100 ms; afterwards the pool is back to its idle size."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

from oxyde import AsyncDatabase, Field, Model, PoolSettings, atomic, execute_raw
from oxyde.exceptions import PoolTimeoutError

from .support import LoopLag, settled

TASKS = 1000
POOL = 10
MAX_LAG = 0.1
DEADLOCK = 120.0  # far beyond the slowest run measured; reaching it means the tasks are stuck
# Tasks arrive in waves of 20 every 5 ms, all 1000 within 0.25 s, so all are alive together (the
# exhaustion test's acquire timeout is 0.3 s). Started in one loop iteration, each would run its
# first step (building and sending a query, ~0.25 ms of Python) back to back, and that burst of
# the test's own making would be the stall measured; likewise their timeouts, all at once.
WAVE = 20
WAVE_GAP = 0.005


async def run_all(work: Callable[[int], Coroutine[Any, Any, None]]) -> list[BaseException | None]:
    """Runs ``work(0..TASKS)`` concurrently, started in waves; returns each outcome."""
    tasks = []
    for i in range(TASKS):
        tasks.append(asyncio.create_task(work(i)))
        if i % WAVE == WAVE - 1:
            await asyncio.sleep(WAVE_GAP)
    async with asyncio.timeout(DEADLOCK):
        return await asyncio.gather(*tasks, return_exceptions=True)


class LoadRow(Model):
    id: int | None = Field(default=None, db_pk=True)
    task: int
    step: int = 0

    class Meta:
        is_table = True
        table_name = "rel_load_row"


async def load_pool(database_url: str, name: str, acquire_timeout: float) -> AsyncDatabase:
    settings = PoolSettings(max_connections=POOL, min_connections=1, acquire_timeout=acquire_timeout, idle_timeout=0.5)
    pool = AsyncDatabase(database_url, name=name, settings=settings, overwrite=True)
    await pool.connect()
    return pool


async def back_to_idle_size(pool: AsyncDatabase, seconds: float = 15.0) -> int:
    """Waits for idle connections above ``min_connections`` to be reaped; returns the final size."""
    stats = await settled(pool)
    assert stats.in_use == 0 and stats.transactions == 0, stats
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while stats.size > stats.min_connections and loop.time() < deadline:
        await asyncio.sleep(0.1)
        stats = pool.stats()
    return stats.size


async def test_thousand_tasks_on_a_pool_of_ten_all_finish(
    database: AsyncDatabase, database_url: str, dialect: str, report_figure: Callable[[str, str], None]
) -> None:
    pool = await load_pool(database_url, "rel_load", acquire_timeout=60)
    peak = 0

    async def work(i: int) -> None:
        nonlocal peak
        if i % 4 == 0:
            async with atomic(using="rel_load"):
                row = await LoadRow.objects.create(task=i, step=1, using="rel_load")
                # by primary key: a scan would take gap locks and MySQL would pick deadlock victims
                await LoadRow.objects.filter(id=row.id).update(step=2, using="rel_load")
        else:
            await LoadRow.objects.filter(task__lt=i).count(using="rel_load")
        peak = max(peak, pool.stats().size)

    try:
        async with LoopLag() as lag:
            results = await run_all(work)
        failures = [r for r in results if isinstance(r, BaseException)]
        assert failures == []
        assert await LoadRow.objects.filter(step=2).count(using="rel_load") == TASKS // 4
        assert peak <= POOL
        assert lag.max_lag < MAX_LAG, f"event loop stalled {lag.max_lag * 1000:.0f} ms"
        size = await back_to_idle_size(pool)
        assert size == 1
    finally:
        await pool.disconnect()
    report_figure(
        "load",
        f"{dialect}: {TASKS} tasks on a pool of {POOL}: all done, peak {peak} connections, "
        f"max loop lag {lag.max_lag * 1000:.1f} ms over {lag.ticks} ticks, back to {size} idle connection",
    )


async def test_thousand_tasks_past_the_acquire_timeout_fail_with_pool_timeout(
    database: AsyncDatabase, database_url: str, dialect: str, report_figure: Callable[[str, str], None]
) -> None:
    pool = await load_pool(database_url, "rel_exhaust", acquire_timeout=0.3)
    hold = {"sqlite": "SELECT 1", "postgres": "SELECT pg_sleep(0.05)", "mysql": "SELECT SLEEP(0.05)"}[dialect]

    async def work(i: int) -> None:
        async with atomic(using="rel_exhaust"):
            await execute_raw(hold, using="rel_exhaust")
            await asyncio.sleep(0.05)  # the connection stays checked out meanwhile

    try:
        async with LoopLag() as lag:
            results = await run_all(work)
        timeouts = [r for r in results if isinstance(r, PoolTimeoutError)]
        others = [r for r in results if isinstance(r, BaseException) and not isinstance(r, PoolTimeoutError)]
        assert others == []
        done = TASKS - len(timeouts)
        assert timeouts and done >= POOL  # exhausted, yet the pool kept serving
        assert isinstance(timeouts[0], RuntimeError) and "timed out waiting for a free connection" in str(timeouts[0])
        assert lag.max_lag < MAX_LAG, f"event loop stalled {lag.max_lag * 1000:.0f} ms"
        assert (await execute_raw("SELECT 1 AS one", using="rel_exhaust"))[0]["one"] == 1
        size = await back_to_idle_size(pool)
        assert size == 1
    finally:
        await pool.disconnect()
    report_figure(
        "load",
        f"{dialect}: {TASKS} tasks holding connections, pool {POOL}, acquire_timeout 0.3 s: {done} done, "
        f"{len(timeouts)} PoolTimeoutError, no other error; max loop lag {lag.max_lag * 1000:.1f} ms",
    )
