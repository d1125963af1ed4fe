"""Two named databases and ``using=`` on every call that takes it; the Starlette-style lifespan;
PoolSettings read back from the database; closed and unknown connections."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from oxyde import AsyncDatabase, Field, Model, PoolSettings, atomic, db, execute_raw, get_connection
from oxyde.db.schema import table_ops


class UNote(Model):
    id: int | None = Field(default=None, db_pk=True)
    title: str = Field(max_length=40)
    n: int = 0

    class Meta:
        is_table = True
        table_name = "q_u_note"


@pytest.fixture
async def two(database: AsyncDatabase, tmp_path: Path) -> AsyncIterator[AsyncDatabase]:
    """``default`` is the dialect's database (fixture), ``other`` a fresh SQLite file."""
    other = AsyncDatabase(f"sqlite:///{tmp_path / 'other.db'}", name="other", overwrite=True)
    await other.connect()
    for op in table_ops(UNote, "sqlite"):
        await other.execute(op)
    yield other


async def titles(using: str) -> list[str]:
    return sorted(await UNote.objects.values_list("title", flat=True).all(using=using))


async def test_every_method_honours_using(two: AsyncDatabase) -> None:
    o = "other"
    made = await UNote.objects.create(title="a", n=1, using=o)
    await UNote.objects.bulk_create([UNote(title="b", n=2), UNote(title="c", n=3)], using=o)
    assert await titles(o) == ["a", "b", "c"] and await titles("default") == []
    assert (await UNote.objects.get(id=made.id, using=o)).title == "a"
    assert await UNote.objects.get_or_none(title="zz", using=o) is None
    assert (await UNote.objects.get_or_create(title="d", using=o))[1] is True
    assert (await UNote.objects.update_or_create(title="d", defaults={"n": 9}, using=o))[0].n == 9
    assert len(await UNote.objects.all(using=o)) == 4
    assert (await UNote.objects.order_by("n").first(using=o)).title == "a"  # type: ignore[union-attr]
    assert (await UNote.objects.order_by("n").last(using=o)).title == "d"  # type: ignore[union-attr]
    assert await UNote.objects.exists(using=o) and not await UNote.objects.exists(using="default")
    assert await UNote.objects.count(using=o) == 4 and await UNote.objects.count() == 0
    assert await UNote.objects.sum("n", using=o) == 15 and await UNote.objects.max("n", using=o) == 9
    assert await UNote.objects.min("n", using=o) == 1 and await UNote.objects.avg("n", using=o) == 3.75
    assert await UNote.objects.filter(title="b").update(n=20, using=o) == 1
    assert [r.n for r in await UNote.objects.filter(title="b").update(n=21, returning=True, using=o)] == [21]
    assert await UNote.objects.filter(title="c").increment("n", 5, using=o) == 1
    c = await UNote.objects.get(title="c", using=o)
    c.title = "cc"
    assert await UNote.objects.bulk_update([c], ["title"], using=o) == 1
    assert await UNote.objects.filter(title="b").explain(using=o)
    assert (await UNote.objects.filter(title="b").values_list("n", flat=True).all(using=o)) == [21]
    note = await UNote(title="e").save(using=o)
    note.n = 7
    await note.save(using=o)
    await execute_raw("UPDATE q_u_note SET n = 8 WHERE title = 'e'", using=o)
    assert (await note.refresh(using=o)).n == 8
    assert await note.delete(using=o) == 1
    async with atomic(using=o):
        await UNote.objects.create(title="tx", using=o)
        assert await UNote.objects.count(using=o) == 5
        assert await UNote.objects.count() == 0  # default is outside this transaction
    assert await UNote.objects.filter(title="a").delete(using=o) == 1
    assert await titles(o) == ["b", "cc", "d", "tx"] and await titles("default") == []


async def test_unknown_and_closed_connections_are_named(two: AsyncDatabase) -> None:
    with pytest.raises(KeyError, match="Connection 'nowhere' is not registered"):
        await UNote.objects.all(using="nowhere")
    with pytest.raises(KeyError, match="Connection 'nowhere' is not registered"):
        await execute_raw("SELECT 1", using="nowhere")
    with pytest.raises(KeyError, match="Connection 'nowhere' is not registered"):
        async with atomic(using="nowhere"):
            pass
    await two.disconnect()
    with pytest.raises(RuntimeError, match=r"Database 'other' not connected\. Call connect\(\) first\."):
        await UNote.objects.count(client=two)
    assert await UNote.objects.count(using="other") == 0  # a registered alias reconnects on use


class StarletteLikeApp:
    """What Starlette does with ``lifespan=``: ``async with lifespan(app): serve``."""

    def __init__(self, lifespan: Any) -> None:
        self.lifespan = lifespan

    async def serve(self, handler: Any) -> Any:
        async with self.lifespan(self):
            return await handler()


async def test_lifespan_opens_and_closes_pools_around_the_app(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'life.db'}"
    app = StarletteLikeApp(db.lifespan(default=url, reports=f"sqlite:///{tmp_path / 'rep.db'}"))

    async def handler() -> list[Any]:
        await execute_raw("CREATE TABLE q_u_note (id INTEGER PRIMARY KEY, title TEXT, n INTEGER DEFAULT 0)")
        await UNote.objects.create(title="in app")
        return [await UNote.objects.count(), (await get_connection("reports")).connected]

    assert await app.serve(handler) == [1, True]
    with pytest.raises(KeyError):
        await get_connection()


async def _pragma(name: str, using: str) -> Any:
    return next(iter((await execute_raw(f"PRAGMA {name}", using=using))[0].values()))


async def test_sqlite_pragmas_wal_by_default_and_each_setting(tmp_path: Path) -> None:
    await db.init(default=f"sqlite:///{tmp_path / 'p.db'}")
    try:
        assert await _pragma("journal_mode", "default") == "wal"
        assert await _pragma("synchronous", "default") == 1  # NORMAL
        assert await _pragma("cache_size", "default") == 10000
        assert await _pragma("busy_timeout", "default") == 5000
    finally:
        await db.close()
    custom = PoolSettings(
        sqlite_journal_mode="DELETE", sqlite_synchronous="FULL", sqlite_cache_size=-2000, sqlite_busy_timeout=1234
    )
    await db.init(settings=custom, default=f"sqlite:///{tmp_path / 'q.db'}")
    try:
        assert await _pragma("journal_mode", "default") == "delete"
        assert await _pragma("synchronous", "default") == 2  # FULL
        assert await _pragma("cache_size", "default") == -2000
        assert await _pragma("busy_timeout", "default") == 1234
    finally:
        await db.close()


async def test_pool_size_and_acquire_timeout(tmp_path: Path) -> None:
    settings = PoolSettings(max_connections=1, min_connections=1, acquire_timeout=0.3, test_before_acquire=True)
    await db.init(settings=settings, default=f"sqlite:///{tmp_path / 's.db'}")
    try:
        async with atomic():  # holds the only connection
            waiter = asyncio.create_task(execute_raw("SELECT 1"))  # another task: not in the transaction
            with pytest.raises(RuntimeError):
                await waiter
        assert await execute_raw("SELECT 1 AS one") == [{"one": 1}]
    finally:
        await db.close()
    too_few = PoolSettings(min_connections=11)
    bad = AsyncDatabase("sqlite::memory:", name="q_u_bad", settings=too_few, auto_register=False)
    with pytest.raises(RuntimeError, match="min_connections cannot exceed max_connections"):
        await bad.connect()


async def test_server_settings_read_back(database_url: str, dialect: str) -> None:
    if dialect == "sqlite":
        settings = PoolSettings(ssl_mode="require", idle_timeout=5, max_lifetime=60)  # TLS ignored for SQLite
    elif dialect == "postgres":
        settings = PoolSettings(
            pg_application_name="oxyde-tests", pg_statement_cache_capacity=5, ssl_mode="disable", idle_timeout=5
        )
    else:
        settings = PoolSettings(mysql_charset="utf8mb4", mysql_collation="utf8mb4_bin", ssl_mode="disabled")
    await db.init(settings=settings, default=database_url)
    try:
        if dialect == "postgres":
            rows = await execute_raw("SELECT current_setting('application_name') AS app")
            assert rows == [{"app": "oxyde-tests"}]
        elif dialect == "mysql":
            rows = await execute_raw("SELECT @@character_set_connection AS cs, @@collation_connection AS co")
            assert rows == [{"cs": "utf8mb4", "co": "utf8mb4_bin"}]
        else:
            assert await execute_raw("SELECT 1 AS one") == [{"one": 1}]
    finally:
        await db.close()
    if dialect != "sqlite":
        with pytest.raises(RuntimeError):
            await db.init(settings=PoolSettings(ssl_mode="sometimes"), default=database_url)
        await db.close()
