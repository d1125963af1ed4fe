"""The compiled glue on its own: argument errors, error classes, settings, exit."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import msgpack
import pytest

from oxyde import _core
from oxyde.core import errors

URLS = {
    "sqlite": "sqlite::memory:",
    "postgres": os.environ.get("OXYDE_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test"),
    "mysql": os.environ.get("OXYDE_TEST_MYSQL_URL", "mysql://root@127.0.0.1:3306/test"),
}


def raw(sql: str, *params: object) -> bytes:
    return msgpack.packb({"proto": _core.IR_VERSION, "op": "raw", "sql": sql, "params": list(params)})


def test_module_exposes_versions_and_every_bundled_dialect() -> None:
    assert _core.__version__
    assert _core.IR_VERSION == 1
    assert _core.list_dialects() == ["mysql", "postgres", "sqlite"]


def test_argument_of_the_wrong_type_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        _core.execute("x", 123)
    with pytest.raises(TypeError):
        _core.render("not bytes", "sqlite")


@pytest.mark.parametrize("junk", [b"", b"\x00\xff garbage", b"\x93\x01\x02", os.urandom(64)])
def test_random_bytes_as_ir_raise_invalid_ir(junk: bytes) -> None:
    with pytest.raises(errors.InvalidIRError):
        _core.render(junk, "sqlite")


def test_render_returns_python_values_and_refuses_unknown_dialects() -> None:
    ir = raw("x", msgpack.ExtType(1, b"1.50"), msgpack.ExtType(8, b'{"a": [1]}'), [1, b"b"])
    sql, params = _core.render(ir, "postgres")
    assert sql == "x"
    assert [str(params[0]), params[1], params[2]] == ["1.50", {"a": [1]}, [1, b"b"]]
    with pytest.raises(ValueError, match="unknown dialect"):
        _core.render(ir, "oracle")


async def test_settings_are_checked_before_any_io() -> None:
    with pytest.raises(ValueError, match="unknown pool setting 'bogus'"):
        await _core.init_pool("settings", "sqlite::memory:", {"bogus": 1})
    with pytest.raises(TypeError, match="max_connections"):
        await _core.init_pool("settings", "sqlite::memory:", {"max_connections": "ten"})
    with pytest.raises(ValueError, match="acquire_timeout"):
        await _core.init_pool("settings", "sqlite::memory:", {"acquire_timeout": -1.0})


async def test_database_errors_map_to_the_core_classes() -> None:
    await _core.init_pool("core_errors", "sqlite::memory:", {"max_connections": 1}, overwrite=True)
    try:
        await _core.execute("core_errors", raw("CREATE TABLE t (v TEXT UNIQUE)"))
        await _core.execute("core_errors", raw("INSERT INTO t VALUES ('a')"))
        with pytest.raises(errors.UniqueViolationError, match=r"^Query execution error: "):
            await _core.execute("core_errors", raw("INSERT INTO t VALUES ('a')"))
        with pytest.raises(errors.DatabaseError, match=r"^Query execution error: "):
            await _core.execute("core_errors", raw("SELECT nope FROM t"))
        with pytest.raises(RuntimeError, match="Pool 'core_errors' already exists"):
            await _core.init_pool("core_errors", "sqlite::memory:")
        with pytest.raises(errors.TransactionNotFoundError):
            await _core.commit_transaction(987654321)
    finally:
        await _core.close_pool("core_errors")


EXIT_SCRIPT = textwrap.dedent(
    """
    import asyncio, sys
    import msgpack
    from oxyde import _core

    async def main():
        await _core.init_pool("default", sys.argv[1])
        await _core.execute("default", msgpack.packb({"proto": 1, "op": "raw", "sql": "SELECT 1", "params": []}))
        await _core.begin_transaction("default")  # left open on purpose

    asyncio.run(main())
    """
)


@pytest.mark.parametrize("dialect", ["sqlite", "postgres", "mysql"])
def test_process_exits_cleanly_with_pools_left_open(dialect: str) -> None:
    # connections.md §8 Defect: this used to abort in up to 45 % of runs.
    for _ in range(15):
        done = subprocess.run([sys.executable, "-c", EXIT_SCRIPT, URLS[dialect]], capture_output=True, timeout=60)
        assert done.returncode == 0, done.stderr.decode()
