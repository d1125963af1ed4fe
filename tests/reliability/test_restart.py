"""Item 5: the database goes away under load and comes back.

PostgreSQL and MariaDB (private servers, restarted by the test while writers
run): calls in flight fail with a connection error, the same pool serves again
once the server is back, every acknowledged write is there exactly once.
SQLite: a writer process killed with SIGKILL inside a transaction leaves a
database that opens, passes ``PRAGMA integrity_check`` and holds exactly the
committed rows.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from oxyde import execute_raw
from oxyde.db.pool import AsyncDatabase, PoolSettings
from oxyde.exceptions import ConnectionLostError, PoolTimeoutError
from reliability.servers import MariaDBServer, PostgresServer

WRITERS = 8
CONNECTION_ERRORS = (ConnectionLostError, PoolTimeoutError)
DOWN_SECONDS = 1.0
# Successful writes after the restart before the load stops.
AFTER_RESTART = 200


@dataclass
class Load:
    """What the writers saw: acknowledged tokens, errors by class, successes after the restart."""

    acked: list[str] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    unexpected: list[BaseException] = field(default_factory=list)
    after_restart: int = 0
    back_at: float | None = None
    first_success_after: float | None = None
    enough: asyncio.Event = field(default_factory=asyncio.Event)


async def _writer(database: AsyncDatabase, insert: str, worker: int, load: Load, stop: asyncio.Event) -> None:
    n = 0
    while not stop.is_set():
        token = f"{worker}-{n}"
        n += 1
        try:
            await execute_raw(insert, [token], client=database)
        except CONNECTION_ERRORS as exc:
            load.errors[type(exc).__name__] += 1
            await asyncio.sleep(0.02)
            continue
        except Exception as exc:  # reported by the test: not a connection error
            load.unexpected.append(exc)
            continue
        load.acked.append(token)
        if load.back_at is not None:
            load.after_restart += 1
            if load.first_success_after is None:
                load.first_success_after = time.monotonic() - load.back_at
            if load.after_restart >= AFTER_RESTART:
                load.enough.set()
        await asyncio.sleep(0.002)


async def _restart_under_load(
    url: str, create: str, insert: str, restart: Callable[[], None]
) -> tuple[Load, Counter[str]]:
    database = AsyncDatabase(
        url,
        name="restart_load",
        settings=PoolSettings(max_connections=WRITERS, acquire_timeout=5),
        auto_register=False,
        overwrite=True,
    )
    await database.connect()
    load = Load()
    try:
        await execute_raw("DROP TABLE IF EXISTS restart_rows", client=database)
        await execute_raw(create, client=database)
        stop = asyncio.Event()
        writers = [asyncio.create_task(_writer(database, insert, w, load, stop)) for w in range(WRITERS)]
        await asyncio.sleep(1.0)
        await asyncio.to_thread(restart)
        load.back_at = time.monotonic()
        with contextlib.suppress(TimeoutError):  # too few writes after it: the check says so
            await asyncio.wait_for(load.enough.wait(), 30)
        stop.set()
        await asyncio.gather(*writers)
        rows = await _read_back(database)
    finally:
        await database.disconnect()
    return load, rows


async def _read_back(database: AsyncDatabase) -> Counter[str]:
    # Right after the restart a pooled connection may still be a dead one: retry on connection errors only.
    for _ in range(20):
        try:
            rows = await execute_raw("SELECT token FROM restart_rows", client=database)
            return Counter(row["token"] for row in rows)
        except CONNECTION_ERRORS:
            await asyncio.sleep(0.5)
    pytest.fail("the pool did not reconnect within 10 s of the restart")


def _check(load: Load, rows: Counter[str], what: str, report_figure: Callable[[str, str], None]) -> None:
    assert not load.unexpected, f"{what}: calls failed with other than a connection error: {load.unexpected[:3]}"
    assert sum(load.errors.values()) > 0, f"{what}: the restart failed no call in flight"
    assert load.after_restart >= AFTER_RESTART, f"{what}: only {load.after_restart} writes succeeded after the restart"
    missing = [t for t in load.acked if rows[t] == 0]
    duplicated = sorted(t for t, n in rows.items() if n > 1)
    assert not missing, f"{what}: {len(missing)} acknowledged writes lost, e.g. {missing[:5]}"
    assert not duplicated, f"{what}: writes stored twice: {duplicated[:5]}"
    unacked = len(rows) - len(load.acked)
    errors = ", ".join(f"{n} {name}" for name, n in sorted(load.errors.items()))
    back = f"{(load.first_success_after or 0) * 1000:.0f} ms"
    report_figure(
        "restart",
        f"{what}: {len(load.acked)} acknowledged writes all present once ({unacked} committed without an "
        f"acknowledgement); failed calls: {errors}; first write {back} after the server was back",
    )


@pytest.mark.slow
async def test_postgres_restart_under_load(
    pg_server: PostgresServer, report_figure: Callable[[str, str], None]
) -> None:
    def restart() -> None:
        pg_server.stop("fast")
        time.sleep(DOWN_SECONDS)
        pg_server.start()

    load, rows = await _restart_under_load(
        pg_server.url(),
        "CREATE TABLE restart_rows (id BIGSERIAL PRIMARY KEY, token TEXT NOT NULL)",
        "INSERT INTO restart_rows (token) VALUES ($1)",
        restart,
    )
    _check(load, rows, "PostgreSQL restart", report_figure)


@pytest.mark.slow
async def test_mariadb_restart_under_load(
    mariadb_server: MariaDBServer, report_figure: Callable[[str, str], None]
) -> None:
    def restart() -> None:
        mariadb_server.stop()
        time.sleep(DOWN_SECONDS)
        mariadb_server.start()

    load, rows = await _restart_under_load(
        mariadb_server.url(),
        "CREATE TABLE restart_rows (id BIGINT AUTO_INCREMENT PRIMARY KEY, token VARCHAR(40) NOT NULL) ENGINE=InnoDB",
        "INSERT INTO restart_rows (token) VALUES (?)",
        restart,
    )
    _check(load, rows, "MariaDB restart", report_figure)


async def _integrity_and_rows(url: str) -> tuple[dict[str, object], list[dict[str, object]]]:
    database = AsyncDatabase(url, name="killed_check", auto_register=False, overwrite=True)
    await database.connect()
    try:
        (check,) = await execute_raw("PRAGMA integrity_check", client=database)
        return check, await execute_raw("SELECT token FROM killed_rows", client=database)
    finally:
        await database.disconnect()


# The writer process: commits batches, reporting each commit, then writes without end inside a transaction.
SQLITE_WRITER = """
import asyncio, sys
from oxyde import atomic, db, execute_raw

async def main(url, run, batches):
    await db.init(default=url)
    await execute_raw("CREATE TABLE IF NOT EXISTS killed_rows (id INTEGER PRIMARY KEY, token TEXT NOT NULL)")
    for batch in range(batches):
        async with atomic():
            for i in range(50):
                await execute_raw("INSERT INTO killed_rows (token) VALUES (?)", [f"{run}-{batch}-{i}"])
        print(f"committed {batch}", flush=True)
    async with atomic():
        print("open", flush=True)
        i = 0
        while True:
            await execute_raw("INSERT INTO killed_rows (token) VALUES (?)", [f"{run}-open-{i}"])
            i += 1

asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
"""


def test_sqlite_writer_killed_mid_transaction_leaves_exactly_the_committed_rows(
    tmp_path: Path, report_figure: Callable[[str, str], None]
) -> None:
    path = tmp_path / "killed.db"
    url = f"sqlite:///{path}"
    rng = random.Random(5)
    committed: set[str] = set()
    kills = 3
    for run in range(kills):
        batches = rng.randrange(2, 8)
        child = subprocess.Popen(
            [sys.executable, "-c", SQLITE_WRITER, url, f"r{run}", str(batches)], stdout=subprocess.PIPE, text=True
        )
        assert child.stdout is not None
        for line in child.stdout:
            if line.startswith("committed"):
                committed.update(f"r{run}-{line.split()[1]}-{i}" for i in range(50))
            else:  # the transaction is open and taking rows: kill it at some point of that
                time.sleep(rng.random() * 0.05)
                os.kill(child.pid, signal.SIGKILL)
                break
        child.stdout.close()
        child.wait(30)
        assert child.returncode == -signal.SIGKILL, f"the writer ended on its own: {child.returncode}"

    check, rows = asyncio.run(_integrity_and_rows(url))
    assert list(check.values()) == ["ok"]
    tokens = Counter(row["token"] for row in rows)
    assert set(tokens) == committed, (
        f"{len(committed - set(tokens))} committed rows missing, {len(set(tokens) - committed)} uncommitted present"
    )
    assert max(tokens.values()) == 1
    report_figure(
        "restart",
        f"SQLite writer SIGKILLed inside a transaction {kills} times: integrity_check ok, "
        f"exactly the {len(committed)} committed rows present",
    )
