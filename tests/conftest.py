"""Shared fixtures: one ``database`` per dialect, with every registered table present and empty."""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from oxyde import db
from oxyde.db.pool import AsyncDatabase
from oxyde.db.schema import _enum_ops, dialect_of, drop_tables, foreign_key_ops, table_ops
from oxyde.db.transaction import AsyncTransaction
from oxyde.models.registry import finalize_pending, iter_tables, register_table, unregister_table

DIALECTS = ["sqlite", "postgres", "mysql"]
ENV_VARS = {"postgres": "OXYDE_TEST_POSTGRES_URL", "mysql": "OXYDE_TEST_MYSQL_URL"}
DEFAULT_URLS = {
    "postgres": "postgres://postgres@127.0.0.1:5432/test",
    "mysql": "mysql://root@127.0.0.1:3306/test",
}

# dialect -> table name -> model class whose table currently exists there
_CREATED: dict[str, dict[str, type]] = {}
_SQLITE_FILE: list[Path] = []


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--slow", action="store_true", help="also run tests marked slow (restarts, soaks)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--slow"):
        return
    skip = pytest.mark.skip(reason="slow: run with --slow (cargo xtask test --slow)")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(params=DIALECTS, ids=DIALECTS)
def dialect(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _reachable(url: str, default_port: int) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or default_port), timeout=2):
            return True
    except OSError:
        return False


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


async def _admin(url: str, sql: str) -> None:
    admin = AsyncDatabase(url, name="__oxyde_test_admin__", auto_register=False, overwrite=True)
    await admin.connect()
    try:
        await _raw(admin, sql)
    finally:
        await admin.disconnect()


@pytest.fixture(scope="session")
def isolated_urls() -> Iterator[dict[str, tuple[str, str]]]:
    """dialect -> (server URL, URL of a database private to this test session).

    Several sessions may share one server (parallel runs, other checkouts); each
    gets its own database so tables and rows never collide. Set
    ``OXYDE_TEST_ISOLATE=0`` to use the configured database directly.
    """
    made: dict[str, tuple[str, str]] = {}
    yield made
    for dialect, (server, private) in made.items():
        if server == private:
            continue
        name = urlsplit(private).path.lstrip("/")
        quoted = f"`{name}`" if dialect == "mysql" else f'"{name}"'
        extra = " WITH (FORCE)" if dialect == "postgres" else ""
        try:
            asyncio.run(_admin(server, f"DROP DATABASE IF EXISTS {quoted}{extra}"))
        except Exception:  # cleanup only
            pass


def _private_url(dialect: str, url: str, made: dict[str, tuple[str, str]]) -> str:
    if dialect in made:
        return made[dialect][1]
    private = url
    if os.environ.get("OXYDE_TEST_ISOLATE", "1") != "0":
        base = urlsplit(url).path.lstrip("/") or "test"
        name = f"{base}_s{os.getpid()}"
        quoted = f"`{name}`" if dialect == "mysql" else f'"{name}"'
        try:
            asyncio.run(_admin(url, f"CREATE DATABASE {quoted}"))
            private = _with_database(url, name)
        except Exception:  # no CREATE DATABASE right: share the configured one
            private = url
    made[dialect] = (url, private)
    return private


@pytest.fixture
def database_url(
    dialect: str, tmp_path_factory: pytest.TempPathFactory, isolated_urls: dict[str, tuple[str, str]]
) -> str:
    """The URL of the test database for ``dialect``; fails (never skips) when unreachable."""
    if dialect == "sqlite":
        if not _SQLITE_FILE:
            _SQLITE_FILE.append(tmp_path_factory.mktemp("sqlite") / "t.db")
        return f"sqlite:///{_SQLITE_FILE[0]}"  # an absolute path: four slashes
    var = ENV_VARS[dialect]
    url = os.environ.get(var, DEFAULT_URLS[dialect])
    if not _reachable(url, 5432 if dialect == "postgres" else 3306):
        pytest.fail(f"{dialect} test server unreachable at {url}; set {var} to a reachable database URL")
    return _private_url(dialect, url, isolated_urls)


def _quote(name: str, dialect: str) -> str:
    return f"`{name}`" if dialect == "mysql" else f'"{name}"'


async def _raw(database: AsyncDatabase | AsyncTransaction, sql: str) -> None:
    await database.execute({"proto": 1, "op": "raw", "sql": sql, "params": []})


async def prepare_tables(database: AsyncDatabase) -> None:
    """Create tables of models not seen yet on this dialect (dropping stale ones), empty the rest."""
    finalize_pending()
    dialect = dialect_of(database)
    created = _CREATED.setdefault(dialect, {})
    if not created:
        await drop_tables(database)  # leftovers of an earlier session
    models = [m for m in iter_tables() if created.get(m.get_table_name()) is not m]
    if dialect == "postgres":
        for op in _enum_ops(tuple(models)):
            await database.execute(op)
    for model in models:
        table = model.get_table_name()
        drop = f"DROP TABLE IF EXISTS {_quote(table, dialect)}" + (" CASCADE" if dialect == "postgres" else "")
        await _raw(database, drop)
        for op in table_ops(model, dialect):
            await database.execute(op)
        created[table] = model
    for model in models:  # foreign keys once every table they reference exists
        for op in foreign_key_ops(model, dialect):
            await database.execute(op)
    fresh = {m.get_table_name() for m in models}
    dirty = [t for t in created if t not in fresh]
    if not dirty:
        return
    if dialect == "postgres":
        await _raw(database, "TRUNCATE " + ", ".join(_quote(t, dialect) for t in dirty) + " RESTART IDENTITY CASCADE")
        return
    # rows may reference each other: check foreign keys at commit (SQLite) or not at all (MySQL)
    async with AsyncTransaction(database) as tx:
        await _raw(tx, "PRAGMA defer_foreign_keys = ON" if dialect == "sqlite" else "SET FOREIGN_KEY_CHECKS = 0")
        for table in dirty:
            await _raw(tx, f"DELETE FROM {_quote(table, dialect)}")
        if dialect == "mysql":
            await _raw(tx, "SET FOREIGN_KEY_CHECKS = 1")


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[AsyncDatabase]:
    """A connected ``default`` pool whose registered tables exist and are empty."""
    try:
        await db.init(default=database_url)
    except RuntimeError as exc:
        var = ENV_VARS.get(database_url.split(":", 1)[0].replace("postgresql", "postgres"), "the test URL")
        pytest.fail(f"cannot connect to {database_url}: {exc}; set {var} to a reachable database URL")
    conn = await db.get_connection("default")
    try:
        await prepare_tables(conn)
        yield conn
    finally:
        await db.close()


@pytest.fixture
def isolated_registry() -> Iterator[None]:
    """No registered table models during the test (it registers its own); the originals come back after."""
    saved = iter_tables()
    for model in saved:
        unregister_table(model)
    yield
    for model in iter_tables():
        unregister_table(model)
    for model in saved:
        register_table(model)
