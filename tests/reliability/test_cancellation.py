"""Item 3: a task cancelled (asyncio timeout) mid-query, mid-bulk_create, mid-stream or inside atomic() leaves no open
transaction, hands its connection back (or discards it), and the next query on the same pool works."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable

import pytest

from oxyde import AsyncDatabase, Field, Model, atomic, execute_raw
from oxyde.exceptions import DatabaseError

from .support import SLOW_SQL, settled


class CancelRow(Model):
    id: int | None = Field(default=None, db_pk=True)
    tag: str
    n: int = 0

    class Meta:
        is_table = True
        table_name = "rel_cancel_row"


async def assert_pool_clean(database: AsyncDatabase) -> None:
    """No open transaction, every connection back, and the pool still answers."""
    assert (await execute_raw("SELECT 1 AS one"))[0]["one"] == 1  # at once, before anything settles
    stats = await settled(database)
    assert stats.transactions == 0, stats
    assert stats.in_use == 0, stats
    assert stats.size <= stats.max_connections
    async with atomic():  # a fresh transaction on a connection from the pool commits normally
        await CancelRow.objects.create(tag="probe")
    assert await CancelRow.objects.filter(tag="probe").count() == 1
    await CancelRow.objects.filter(tag="probe").delete()


async def test_cancel_during_a_query(database: AsyncDatabase, dialect: str) -> None:
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(0.3):
            await execute_raw(SLOW_SQL[dialect])
    await assert_pool_clean(database)


async def test_cancel_inside_atomic_discards_the_writes(database: AsyncDatabase, dialect: str) -> None:
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(0.3), atomic():
            await CancelRow.objects.create(tag="gone")
            await CancelRow.objects.filter(tag="gone").update(n=1)
            await execute_raw(SLOW_SQL[dialect])
    await assert_pool_clean(database)
    assert await CancelRow.objects.count() == 0


async def _cancelled_midway(run: Callable[[], object], full: float) -> None:
    """Runs ``run`` under a timeout of half its uncancelled duration; it must be cut short."""
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(full / 2):
            await run()  # type: ignore[misc]


async def test_cancel_during_bulk_create(database: AsyncDatabase) -> None:
    loop = asyncio.get_running_loop()
    full = float("inf")
    for _ in range(2):  # the faster of two runs: the first one also warms up caches and connections
        rows = [CancelRow(tag="bulk", n=i) for i in range(4000)]
        start = loop.time()
        await CancelRow.objects.bulk_create(rows, batch_size=200)
        full = min(full, loop.time() - start)
        await CancelRow.objects.filter().delete()

    # Outside a transaction each batch is one statement: whole batches land, never part of one.
    fresh = [CancelRow(tag="bulk", n=i) for i in range(4000)]
    await _cancelled_midway(lambda: CancelRow.objects.bulk_create(fresh, batch_size=200), full)
    await assert_pool_clean(database)
    landed = await CancelRow.objects.count()
    assert landed % 200 == 0 and landed < 4000

    # Inside atomic() nothing lands.
    await CancelRow.objects.filter().delete()

    async def in_atomic() -> None:
        async with atomic():
            await CancelRow.objects.bulk_create([CancelRow(tag="tx", n=i) for i in range(4000)], batch_size=200)

    await _cancelled_midway(in_atomic, full)
    await assert_pool_clean(database)
    assert await CancelRow.objects.count() == 0


async def test_cancel_during_a_stream(database: AsyncDatabase) -> None:
    """A task cancelled while it holds a stream open (between batches, or waiting for one) gives the
    stream's connection back; a stream inside atomic() leaves the transaction's writes undone."""
    await CancelRow.objects.bulk_create([CancelRow(tag="s", n=i) for i in range(3000)], batch_size=500)

    seen: list[int] = []

    async def slow_reader() -> None:
        async for row in CancelRow.objects.order_by("id").stream(batch_size=100):
            seen.append(row.n)
            if len(seen) == 150:
                await asyncio.sleep(30)  # cancelled here, mid-stream

    with pytest.raises(TimeoutError):
        async with asyncio.timeout(1.0):
            await slow_reader()
    assert seen == list(range(150))
    await assert_pool_clean(database)

    read = 0

    async def eager_reader() -> None:
        nonlocal read
        while True:  # tiny batches: the cut lands while a batch is awaited
            async for _ in CancelRow.objects.order_by("id").stream(batch_size=1):
                read += 1

    with pytest.raises(TimeoutError):
        async with asyncio.timeout(0.5):
            await eager_reader()
    assert read > 0
    await assert_pool_clean(database)

    with pytest.raises(TimeoutError):
        async with asyncio.timeout(1.0), atomic():
            await CancelRow.objects.filter(tag="s").update(n=-1)
            async for _ in CancelRow.objects.filter(tag="s").stream(batch_size=100):
                await asyncio.sleep(30)
    await assert_pool_clean(database)
    assert await CancelRow.objects.filter(n=-1).count() == 0


async def test_statements_cut_short_never_put_a_connection_out_of_step(database: AsyncDatabase) -> None:
    """Statements cancelled while their rows arrive, inside atomic() and outside: every transaction
    that ran to its end committed, no other did, and every later query gets its own answer (a
    connection left mid-result must never serve another statement)."""
    await CancelRow.objects.bulk_create([CancelRow(tag="bulk", n=i) for i in range(2000)], batch_size=500)
    loop = asyncio.get_running_loop()
    start = loop.time()
    await CancelRow.objects.filter(tag="bulk").all()
    full = loop.time() - start  # cuts land before, during and after the rows arrive
    rng = random.Random(11)
    committed: set[str] = set()
    bodies_done: set[str] = set()  # a cut during COMMIT leaves its outcome open
    cancelled = 0
    for i in range(120):
        tag = f"x{i}"
        try:
            async with asyncio.timeout(rng.uniform(0, 2 * full)):
                if i % 2:
                    await CancelRow.objects.filter(tag="bulk").all()
                else:
                    async with atomic():
                        await CancelRow.objects.create(tag=tag)
                        await CancelRow.objects.filter(tag="bulk").all()
                        bodies_done.add(tag)
                    committed.add(tag)
        except TimeoutError:
            cancelled += 1
        row = await CancelRow.objects.create(tag=f"k{i}", n=i)
        assert (await CancelRow.objects.get(id=row.id)).n == i
        assert await CancelRow.objects.filter(tag="bulk").count() == 2000
    await assert_pool_clean(database)
    written = set(await CancelRow.objects.filter(tag__startswith="x").values_list("tag", flat=True).all())
    assert committed <= written <= bodies_done
    assert cancelled > 0 and committed


async def test_a_transaction_with_a_cancelled_statement_only_rolls_back(database: AsyncDatabase, dialect: str) -> None:
    """Catching the cancellation and going on inside the same atomic() block: later statements and
    the commit fail with a clear error, and nothing of the block is kept."""
    with pytest.raises(DatabaseError, match="transaction aborted: one of its statements was cancelled"):
        async with atomic():
            await CancelRow.objects.create(tag="before")
            with pytest.raises(TimeoutError):
                async with asyncio.timeout(0.2):
                    await execute_raw(SLOW_SQL[dialect])
            await CancelRow.objects.count()
    with pytest.raises(DatabaseError, match="transaction aborted"):
        async with atomic():  # the commit at the end of the block is refused too
            await CancelRow.objects.create(tag="before")
            with pytest.raises(TimeoutError):
                async with asyncio.timeout(0.2):
                    await execute_raw(SLOW_SQL[dialect])
    await assert_pool_clean(database)
    assert await CancelRow.objects.count() == 0


async def test_random_cancellations_keep_transactions_atomic(
    database: AsyncDatabase, report_figure: Callable[[str, str], None], dialect: str
) -> None:
    """Tasks cancelled at random points (BEGIN, a statement, COMMIT...) commit both rows or none."""
    rng = random.Random(7)
    tasks = 60

    async def pair(tag: str) -> None:
        async with atomic():
            await CancelRow.objects.create(tag=tag, n=1)
            await CancelRow.objects.create(tag=tag, n=2)

    started = asyncio.get_running_loop().time()
    await pair("whole")
    # timeouts up to twice an uncancelled pair: about half land somewhere inside it, on any machine
    window = 2 * (asyncio.get_running_loop().time() - started)
    cancelled = 0
    for i in range(tasks):
        try:
            async with asyncio.timeout(rng.uniform(0, window)):
                await pair(f"t{i}")
        except TimeoutError:
            cancelled += 1
    await assert_pool_clean(database)
    counts: dict[str, int] = {}
    for tag in await CancelRow.objects.values_list("tag", flat=True).all():
        counts[tag] = counts.get(tag, 0) + 1
    assert set(counts.values()) <= {2}, counts  # never one row of a pair
    assert cancelled > 0
    report_figure(
        "cancellation",
        f"{dialect}: {cancelled}/{tasks} random cancellations + mid-query, mid-bulk_create, mid-stream, "
        "in-atomic cases: 0 open transactions, 0 connections in use, every pair all-or-nothing",
    )
