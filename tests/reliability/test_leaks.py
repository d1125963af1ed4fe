"""Item 6: no leaks. Pool statistics are public; mixed operations leave RSS, connections and transactions flat."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable

import pytest

from oxyde import AsyncDatabase, Field, Model, PoolStats, atomic, db, execute_raw
from oxyde.exceptions import DatabaseError, NotFoundError, UniqueViolationError

from .support import rss_bytes, settled


class LeakRow(Model):
    id: int | None = Field(default=None, db_pk=True)
    name: str = Field(db_unique=True)
    n: int = 0

    class Meta:
        is_table = True
        table_name = "rel_leak_row"


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


SERVER_CONNECTIONS = {
    "postgres": "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database()",
    "mysql": "SELECT count(*) AS n FROM information_schema.processlist WHERE db = DATABASE()",
}
WORKERS = 10
CHECKPOINTS = 10


async def one_op(i: int) -> str:
    """Operation ``i`` of the mix; returns what happened. Every kind leaves the table as it found it."""
    kind = i % 10
    if kind == 0:
        row = await LeakRow.objects.create(name=f"r{i}")
        await LeakRow.objects.filter(id=row.id).delete()
    elif kind == 1:
        await LeakRow.objects.filter(n__gte=0).count()
    elif kind == 2:
        await LeakRow.objects.filter(name="seed").update(n=i)
    elif kind == 3:
        try:
            await LeakRow.objects.get(name="missing")
        except NotFoundError:
            return "error"
    elif kind == 4:
        try:
            await LeakRow.objects.create(name="seed")
        except UniqueViolationError:
            return "error"
    elif kind == 5:
        async with atomic():
            row = await LeakRow.objects.create(name=f"t{i}")
            await LeakRow.objects.filter(id=row.id).delete()
    elif kind == 6:
        try:
            async with atomic():
                await LeakRow.objects.create(name=f"t{i}")
                raise LookupError("roll back")
        except LookupError:
            return "rollback"
    elif kind == 7:
        try:
            await execute_raw("SELEC nothing")
        except DatabaseError:
            return "error"
    elif kind == 8:
        try:
            async with asyncio.timeout(0.0005 * (i % 7)):
                async with atomic():
                    await LeakRow.objects.create(name=f"c{i}")
                    await LeakRow.objects.filter(name=f"c{i}").delete()
        except TimeoutError:
            return "cancelled"
    else:
        await LeakRow.objects.filter(name="seed").values_list("n", flat=True).all()
    return "ok"


async def soak(database: AsyncDatabase, dialect: str, ops: int) -> dict[str, object]:
    await LeakRow.objects.create(name="seed")
    outcomes: dict[str, int] = {}
    rss: list[int] = []
    per_checkpoint = ops // CHECKPOINTS
    done = 0
    for _ in range(CHECKPOINTS):
        counter = iter(range(done, done + per_checkpoint))

        async def worker(counter: object = counter) -> None:
            for i in counter:  # type: ignore[attr-defined]
                what = await one_op(i)
                outcomes[what] = outcomes.get(what, 0) + 1

        await asyncio.gather(*(worker() for _ in range(WORKERS)))
        done += per_checkpoint
        gc.collect()
        rss.append(rss_bytes())
    stats = await settled(database)
    server = None
    if dialect in SERVER_CONNECTIONS:
        server = (await execute_raw(SERVER_CONNECTIONS[dialect]))[0]["n"]
    leftovers = await LeakRow.objects.exclude(name="seed").count()
    return {"outcomes": outcomes, "rss": rss, "stats": stats, "server": server, "leftovers": leftovers}


async def check_flat(
    database: AsyncDatabase, dialect: str, ops: int, report_figure: Callable[[str, str], None]
) -> None:
    result = await soak(database, dialect, ops)
    stats, rss, outcomes = result["stats"], result["rss"], result["outcomes"]
    assert isinstance(stats, PoolStats) and isinstance(rss, list) and isinstance(outcomes, dict)
    assert stats.transactions == 0 and stats.in_use == 0, stats
    assert stats.size <= stats.max_connections
    if result["server"] is not None:  # the server sees no more sessions than the pool holds
        assert result["server"] <= stats.size + 1, (result["server"], stats)
    assert result["leftovers"] == 0  # every rollback and cancellation took its row with it
    assert sum(outcomes.values()) == ops and outcomes.get("error") and outcomes.get("rollback")
    # The first tenth warms caches (statements, pydantic, allocator); after it RSS must not keep climbing.
    growth = rss[-1] - rss[0]
    half = rss[-1] - rss[len(rss) // 2]
    budget = 8 * 2**20 + ops * 64  # allocator noise, plus well under 100 bytes an operation
    assert growth <= budget, f"RSS grew {growth / 2**20:.1f} MiB over {ops} operations"
    assert half <= budget // 2, f"RSS still climbing: {half / 2**20:.1f} MiB over the last half"
    report_figure(
        "leaks",
        f"{dialect}: {ops} mixed ops ({', '.join(f'{k} {v}' for k, v in sorted(outcomes.items()))}): "
        f"RSS {rss[0] / 2**20:.1f} -> {rss[-1] / 2**20:.1f} MiB after warm-up, pool size {stats.size} "
        f"(in use {stats.in_use}), open transactions {stats.transactions}"
        + (f", server sessions {result['server']}" if result["server"] is not None else ""),
    )


async def test_ten_thousand_mixed_operations_leave_nothing_behind(
    database: AsyncDatabase, dialect: str, report_figure: Callable[[str, str], None]
) -> None:
    await check_flat(database, dialect, 10_000, report_figure)


@pytest.mark.slow
async def test_hundred_thousand_mixed_operations_leave_nothing_behind(
    database: AsyncDatabase, dialect: str, report_figure: Callable[[str, str], None]
) -> None:
    await check_flat(database, dialect, 100_000, report_figure)
