"""Item 7: a password in a connection URL never shows in exception messages, reprs, logs or CLI output."""

from __future__ import annotations

import logging
import subprocess
import sys
import traceback
from collections.abc import Callable
from pathlib import Path

import pytest

from oxyde import AsyncDatabase, PoolSettings, db, execute_raw
from oxyde.db.pool import redact_url

SECRET = "Pw-9f3c1e-secret"
OXYDE = Path(sys.executable).parent / "oxyde"
FAST = PoolSettings(acquire_timeout=1, ssl_root_cert="/etc/ssl/ca.pem")

# Each URL fails at construction or connect, on a different error path.
FAILING = {
    "pg port closed": f"postgres://alice:{SECRET}@127.0.0.1:1/db",
    "pg host unknown": f"postgresql://alice:{SECRET}@no-such-host.invalid/db",
    "pg unknown role": f"postgres://nobody_rel:{SECRET}@127.0.0.1:5432/test",
    "pg bad port": f"postgres://alice:{SECRET}@127.0.0.1:notaport/db",
    "pg bad ssl mode": f"postgres://alice:{SECRET}@127.0.0.1:5432/db?sslmode=bogus",
    "pg password in query": f"postgres://127.0.0.1:1/db?user=alice&password={SECRET}",
    "mysql wrong password": f"mysql://root:{SECRET}@127.0.0.1:3306/test",
    "mysql port closed": f"mysql://alice:{SECRET}@127.0.0.1:1/test",
    "mysql bad port": f"mysql://alice:{SECRET}@127.0.0.1:abc/test",
    "mysql bad ssl mode": f"mysql://alice:{SECRET}@127.0.0.1:3306/test?ssl-mode=bogus",
    "unknown scheme": f"postgresx://alice:{SECRET}@127.0.0.1/db",
    "unsupported prefix": f"oracle://alice:{SECRET}@db.example/orcl",
    "sqlite unopenable": f"sqlite://alice:{SECRET}@/no/such/dir/x.db",
}


def everything_shown(exc: BaseException) -> str:
    """str, repr and the formatted traceback of ``exc`` and its whole cause/context chain."""
    parts = ["".join(traceback.format_exception(exc))]
    seen: BaseException | None = exc
    while seen is not None:
        parts += [str(seen), repr(seen)]
        seen = seen.__cause__ or seen.__context__
    return "\n".join(parts)


@pytest.mark.parametrize("case", FAILING)
async def test_failing_url_never_shows_the_password(case: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with pytest.raises((ValueError, RuntimeError)) as info:
        database = AsyncDatabase(FAILING[case], name="rel_secret", settings=FAST, auto_register=False)
        assert SECRET not in repr(database) and SECRET not in str(database)
        await database.connect()
    shown = everything_shown(info.value)
    assert str(info.value).strip(), "the error must still say what failed"
    assert SECRET not in shown, shown
    assert SECRET not in caplog.text
    assert all(SECRET not in str(r.args) for r in caplog.records)


async def test_connected_pool_with_a_password_keeps_it_out_of_logs_and_errors(
    caplog: pytest.LogCaptureFixture, report_figure: Callable[[str, str], None]
) -> None:
    # The shared PostgreSQL trusts local connections, so this password is sent and ignored.
    url = f"postgres://postgres:{SECRET}@127.0.0.1:5432/test"
    caplog.set_level(logging.DEBUG)
    await db.init(default=url, settings=FAST)
    try:
        database = await db.get_connection()
        assert SECRET not in repr(database) and SECRET not in repr(database.settings)
        assert (await execute_raw("SELECT 1 AS one"))[0]["one"] == 1
        with pytest.raises(RuntimeError) as info:
            await execute_raw("SELECT * FROM no_such_table_rel")
        assert SECRET not in everything_shown(info.value)
    finally:
        await db.close()
    assert caplog.records, "nothing was logged at DEBUG: the check below would prove nothing"
    assert SECRET not in caplog.text
    assert all(SECRET not in str(r.args) for r in caplog.records)
    report_figure(
        "secrets",
        f"{len(FAILING)} failing URLs (constructor, connect, TLS/port/scheme/auth errors), a connected pool "
        f"and the CLI: password absent from messages, reprs, chained causes, tracebacks and "
        f"{len(caplog.records)} DEBUG log records",
    )


def test_redact_url_hides_userinfo_and_query_passwords() -> None:
    assert redact_url(f"postgres://alice:{SECRET}@h:5432/d") == "postgres://alice:***@h:5432/d"
    assert redact_url(f"mysql://h/d?user=a&password={SECRET}&x=1") == "mysql://h/d?user=a&password=***&x=1"
    assert redact_url("postgres://alice@h/d") == "postgres://alice@h/d"  # nothing to hide
    assert redact_url(f"postgres://a:{SECRET}@x@h/d") == "postgres://a:***@h/d"  # an unencoded @ in it
    assert redact_url("sqlite::memory:") == "sqlite::memory:"


def test_cli_connect_failure_never_prints_the_password(tmp_path: Path) -> None:
    (tmp_path / "rel_models.py").write_text("")
    # Errors that come at once: the CLI waits out the default 30 s acquire timeout on a closed port.
    for url in (FAILING["pg unknown role"], FAILING["mysql wrong password"], FAILING["unsupported prefix"]):
        (tmp_path / "oxyde_config.py").write_text(
            'MODELS = ["rel_models"]\nDIALECT = "postgres"\nMIGRATIONS_DIR = "migrations"\n'
            f"DATABASES = {{'default': {url!r}}}\n"
        )
        result = subprocess.run(
            [str(OXYDE), "migrate"], cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False
        )
        assert result.returncode != 0
        assert "default" in result.stderr or ":***@" in result.stderr  # names the alias, or the redacted URL
        assert SECRET not in result.stdout + result.stderr, result.stderr
