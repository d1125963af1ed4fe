"""The raw async drivers (aiosqlite, asyncpg, asyncmy): the baseline, the seeding and the server-side probes.

The baseline does by hand what an ORM does for each workload, the fastest
idiomatic way: one connection for sequential work (no pool round trip), a pool
of POOL_SIZE for the concurrent workloads, prepared statements where the driver
caches them, and tuples/records instead of objects.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections import defaultdict
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import common as c

USER_COLS = "id, name, email, age, active"
POST_COLS = "id, author_id, title, body, views, published"
JOIN_COLS = "p.id, p.author_id, p.title, p.body, p.views, p.published, u.id, u.name, u.email, u.age, u.active"
INSERT_USER = "INSERT INTO users (name, email, age, active) VALUES (%s, %s, %s, %s)"
BIG_TABLE = "big_rows"

SCHEMA = {
    "sqlite": [
        "CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, name VARCHAR(100) NOT NULL, "
        "email VARCHAR(200) NOT NULL, age INTEGER NOT NULL, active BOOLEAN NOT NULL)",
        "CREATE TABLE posts (id INTEGER PRIMARY KEY AUTOINCREMENT, author_id INTEGER REFERENCES users (id), "
        "title VARCHAR(200) NOT NULL, body TEXT NOT NULL, views INTEGER NOT NULL, published BOOLEAN NOT NULL)",
        "CREATE TABLE tags (id INTEGER PRIMARY KEY AUTOINCREMENT, name VARCHAR(50) NOT NULL)",
        "CREATE TABLE post_tags (id INTEGER PRIMARY KEY AUTOINCREMENT, post_id INTEGER REFERENCES posts (id), "
        "tag_id INTEGER REFERENCES tags (id))",
    ],
    "postgres": [
        "CREATE TABLE users (id SERIAL PRIMARY KEY, name VARCHAR(100) NOT NULL, email VARCHAR(200) NOT NULL, "
        "age INTEGER NOT NULL, active BOOLEAN NOT NULL)",
        "CREATE TABLE posts (id SERIAL PRIMARY KEY, author_id INTEGER REFERENCES users (id), "
        "title VARCHAR(200) NOT NULL, body TEXT NOT NULL, views INTEGER NOT NULL, published BOOLEAN NOT NULL)",
        "CREATE TABLE tags (id SERIAL PRIMARY KEY, name VARCHAR(50) NOT NULL)",
        "CREATE TABLE post_tags (id SERIAL PRIMARY KEY, post_id INTEGER REFERENCES posts (id), "
        "tag_id INTEGER REFERENCES tags (id))",
    ],
    "mysql": [
        "CREATE TABLE users (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(100) NOT NULL, "
        "email VARCHAR(200) NOT NULL, age INT NOT NULL, active BOOLEAN NOT NULL)",
        "CREATE TABLE posts (id INT AUTO_INCREMENT PRIMARY KEY, author_id INT, title VARCHAR(200) NOT NULL, "
        "body TEXT NOT NULL, views INT NOT NULL, published BOOLEAN NOT NULL, "
        "FOREIGN KEY (author_id) REFERENCES users (id))",
        "CREATE TABLE tags (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(50) NOT NULL)",
        "CREATE TABLE post_tags (id INT AUTO_INCREMENT PRIMARY KEY, post_id INT, tag_id INT, "
        "FOREIGN KEY (post_id) REFERENCES posts (id), FOREIGN KEY (tag_id) REFERENCES tags (id))",
    ],
}
INDEXES = [
    "CREATE INDEX ix_posts_author ON posts (author_id)",
    "CREATE INDEX ix_post_tags_post ON post_tags (post_id)",
    "CREATE INDEX ix_post_tags_tag ON post_tags (tag_id)",
]
BIG_SCHEMA = {
    "sqlite": f"CREATE TABLE {BIG_TABLE} (id INTEGER PRIMARY KEY, name VARCHAR(50) NOT NULL, score INTEGER NOT NULL, "
    "active BOOLEAN NOT NULL)",
    "postgres": f"CREATE TABLE {BIG_TABLE} (id INTEGER PRIMARY KEY, name VARCHAR(50) NOT NULL, "
    "score INTEGER NOT NULL, active BOOLEAN NOT NULL)",
    "mysql": f"CREATE TABLE {BIG_TABLE} (id INT PRIMARY KEY, name VARCHAR(50) NOT NULL, score INT NOT NULL, "
    "active BOOLEAN NOT NULL)",
}
BIG_FILL = {  # server-side generation: 1M rows in seconds, no client round trips
    "sqlite": "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < {rows}) "
    f"INSERT INTO {BIG_TABLE} SELECT x, 'row' || x, x % 1000, x % 2 FROM n",
    "postgres": f"INSERT INTO {BIG_TABLE} SELECT g, 'row' || g, g % 1000, g % 2 = 0 "
    "FROM generate_series(1, {rows}) g",
    "mysql": f"INSERT INTO {BIG_TABLE} SELECT seq, CONCAT('row', seq), seq % 1000, seq % 2 FROM seq_1_to_{{rows}}",
}


def affected(status: Any) -> int:
    """Rows affected, from asyncpg's status string or a DB-API rowcount."""
    if isinstance(status, str):
        last = status.rsplit(" ", 1)[-1]
        return int(last) if last.isdigit() else 0
    return int(status)


class Raw:
    """One database through its raw driver; subclasses give the connection calls."""

    name: str
    placeholder_style = "%s"

    def __init__(self, url: str) -> None:
        self.url = url

    # -- driver calls: subclasses -------------------------------------------------

    async def connect(self) -> None:
        raise NotImplementedError

    async def open_pool(self) -> None:
        raise NotImplementedError

    async def close(self) -> None:
        raise NotImplementedError

    async def execute(self, sql: str, *args: Any) -> int:
        raise NotImplementedError

    async def insert_id(self, sql: str, *args: Any) -> int:
        raise NotImplementedError

    async def executemany(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        raise NotImplementedError

    async def fetchone(self, sql: str, *args: Any) -> Any:
        raise NotImplementedError

    async def fetchall(self, sql: str, *args: Any) -> list[Any]:
        raise NotImplementedError

    async def pool_fetchone(self, sql: str, *args: Any) -> Any:
        raise NotImplementedError

    async def stream_count(self, sql: str, batch: int) -> int:
        raise NotImplementedError

    async def server_connections(self) -> int | None:
        return None

    def sql(self, text: str) -> str:
        """``%s`` markers in the driver's placeholder style."""
        if self.placeholder_style == "$n":
            counter = iter(range(1, 10_000))
            return re.sub(r"%s", lambda _: f"${next(counter)}", text)
        if self.placeholder_style == "?":
            return text.replace("%s", "?")
        return text

    # -- setup ---------------------------------------------------------------------

    async def seed(self) -> None:
        for table in ("post_tags", "posts", "tags", "users"):
            await self.execute(f"DROP TABLE IF EXISTS {table}")
        for ddl in [*SCHEMA[self.name], *INDEXES]:
            await self.execute(ddl)
        await self.load(
            "users", ("id", "name", "email", "age", "active"), [c.user_row(u) for u in range(1, c.USERS + 1)]
        )
        await self.load(
            "posts",
            ("id", "author_id", "title", "body", "views", "published"),
            [c.post_row(p) for p in range(1, c.POSTS + 1)],
        )
        await self.load("tags", ("id", "name"), [(t, f"tag{t}") for t in range(1, c.TAGS + 1)])
        pairs = [pair for p in range(1, c.POSTS + 1) for pair in c.post_tag_rows(p)]
        await self.load("post_tags", ("id", "post_id", "tag_id"), [(n, *pair) for n, pair in enumerate(pairs, 1)])
        await self.after_seed()
        for table in ("users", "posts", "tags", "post_tags"):  # planner statistics, as a live database has
            await self.execute(f"ANALYZE TABLE {table}" if self.name == "mysql" else f"ANALYZE {table}")

    async def load(self, table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
        marks = ", ".join(["%s"] * len(columns))
        await self.executemany(self.sql(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"), rows)

    async def after_seed(self) -> None:
        """Sequences must continue after the explicit ids (PostgreSQL)."""

    async def seed_big(self, rows: int) -> None:
        await self.execute(f"DROP TABLE IF EXISTS {BIG_TABLE}")
        await self.execute(BIG_SCHEMA[self.name])
        await self.execute(BIG_FILL[self.name].format(rows=int(rows)))

    async def add_deletable(self, first: int, count: int) -> None:
        """Users delete_single removes, inserted outside the timed region."""
        rows = [(c.DELETE_BASE_ID + n, f"del{n}", f"del{n}@example.com", 50, True) for n in range(first, first + count)]
        await self.executemany(
            self.sql("INSERT INTO users (id, name, email, age, active) VALUES (%s, %s, %s, %s, %s)"), rows
        )

    # -- workloads -----------------------------------------------------------------

    def operations(self) -> dict[str, Callable[[int], Awaitable[Any]]]:
        q = self.sql
        sel_pk = q(f"SELECT {USER_COLS} FROM users WHERE id = %s")
        sel_filter = q(f"SELECT {USER_COLS} FROM users WHERE age >= %s AND age <= %s")
        sel_simple = q(f"SELECT {POST_COLS} FROM posts WHERE author_id = %s AND published = %s")
        sel_complex = q(
            f"SELECT {USER_COLS} FROM users WHERE id <= 300 AND (age < %s OR age > %s) AND NOT (active = %s)"
        )
        sel_in = q(f"SELECT {USER_COLS} FROM users WHERE id IN ({', '.join(['%s'] * 20)})")
        sel_page = q(f"SELECT {USER_COLS} FROM users WHERE active = %s ORDER BY age DESC, id LIMIT 10 OFFSET %s")
        sel_count = q("SELECT COUNT(*) FROM users WHERE age >= %s")
        sel_groups = q(
            "SELECT author_id, COUNT(id) AS n, SUM(views) AS total, AVG(views) AS avg, MAX(views) AS mx "
            "FROM posts WHERE author_id <= %s GROUP BY author_id"
        )
        sel_join = q(
            f"SELECT {JOIN_COLS} FROM posts p LEFT JOIN users u ON u.id = p.author_id WHERE p.id >= %s AND p.id < %s"
        )
        sel_join_filter = q(
            f"SELECT {JOIN_COLS} FROM posts p LEFT JOIN users u ON u.id = p.author_id "
            "WHERE u.name = %s AND p.published = %s"
        )
        sel_users_range = q(f"SELECT {USER_COLS} FROM users WHERE id >= %s AND id < %s")
        insert = q(INSERT_USER)
        update_one = q("UPDATE users SET age = %s WHERE id = %s")
        update_many = q("UPDATE posts SET views = views + 1 WHERE author_id = %s")
        delete_one = q("DELETE FROM users WHERE id = %s")

        def in_list(n: int) -> str:
            return ", ".join(["%s"] * n)

        async def posts_of(users: list[Any]) -> dict[int, list[Any]]:
            ids = [u[0] for u in users]
            by_author: dict[int, list[Any]] = defaultdict(list)
            for p in await self.fetchall(
                q(f"SELECT {POST_COLS} FROM posts WHERE author_id IN ({in_list(len(ids))})"), *ids
            ):
                by_author[p[1]].append(p)
            return by_author

        async def prefetch(i: int) -> Any:
            first = c.prefetch_first(i)
            users = await self.fetchall(sel_users_range, first, first + 10)
            by_author = await posts_of(users)
            return [(u, by_author.get(u[0], [])) for u in users]

        async def nested(i: int) -> Any:
            first = c.nested_first(i)
            users = await self.fetchall(sel_users_range, first, first + 5)
            by_author = await posts_of(users)
            post_ids = [p[0] for ps in by_author.values() for p in ps]
            by_post: dict[int, list[Any]] = defaultdict(list)
            sql = q(
                "SELECT t.id, t.name, pt.post_id FROM post_tags pt JOIN tags t ON t.id = pt.tag_id "
                f"WHERE pt.post_id IN ({in_list(len(post_ids))}) ORDER BY pt.id"
            )
            for t in await self.fetchall(sql, *post_ids):
                by_post[t[2]].append(t)
            return [(u, [(p, by_post.get(p[0], [])) for p in by_author.get(u[0], [])]) for u in users]

        async def count(i: int) -> Any:
            row = await self.fetchone(sel_count, c.count_age(i))
            return row[0]

        def concurrent(n: int) -> Callable[[int], Awaitable[Any]]:
            async def run(i: int) -> Any:
                return await asyncio.gather(*(self.pool_fetchone(sel_pk, c.pk(i * n + k)) for k in range(n)))

            return run

        async def insert_bulk(i: int) -> Any:
            rows = [c.new_user(i * 100 + k, "bulk") for k in range(100)]
            await self.executemany(insert, rows)
            return len(rows)

        ops: dict[str, Callable[[int], Awaitable[Any]]] = {
            "select_pk": lambda i: self.fetchone(sel_pk, c.pk(i)),
            "select_filter": lambda i: self.fetchall(sel_filter, c.age_from(i), c.age_from(i) + 5),
            "filter_simple": lambda i: self.fetchall(sel_simple, c.author_of(i), True),
            "filter_complex": lambda i: self.fetchall(sel_complex, c.complex_age(i), c.complex_age(i) + 40, False),
            "filter_in": lambda i: self.fetchall(sel_in, *c.in_ids(i)),
            "order_limit": lambda i: self.fetchall(sel_page, True, c.page(i)),
            "aggregate_count": count,
            "aggregate_mixed": lambda i: self.fetchall(sel_groups, c.group_users(i)),
            "join_simple": lambda i: self.fetchall(sel_join, c.post_window(i), c.post_window(i) + 20),
            "join_filter": lambda i: self.fetchall(sel_join_filter, f"user{c.author_of(i)}", True),
            "prefetch_related": prefetch,
            "nested_prefetch": nested,
            "insert_single": lambda i: self.insert_id(insert, *c.new_user(i)),
            "insert_bulk_100": insert_bulk,
            "update_single": lambda i: self.execute(update_one, c.new_age(i), c.pk(i)),
            "update_bulk": lambda i: self.execute(update_many, c.author_of(i)),
            "delete_single": lambda i: self.execute(delete_one, c.DELETE_BASE_ID + i),
        }
        for n in c.CONCURRENCY:
            ops[f"concurrent_{n}"] = concurrent(n)
        return ops


class SqliteRaw(Raw):
    name = "sqlite"
    placeholder_style = "?"

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.path = Path(url.removeprefix("sqlite:///"))
        self.pool: asyncio.Queue[Any] | None = None

    async def _open(self) -> Any:
        import aiosqlite

        conn = await aiosqlite.connect(self.path, isolation_level=None)  # autocommit, like the ORMs
        await conn.execute("PRAGMA journal_mode = WAL")
        await conn.execute("PRAGMA synchronous = NORMAL")
        await conn.execute("PRAGMA busy_timeout = 5000")
        await conn.execute("PRAGMA foreign_keys = ON")  # Oxyde's and Tortoise's default too
        return conn

    async def connect(self) -> None:
        self.conn = await self._open()

    async def open_pool(self) -> None:
        # aiosqlite has no pool; POOL_SIZE connections in a queue are the by-hand equivalent.
        self.pool = asyncio.Queue()
        for _ in range(c.POOL_SIZE):
            self.pool.put_nowait(await self._open())

    async def close(self) -> None:
        await self.conn.close()
        while self.pool is not None and not self.pool.empty():
            await self.pool.get_nowait().close()

    async def execute(self, sql: str, *args: Any) -> int:
        cur = await self.conn.execute(sql, args)
        return cur.rowcount

    async def insert_id(self, sql: str, *args: Any) -> int:
        cur = await self.conn.execute(sql, args)
        return cur.lastrowid

    async def executemany(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        # One transaction, as an ORM's bulk insert does.
        await self.conn.execute("BEGIN")
        await self.conn.executemany(sql, rows)
        await self.conn.execute("COMMIT")

    async def fetchone(self, sql: str, *args: Any) -> Any:
        async with self.conn.execute(sql, args) as cur:
            return await cur.fetchone()

    async def fetchall(self, sql: str, *args: Any) -> list[Any]:
        async with self.conn.execute(sql, args) as cur:
            return list(await cur.fetchall())

    async def pool_fetchone(self, sql: str, *args: Any) -> Any:
        assert self.pool is not None
        conn = await self.pool.get()
        try:
            async with conn.execute(sql, args) as cur:
                return await cur.fetchone()
        finally:
            self.pool.put_nowait(conn)

    async def stream_count(self, sql: str, batch: int) -> int:
        n = 0
        async with self.conn.execute(sql) as cur:
            while rows := await cur.fetchmany(batch):
                n += len(rows)
        return n


class PostgresRaw(Raw):
    name = "postgres"
    placeholder_style = "$n"
    pool: Any = None

    async def connect(self) -> None:
        import asyncpg

        self.conn = await asyncpg.connect(self.url)

    async def open_pool(self) -> None:
        import asyncpg

        async def keep_session(_conn: Any) -> None:
            """asyncpg resets a session on release with an extra round trip; none is needed here."""

        self.pool = await asyncpg.create_pool(self.url, min_size=c.POOL_SIZE, max_size=c.POOL_SIZE, reset=keep_session)

    async def close(self) -> None:
        await self.conn.close()
        if self.pool is not None:
            await self.pool.close()

    async def execute(self, sql: str, *args: Any) -> int:
        return affected(await self.conn.execute(sql, *args))

    async def insert_id(self, sql: str, *args: Any) -> int:
        return await self.conn.fetchval(sql + " RETURNING id", *args)

    async def executemany(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        await self.conn.executemany(sql, rows)

    async def load(self, table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
        await self.conn.copy_records_to_table(table, records=rows, columns=list(columns))

    async def after_seed(self) -> None:
        for table in ("users", "posts", "tags", "post_tags"):
            await self.conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
            )

    async def fetchone(self, sql: str, *args: Any) -> Any:
        return await self.conn.fetchrow(sql, *args)

    async def fetchall(self, sql: str, *args: Any) -> list[Any]:
        return await self.conn.fetch(sql, *args)

    async def pool_fetchone(self, sql: str, *args: Any) -> Any:
        return await self.pool.fetchrow(sql, *args)

    async def stream_count(self, sql: str, batch: int) -> int:
        n = 0
        async with self.conn.transaction():
            async for _row in self.conn.cursor(sql, prefetch=batch):
                n += 1
        return n

    async def server_connections(self) -> int | None:
        return await self.conn.fetchval(
            "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


def mysql_params(url: str) -> dict[str, Any]:
    parts = urlsplit(url)
    return {
        "host": parts.hostname or "127.0.0.1",
        "port": parts.port or 3306,
        "user": unquote(parts.username or "root"),
        "password": unquote(parts.password or ""),
        "db": parts.path.lstrip("/"),
        "autocommit": True,
    }


class MysqlRaw(Raw):
    name = "mysql"
    pool: Any = None

    async def connect(self) -> None:
        import asyncmy

        # DROP TABLE IF EXISTS on a fresh database warns; the warning says nothing here.
        logging.getLogger("asyncmy").setLevel(logging.ERROR)
        self.conn = await asyncmy.connect(**mysql_params(self.url))

    async def open_pool(self) -> None:
        import asyncmy

        self.pool = await asyncmy.create_pool(minsize=c.POOL_SIZE, maxsize=c.POOL_SIZE, **mysql_params(self.url))

    async def close(self) -> None:
        self.conn.close()
        if self.pool is not None:
            self.pool.close()
            await self.pool.wait_closed()

    async def execute(self, sql: str, *args: Any) -> int:
        async with self.conn.cursor() as cur:
            return await cur.execute(sql, args or None)

    async def insert_id(self, sql: str, *args: Any) -> int:
        async with self.conn.cursor() as cur:
            await cur.execute(sql, args)
            return cur.lastrowid

    async def executemany(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        async with self.conn.cursor() as cur:
            await cur.executemany(sql, rows)  # asyncmy folds these into multi-row INSERTs

    async def fetchone(self, sql: str, *args: Any) -> Any:
        async with self.conn.cursor() as cur:
            await cur.execute(sql, args)
            return await cur.fetchone()

    async def fetchall(self, sql: str, *args: Any) -> list[Any]:
        async with self.conn.cursor() as cur:
            await cur.execute(sql, args)
            return list(await cur.fetchall())

    async def pool_fetchone(self, sql: str, *args: Any) -> Any:
        async with self.pool.acquire() as conn, conn.cursor() as cur:
            await cur.execute(sql, args)
            return await cur.fetchone()

    async def stream_count(self, sql: str, batch: int) -> int:
        from asyncmy.cursors import SSCursor

        n = 0
        async with self.conn.cursor(SSCursor) as cur:
            await cur.execute(sql)
            while rows := await cur.fetchmany(batch):
                n += len(rows)
        return n

    async def server_connections(self) -> int | None:
        row = await self.fetchone(
            "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND ID <> CONNECTION_ID()"
        )
        return int(row[0])


async def ensure_database(database: str, name: str = c.BENCH_DB) -> str:
    """The URL of one of the bench's own databases on a shared server, created if missing."""
    server = c.SERVER_URLS[database]
    url = urlsplit(server)._replace(path=f"/{name}").geturl()
    admin = driver_for(database, server)
    await admin.connect()
    try:
        if database == "postgres":
            if not await admin.conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
                await admin.execute(f"CREATE DATABASE {name}")
        else:
            await admin.execute(f"CREATE DATABASE IF NOT EXISTS {name}")
    finally:
        await admin.close()
    return url


def driver_for(database: str, url: str) -> Raw:
    return {"sqlite": SqliteRaw, "postgres": PostgresRaw, "mysql": MysqlRaw}[database](url)


async def open_implementation(database: str, url: str) -> tuple[dict[str, Callable[[int], Awaitable[Any]]], Any]:
    raw = driver_for(database, url)
    await raw.connect()
    await raw.open_pool()
    return raw.operations(), raw.close
