"""db.init / close / connect / lifespan, AsyncDatabase, PoolSettings and the registry."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from oxyde import AsyncDatabase, PoolSettings, db, execute_raw, get_connection, register_connection
from oxyde.db.pool import close_all_pools
from oxyde.db.registry import registered_connections, unregister_connection
from oxyde.exceptions import ConnectionLostError


def test_pool_settings_defaults_and_payload() -> None:
    settings = PoolSettings()
    assert settings.max_connections is None and settings.transaction_timeout == 300
    assert settings.to_payload() == {
        "transaction_timeout": 300.0,
        "transaction_cleanup_interval": 60.0,
        "sqlite_journal_mode": "WAL",
        "sqlite_synchronous": "NORMAL",
        "sqlite_cache_size": 10000,
        "sqlite_busy_timeout": 5000,
    }
    custom = PoolSettings(
        max_connections=5,
        acquire_timeout=timedelta(milliseconds=1500),
        idle_timeout=2,
        ssl_mode="require",
        transaction_timeout=None,
        transaction_cleanup_interval=None,
        sqlite_journal_mode=None,
        sqlite_synchronous=None,
        sqlite_cache_size=None,
        sqlite_busy_timeout=None,
    )
    assert custom.to_payload() == {
        "max_connections": 5,
        "acquire_timeout": 1.5,
        "idle_timeout": 2.0,
        "ssl_mode": "require",
    }
    empty = PoolSettings(
        transaction_timeout=None,
        transaction_cleanup_interval=None,
        sqlite_journal_mode=None,
        sqlite_synchronous=None,
        sqlite_cache_size=None,
        sqlite_busy_timeout=None,
    )
    assert empty.to_payload() is None


def test_pool_settings_duration_errors() -> None:
    with pytest.raises(ValueError, match="Duration must be non-negative, got -1"):
        PoolSettings(idle_timeout=-1).to_payload()
    with pytest.raises(TypeError, match="Duration value must be int, float, or timedelta, got str"):
        PoolSettings(max_lifetime="5").to_payload()  # type: ignore[arg-type]


async def test_url_prefix_check() -> None:
    with pytest.raises(ValueError, match="Unsupported database URL 'oracle://x'"):
        AsyncDatabase("oracle://x", auto_register=False)
    for url in ("postgresql://h/d", "postgres://h/d", "mysql://h/d", "mariadb://h/d", "sqlite::memory:"):
        assert AsyncDatabase(url, auto_register=False).url == url


async def test_before_connect() -> None:
    conn = AsyncDatabase("sqlite::memory:", name="t_before", auto_register=False)
    assert conn.backend is None and not conn.connected
    with pytest.raises(RuntimeError, match=r"Database .t_before. not connected\. Call connect\(\) first\."):
        await conn.execute({"proto": 1, "op": "raw", "sql": "SELECT 1", "params": []})
    await conn.disconnect()  # idempotent, no error


async def test_registry_errors_and_get_connection() -> None:
    first = AsyncDatabase("sqlite::memory:", name="t_reg")
    try:
        with pytest.raises(ValueError, match="Connection 't_reg' already registered"):
            AsyncDatabase("sqlite::memory:", name="t_reg")
        with pytest.raises(ValueError, match="already registered"):
            register_connection(first)
        assert register_connection(first, overwrite=True) is first
        got = await get_connection("t_reg", ensure_connected=False)
        assert got is first and not got.connected
        got = await get_connection("t_reg")
        assert got.connected and got.backend == "sqlite"
        with pytest.raises(KeyError, match="Connection 'nope' is not registered"):
            await get_connection("nope")
    finally:
        await first.disconnect()
        unregister_connection("t_reg")
    unregister_connection("t_reg")  # silent when absent


async def test_init_requires_an_alias() -> None:
    with pytest.raises(ValueError, match="At least one database URL required"):
        await db.init()


async def test_init_close_and_reinit(database_url: str) -> None:
    await db.init(default=database_url, other="sqlite::memory:")
    try:
        default = await get_connection()
        assert default.backend in ("sqlite", "postgres", "mysql")
        assert (await get_connection("other")).backend == "sqlite"
        rows = await execute_raw("SELECT 1 AS one")
        assert [dict(r) for r in rows] == [{"one": 1}]
        await db.init(default=database_url)  # re-init replaces the registration and the pool
        assert (await get_connection()) is not default
    finally:
        await db.close()
    assert registered_connections() == {}
    with pytest.raises(KeyError):
        await get_connection()


async def test_init_failure_disconnects_opened_pools(tmp_path: Path) -> None:
    good = f"sqlite:///{tmp_path / 'ok.db'}"
    with pytest.raises(RuntimeError):
        await db.init(settings=PoolSettings(acquire_timeout=0.5), a=good, b="postgres://nobody@127.0.0.1:1/none")
    try:
        assert not registered_connections()["a"].connected
    finally:
        await db.close()


async def test_connect_context_manager(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ctx.db'}"
    async with db.connect(url, name="t_ctx") as conn:
        assert conn.connected and registered_connections()["t_ctx"] is conn
        await execute_raw("CREATE TABLE c (x INTEGER)", using="t_ctx")
    assert "t_ctx" not in registered_connections() and not conn.connected
    assert (tmp_path / "ctx.db").exists()


async def test_async_database_as_context_manager() -> None:
    conn = AsyncDatabase("sqlite::memory:", name="t_cm", auto_register=False)
    async with conn as entered:
        assert entered is conn and conn.connected
        await conn.connect()  # idempotent
    assert not conn.connected


async def test_lifespan(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'life.db'}"
    async with db.lifespan(default=url)(object()):
        assert (await get_connection()).connected
    assert registered_connections() == {}


async def test_duplicate_core_pool_without_overwrite() -> None:
    a = AsyncDatabase("sqlite::memory:", name="t_dup", auto_register=False)
    b = AsyncDatabase("sqlite::memory:", name="t_dup", auto_register=False)
    await a.connect()
    try:
        with pytest.raises(RuntimeError, match="already exists"):
            await b.connect()
    finally:
        await a.disconnect()


async def test_sqlite_memory_urls_and_relative_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for i, url in enumerate(("sqlite::memory:", "sqlite:///:memory:", "sqlite:///rel.db")):
        async with db.connect(url, name=f"t_url{i}"):
            await execute_raw("CREATE TABLE t (x INTEGER)", using=f"t_url{i}")
    assert (tmp_path / "rel.db").exists()
    assert not Path("/:memory:").exists()  # noqa: ASYNC240 - a one-off stat in a test


async def test_bad_server_is_runtime_error() -> None:
    fast = PoolSettings(acquire_timeout=0.5)
    conn = AsyncDatabase("postgres://nobody@127.0.0.1:1/none", name="t_bad", settings=fast, auto_register=False)
    with pytest.raises(RuntimeError):
        await conn.connect()
    assert not conn.connected


@pytest.mark.parametrize("url", ["postgres://nobody:pw@127.0.0.1:1/none", "mysql://root:pw@127.0.0.1:1/none"])
async def test_refused_connection_fails_at_once_with_its_cause(url: str) -> None:
    """With the default 30 s acquire timeout, a port nobody listens on is a prompt connection
    error naming the refusal, not a pool timeout half a minute later."""
    conn = AsyncDatabase(url, name="t_refused", auto_register=False, overwrite=True)
    loop = asyncio.get_running_loop()
    start = loop.time()
    with pytest.raises(ConnectionLostError, match="Connection refused"):
        await conn.connect()
    assert loop.time() - start < 5
    assert not conn.connected


async def test_close_all_pools_is_safe() -> None:
    await close_all_pools()


def test_process_with_open_pool_exits_cleanly(tmp_path: Path) -> None:
    """A script that never closes its pool still exits with its own status."""
    script = tmp_path / "open_pool.py"
    script.write_text(
        "import asyncio, sys\n"
        "from oxyde import db, execute_raw\n"
        "async def main():\n"
        f"    await db.init(default='sqlite:///{tmp_path / 'x.db'}')\n"
        "    await execute_raw('SELECT 1')\n"
        "asyncio.run(main())\n"
        "sys.exit(3)\n"
    )
    for _ in range(5):
        proc = subprocess.run([sys.executable, str(script)], capture_output=True, timeout=60)
        assert proc.returncode == 3, proc.stderr.decode()
