"""A connection handed back goes to the next caller without sqlx's release ping (HotPool), yet the
pool keeps its rules: a waiting caller gets a freed connection at once, a quiet pool shrinks back to
``min_connections`` after ``idle_timeout``, and a connection whose statement failed is checked."""

from __future__ import annotations

import asyncio
import time

import pytest

from oxyde import execute_raw
from oxyde.db.pool import AsyncDatabase, PoolSettings
from oxyde.db.transaction import AsyncTransaction
from oxyde.exceptions import DatabaseError


async def private_pool(database_url: str, **settings: object) -> AsyncDatabase:
    pool = AsyncDatabase(
        database_url, name="pool_reuse", settings=PoolSettings(**settings), auto_register=False, overwrite=True
    )
    await pool.connect()
    return pool


async def test_waiting_callers_get_freed_connections(database_url: str) -> None:
    """One connection, fifty callers at once, half in transactions: each waits its turn and none
    times out, though every hand-back lands on the stack rather than in the sqlx pool they wait on."""
    pool = await private_pool(database_url, max_connections=1, acquire_timeout=5)
    try:

        async def call(i: int) -> int:
            if i % 2:
                async with AsyncTransaction(pool) as tx:
                    return (await execute_raw("SELECT 1 AS one", client=tx))[0]["one"] + i
            return (await execute_raw("SELECT 1 AS one", client=pool))[0]["one"] + i

        start = time.monotonic()
        assert await asyncio.gather(*(call(i) for i in range(50))) == [1 + i for i in range(50)]
        assert time.monotonic() - start < 5  # no caller sat out an acquire timeout
        stats = pool.stats()
        assert (stats.size, stats.in_use) == (1, 0)
    finally:
        await pool.disconnect()


async def test_a_quiet_pool_shrinks_to_its_minimum(database_url: str) -> None:
    """Connections resting on the stack go back to sqlx within a second, where idle_timeout closes them."""
    pool = await private_pool(database_url, max_connections=5, min_connections=1, idle_timeout=1)
    try:
        gate, all_in = asyncio.Event(), asyncio.Event()
        inside: list[int] = []

        async def hold() -> None:
            async with AsyncTransaction(pool) as tx:  # five transactions at once: five connections
                await execute_raw("SELECT 1 AS one", client=tx)
                inside.append(1)
                if len(inside) == 5:
                    all_in.set()
                await gate.wait()

        holders = [asyncio.create_task(hold()) for _ in range(5)]
        await asyncio.wait_for(all_in.wait(), 10)
        gate.set()
        await asyncio.gather(*holders)
        assert pool.stats().size > 1
        deadline = time.monotonic() + 10
        while pool.stats().size > 1 and time.monotonic() < deadline:  # noqa: ASYNC110 - polling what sqlx's reaper does
            await asyncio.sleep(0.1)
        assert pool.stats().size == 1, pool.stats()
        assert (await execute_raw("SELECT 1 AS one", client=pool))[0]["one"] == 1
    finally:
        await pool.disconnect()


async def test_a_failed_statement_leaves_a_working_pool(database_url: str) -> None:
    """After statement errors (each hands its connection to sqlx to be checked) the pool serves on."""
    pool = await private_pool(database_url, max_connections=2)
    try:
        for _ in range(20):
            with pytest.raises(DatabaseError):
                await execute_raw("SELEC broken", client=pool)
            assert (await execute_raw("SELECT 2 AS two", client=pool))[0]["two"] == 2
        stats = pool.stats()
        assert stats.in_use == 0 and stats.size <= 2
    finally:
        await pool.disconnect()
