"""Item 9: PgBouncer in transaction pooling mode in front of PostgreSQL.

Fewer server connections than clients make PgBouncer move clients between
server connections at every transaction boundary. With the statement cache
off (``pg_statement_cache_capacity=0`` or ``?statement-cache-capacity=0``) the
whole query API and transactions work through it.
"""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest

from oxyde import Field, Model, atomic, db, execute_raw
from oxyde.db.pool import AsyncDatabase, PoolSettings
from oxyde.db.schema import table_ops
from reliability.servers import PgBouncer, PostgresServer

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 12
ROUNDS = 40
# Suites of the query API and transactions, rerun with every PostgreSQL URL through PgBouncer.
SUITES = [
    "tests/test_query_api.py",
    "tests/test_transactions.py",
    "tests/test_queries.py",
    "tests/test_manager.py",
    "tests/test_instances.py",
    "tests/test_raw.py",
    "tests/test_get_or_create.py",
    "tests/test_relations_join.py",
]


class BouncedItem(Model):
    id: int | None = Field(default=None, db_pk=True)
    worker: int
    n: int
    label: str

    class Meta:
        is_table = True
        table_name = "bounced_item"


async def _open(url: str, cache: int | None) -> AsyncDatabase:
    settings = PoolSettings(max_connections=WORKERS, pg_statement_cache_capacity=cache)
    await db.init(default=url, settings=settings)
    return await db.get_connection("default")


async def _workload(worker: int) -> None:
    """Writes, reads of several shapes and a rolled back transaction, checking every answer."""
    for n in range(ROUNDS):
        row = await BouncedItem.objects.create(worker=worker, n=n, label=f"w{worker}")
        assert row.id is not None
        got = await BouncedItem.objects.filter(worker=worker, n=n).get()
        assert (got.id, got.label) == (row.id, f"w{worker}")
        assert await BouncedItem.objects.filter(worker=worker).count() == n + 1
        await BouncedItem.objects.filter(id=row.id).update(label=f"w{worker}n{n}")
        values = await BouncedItem.objects.filter(label__startswith=f"w{worker}n").values_list("n", flat=True).all()
        assert sorted(values) == list(range(n + 1))
        with pytest.raises(RuntimeError, match="roll back"):
            async with atomic():
                await BouncedItem.objects.create(worker=worker, n=-1, label="gone")
                assert await BouncedItem.objects.filter(worker=worker, n=-1).count() == 1
                raise RuntimeError("roll back")


async def _run_load() -> Counter[str]:
    """Runs every worker; returns the errors by class and message start."""
    errors: Counter[str] = Counter()

    async def one(worker: int) -> None:
        try:
            await _workload(worker)
        except Exception as exc:  # counted: the test decides what is acceptable
            errors[f"{type(exc).__name__}: {str(exc)[:90]}"] += 1

    await asyncio.gather(*(one(w) for w in range(WORKERS)))
    return errors


@pytest.fixture
async def bounced(
    pg_server: PostgresServer, pgbouncer: PgBouncer
) -> AsyncIterator[Callable[[int | None], Awaitable[AsyncDatabase]]]:
    pg_server.psql("DROP TABLE IF EXISTS bounced_item")
    for op in table_ops(BouncedItem, "postgres"):
        await _admin_execute(pg_server.url(), op)

    async def open_with(cache: int | None) -> AsyncDatabase:
        pg_server.psql("TRUNCATE bounced_item RESTART IDENTITY")
        return await _open(pgbouncer.url("postgres"), cache)

    yield open_with
    await db.close()


async def _admin_execute(url: str, op: dict[str, object]) -> None:
    admin = AsyncDatabase(url, name="__bouncer_admin__", auto_register=False, overwrite=True)
    await admin.connect()
    try:
        await admin.execute(op)
    finally:
        await admin.disconnect()


async def test_query_api_and_transactions_through_pgbouncer_with_the_cache_off(
    bounced: Callable[[int | None], Awaitable[AsyncDatabase]],
    pg_server: PostgresServer,
    report_figure: Callable[[str, str], None],
) -> None:
    await bounced(0)
    errors = await _run_load()
    assert not errors, f"errors through PgBouncer with the statement cache off: {dict(errors)}"
    rows = pg_server.psql(
        "SELECT count(*), count(DISTINCT (worker, n)), count(*) FILTER (WHERE n = -1) FROM bounced_item"
    )
    assert rows == f"{WORKERS * ROUNDS}|{WORKERS * ROUNDS}|0"
    await db.close()

    # The default cache, for the record: named statements meet other clients' server connections.
    await bounced(None)
    cached = await _run_load()
    report_figure(
        "pgbouncer",
        f"{WORKERS} clients on 5 server connections, {WORKERS * ROUNDS} rounds: 0 errors with the cache off; "
        f"{sum(cached.values())} of {WORKERS} workers failed with the default cache",
    )


def test_the_query_and_transaction_suites_pass_through_pgbouncer(
    pg_server: PostgresServer, pgbouncer: PgBouncer, report_figure: Callable[[str, str], None]
) -> None:
    if pg_server.psql("SELECT count(*) FROM pg_database WHERE datname = 'test'") == "0":
        pg_server.psql("CREATE DATABASE test")
    env = dict(os.environ, OXYDE_TEST_POSTGRES_URL=pgbouncer.url("test", "statement-cache-capacity=0"))
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-k", "postgres", *SUITES]
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900, check=False)
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr[-2000:]
    assert done.returncode == 0, f"suites through PgBouncer failed: {summary}\n{done.stdout[-6000:]}"
    passed = re.search(r"(\d+) passed", summary)
    assert passed and "skipped" not in summary, summary
    report_figure("pgbouncer", f"{passed.group(1)} PostgreSQL tests of {len(SUITES)} query/transaction suites pass")


async def test_a_cancelled_statement_leaves_no_transaction_open_with_the_cache_off(pg_server: PostgresServer) -> None:
    # Outside atomic() each statement runs in its own transaction: a cancelled one must roll back,
    # not stay open on the connection and be committed with the next statement.
    pg_server.psql("DROP TABLE IF EXISTS cancelled_rows; CREATE TABLE cancelled_rows (token TEXT NOT NULL)")
    settings = PoolSettings(max_connections=1, pg_statement_cache_capacity=0)
    database = AsyncDatabase(pg_server.url(), name="bouncer_cancel", settings=settings, auto_register=False)
    await database.connect()
    try:
        slow = "INSERT INTO cancelled_rows (token) SELECT $1 FROM pg_sleep(0.5)"
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(0.1):
                await execute_raw(slow, ["cancelled"], client=database)
        await execute_raw("INSERT INTO cancelled_rows (token) VALUES ($1)", ["after"], client=database)
        await asyncio.sleep(0.6)  # past the end of the cancelled statement, had it stayed in a transaction
        assert pg_server.psql("SELECT string_agg(token, ',') FROM cancelled_rows") == "after"
        assert pg_server.psql("SELECT count(*) FROM pg_stat_activity WHERE state LIKE 'idle in transaction%'") == "0"
    finally:
        await database.disconnect()
