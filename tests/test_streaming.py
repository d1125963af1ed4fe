"""Query.stream(): rows read in batches with ``async for``, the connection released however the loop ends."""

from __future__ import annotations

import pytest

from oxyde import AsyncDatabase, Field, Model, PoolSettings, RawSQL, atomic
from oxyde.exceptions import DatabaseError, DataError
from oxyde.queries.expressions import F

ROWS = 2500
I64_MAX = 2**63 - 1


class StreamRow(Model):
    id: int | None = Field(default=None, db_pk=True)
    n: int
    label: str

    class Meta:
        is_table = True
        table_name = "stream_row"


async def seed(count: int = ROWS) -> None:
    await StreamRow.objects.bulk_create([StreamRow(n=i, label=f"row {i}") for i in range(count)], batch_size=500)


async def test_every_row_comes_back_in_order_across_batches(database: AsyncDatabase) -> None:
    await seed()
    seen = [row async for row in StreamRow.objects.order_by("n").stream(batch_size=1000)]
    assert [r.n for r in seen] == list(range(ROWS))
    assert all(isinstance(r, StreamRow) and r.label == f"row {r.n}" for r in seen)
    evens = StreamRow.objects.filter(n__lt=10).exclude(n__in=[1, 3, 5, 7, 9]).order_by("-n")
    assert [d async for d in evens.values("n", "label").stream(batch_size=2)] == [
        {"n": n, "label": f"row {n}"} for n in (8, 6, 4, 2, 0)
    ]
    assert [n async for n in evens.values_list("n", flat=True).stream(batch_size=3)] == [8, 6, 4, 2, 0]


async def test_an_empty_result_streams_nothing(database: AsyncDatabase) -> None:
    assert [r async for r in StreamRow.objects.filter(n__gt=10).stream()] == []
    with pytest.raises(ValueError, match="positive integer batch_size"):
        StreamRow.objects.stream(batch_size=0)


async def test_breaking_out_releases_the_connection(database: AsyncDatabase, database_url: str) -> None:
    await seed(300)
    one = AsyncDatabase(
        database_url,
        name="stream_one",
        settings=PoolSettings(max_connections=1, min_connections=1, acquire_timeout=3),
        auto_register=True,
        overwrite=True,
    )
    await one.connect()
    try:
        for _ in range(3):  # a leaked connection would time out the next round
            async for row in StreamRow.objects.order_by("n").stream(batch_size=10, using="stream_one"):
                assert row.n == 0
                break
            assert await StreamRow.objects.count(using="stream_one") == 300
        rows = StreamRow.objects.order_by("n").stream(batch_size=10, using="stream_one")
        assert (await rows.__anext__()).n == 0
        await rows.aclose()
        assert await StreamRow.objects.filter(n__lt=5).count(using="stream_one") == 5
        with pytest.raises(StopAsyncIteration):
            await rows.__anext__()
    finally:
        await one.disconnect()


async def test_an_error_mid_stream_raises_its_class(database: AsyncDatabase, dialect: str) -> None:
    await seed(3000)
    if dialect == "sqlite":
        # abs() of the smallest integer fails; n - 2500 - I64_MAX - 1 is exactly that at n = 2500
        big = RawSQL(f"abs(n - 2500 - {I64_MAX} - 1)")
        expected: type[Exception] = DatabaseError
    else:
        # n + (I64_MAX - 2000) overflows BIGINT from n = 2001 on
        big = F("n") + (I64_MAX - 2000)
        expected = DataError
    # no ORDER BY: a sort would compute every row before sending the first
    query = StreamRow.objects.annotate(big=big).values("n", "big")
    got = []
    with pytest.raises(expected):
        async for row in query.stream(batch_size=100):
            got.append(row)
    assert len(got) >= 100  # rows before the failing one arrived first
    assert await StreamRow.objects.count() == 3000  # and the pool still answers


async def test_inside_a_transaction_the_rows_include_its_writes(database: AsyncDatabase) -> None:
    await seed(5)
    async with atomic():
        await StreamRow.objects.create(n=99, label="uncommitted")
        assert [r.n async for r in StreamRow.objects.order_by("n").stream(batch_size=2)] == [0, 1, 2, 3, 4, 99]
