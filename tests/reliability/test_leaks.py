"""Item 6: no leaks. Pool statistics are public; mixed operations leave RSS, connections and transactions flat."""

from __future__ import annotations

import asyncio

import pytest

from oxyde import AsyncDatabase, Field, Model, PoolStats, atomic, db


class LeakRow(Model):
    id: int | None = Field(default=None, db_pk=True)
    name: str = Field(db_unique=True)
    n: int = 0

    class Meta:
        is_table = True
        table_name = "rel_leak_row"


async def settled(database: AsyncDatabase, seconds: float = 5.0) -> PoolStats:
    """The pool's stats once every connection is back (a returned connection is pinged first)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    stats = database.stats()
    while stats.in_use and loop.time() < deadline:
        await asyncio.sleep(0.01)
        stats = database.stats()
    return stats


async def test_pool_stats_count_connections_and_transactions(database: AsyncDatabase) -> None:
    idle = await settled(database)
    assert isinstance(idle, PoolStats) and idle == db.pool_stats()
    assert (idle.min_connections, idle.max_connections) == (1, 10)
    assert idle.in_use == 0 and idle.transactions == 0 and idle.idle == idle.size >= 1
    async with atomic():
        await LeakRow.objects.create(name="held")
        held = db.pool_stats()
        assert held.transactions == 1 and held.in_use == 1 and held.size == held.idle + 1
    after = await settled(database)
    assert after.transactions == 0 and after.in_use == 0 and after.idle == after.size
    assert await LeakRow.objects.count() == 1


async def test_pool_stats_of_unknown_or_closed_pool() -> None:
    with pytest.raises(KeyError, match="Connection 'nowhere' is not registered"):
        db.pool_stats("nowhere")
    closed = AsyncDatabase("sqlite::memory:", name="rel_closed", auto_register=False)
    with pytest.raises(RuntimeError, match="Database 'rel_closed' not connected"):
        closed.stats()
