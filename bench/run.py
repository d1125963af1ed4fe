"""Oxyde beside the raw async driver of the same database, in one run.

Usage: python bench/run.py [sqlite] [postgres] [mysql]   (default: all three)

Each case runs for OXYDE_BENCH_SECONDS (default 2) after a short warm-up and
reports operations per second. The raw side fetches plain rows or tuples; the
Oxyde side builds validated pydantic models, so the ratio is the full cost of
the ORM over the driver. Setup (table, 1000 seed rows) goes through the raw
driver so it does not depend on the code under test.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from oxyde import Field, Model, db

SECONDS = float(os.environ.get("OXYDE_BENCH_SECONDS", "2"))
WARMUP = 20
SEED_ROWS = 1000
TABLE = "bench_users"
URLS = {
    "postgres": os.environ.get("OXYDE_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test"),
    "mysql": os.environ.get("OXYDE_TEST_MYSQL_URL", "mysql://root@127.0.0.1:3306/test"),
}
DDL = {
    "sqlite": f"CREATE TABLE {TABLE} (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, "
    "email TEXT NOT NULL, age INTEGER NOT NULL)",
    "postgres": f"CREATE TABLE {TABLE} (id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL, "
    "email TEXT NOT NULL, age BIGINT NOT NULL)",
    "mysql": f"CREATE TABLE {TABLE} (id BIGINT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(255) NOT NULL, "
    "email VARCHAR(255) NOT NULL, age BIGINT NOT NULL)",
}


class BenchUser(Model):
    id: int | None = Field(default=None, db_pk=True)
    name: str
    email: str
    age: int

    class Meta:
        is_table = True
        table_name = TABLE


async def ops_per_second(op: Callable[[int], Awaitable[object]]) -> float:
    for i in range(WARMUP):
        await op(i)
    count, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < SECONDS:
        await op(count)
        count += 1
    return count / elapsed


class Driver:
    """The raw side: setup plus the three cases, for one database."""

    async def setup(self) -> None:
        await self.exec(f"DROP TABLE IF EXISTS {TABLE}")
        await self.exec(DDL[self.name])
        for i in range(SEED_ROWS):
            await self.insert(i)

    async def get(self, i: int) -> object:
        sql = f"SELECT id, name, email, age FROM {TABLE} WHERE id = {self.p(1)}"
        return await self.fetchone(sql, (i % SEED_ROWS) + 1)

    async def insert(self, i: int) -> object:
        sql = f"INSERT INTO {TABLE} (name, email, age) VALUES ({self.p(1)}, {self.p(2)}, {self.p(3)})"
        return await self.exec(sql, f"user{i}", f"user{i}@example.com", i % 90)

    async def select_many(self, _i: int) -> object:
        return await self.fetchall(f"SELECT id, name, email, age FROM {TABLE} WHERE age >= {self.p(1)} LIMIT 1000", 0)


class SqliteDriver(Driver):
    name = "sqlite"

    def __init__(self, path: Path) -> None:
        self.path = path

    async def connect(self) -> None:
        import aiosqlite

        self.conn = await aiosqlite.connect(self.path)
        await self.conn.execute("PRAGMA journal_mode = WAL")
        await self.conn.execute("PRAGMA synchronous = NORMAL")

    def p(self, _n: int) -> str:
        return "?"

    async def exec(self, sql: str, *args: object) -> object:
        cur = await self.conn.execute(sql, args)
        await self.conn.commit()
        return cur.lastrowid

    async def fetchone(self, sql: str, *args: object) -> object:
        async with self.conn.execute(sql, args) as cur:
            return await cur.fetchone()

    async def fetchall(self, sql: str, *args: object) -> object:
        async with self.conn.execute(sql, args) as cur:
            return await cur.fetchall()

    async def close(self) -> None:
        await self.conn.close()


class PostgresDriver(Driver):
    name = "postgres"

    async def connect(self) -> None:
        import asyncpg

        self.conn = await asyncpg.connect(URLS["postgres"])

    def p(self, n: int) -> str:
        return f"${n}"

    async def exec(self, sql: str, *args: object) -> object:
        return await self.conn.execute(sql, *args)

    async def fetchone(self, sql: str, *args: object) -> object:
        return await self.conn.fetchrow(sql, *args)

    async def fetchall(self, sql: str, *args: object) -> object:
        return await self.conn.fetch(sql, *args)

    async def close(self) -> None:
        await self.conn.close()


class MysqlDriver(Driver):
    name = "mysql"

    async def connect(self) -> None:
        import aiomysql

        url = urlsplit(URLS["mysql"])
        self.conn = await aiomysql.connect(
            host=url.hostname or "127.0.0.1",
            port=url.port or 3306,
            user=unquote(url.username or "root"),
            password=unquote(url.password or ""),
            db=url.path.lstrip("/") or "test",
            autocommit=True,
        )

    def p(self, _n: int) -> str:
        return "%s"

    async def exec(self, sql: str, *args: object) -> object:
        async with self.conn.cursor() as cur:
            await cur.execute(sql, args or None)
            return cur.lastrowid

    async def fetchone(self, sql: str, *args: object) -> object:
        async with self.conn.cursor() as cur:
            await cur.execute(sql, args)
            return await cur.fetchone()

    async def fetchall(self, sql: str, *args: object) -> object:
        async with self.conn.cursor() as cur:
            await cur.execute(sql, args)
            return await cur.fetchall()

    async def close(self) -> None:
        self.conn.close()


async def orm_get(i: int) -> object:
    return await BenchUser.objects.get(id=(i % SEED_ROWS) + 1)


async def orm_insert(i: int) -> object:
    return await BenchUser.objects.create(name=f"orm{i}", email=f"orm{i}@example.com", age=i % 90)


async def orm_select_many(_i: int) -> object:
    return await BenchUser.objects.filter(age__gte=0).limit(1000).all()


async def bench(driver: Driver, url: str) -> list[tuple[str, str, float, float]]:
    await driver.connect()
    await driver.setup()
    await db.init(default=url)
    rows = []
    try:
        cases = [
            ("select by pk", orm_get, driver.get),
            ("insert one row", orm_insert, driver.insert),
            ("select 1000 rows", orm_select_many, driver.select_many),
        ]
        for label, orm_op, raw_op in cases:
            raw = await ops_per_second(raw_op)
            ours = await ops_per_second(orm_op)
            rows.append((driver.name, label, ours, raw))
    finally:
        await db.close()
        await driver.close()
    return rows


def print_table(rows: list[tuple[str, str, float, float]]) -> None:
    print(f"\n{'database':<10} {'case':<18} {'oxyde ops/s':>12} {'driver ops/s':>13} {'oxyde/driver':>13}")
    for name, label, ours, raw in rows:
        print(f"{name:<10} {label:<18} {ours:>12,.0f} {raw:>13,.0f} {ours / raw:>13.2f}")


async def main(selected: list[str]) -> int:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        drivers = {
            "sqlite": (SqliteDriver(path), f"sqlite:///{path}"),
            "postgres": (PostgresDriver(), URLS["postgres"]),
            "mysql": (MysqlDriver(), URLS["mysql"]),
        }
        for name in selected:
            if name not in drivers:
                print(f"unknown database {name!r}; choose from {', '.join(drivers)}", file=sys.stderr)
                return 2
            driver, url = drivers[name]
            print(f"benchmarking {name} ({SECONDS:g} s per case)...", flush=True)
            try:
                rows += await bench(driver, url)
            except Exception as exc:  # unreachable server or missing driver: report, go on
                print(f"  skipped {name}: {exc}", file=sys.stderr)
    print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1:] or ["sqlite", "postgres", "mysql"])))
