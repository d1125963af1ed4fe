"""Item 8: TLS to PostgreSQL, against a private cluster whose certificate a test CA signed for ``localhost``."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest

from oxyde import execute_raw
from oxyde.db.pool import AsyncDatabase, PoolSettings
from reliability.servers import PostgresServer

Opener = Callable[..., Awaitable[AsyncDatabase]]
SSL_IN_USE = "SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()"


@pytest.fixture
async def connect(pg_server: PostgresServer) -> AsyncIterator[Opener]:
    opened: list[AsyncDatabase] = []

    async def open_pool(host: str, **settings: object) -> AsyncDatabase:
        database = AsyncDatabase(
            pg_server.url(host=host),
            name=f"tls_{len(opened)}",
            settings=PoolSettings(max_connections=1, acquire_timeout=10, **settings),  # type: ignore[arg-type]
            auto_register=False,
            overwrite=True,
        )
        opened.append(database)
        await database.connect()
        return database

    yield open_pool
    for database in opened:
        await database.disconnect()


async def _ssl_of(database: AsyncDatabase) -> tuple[bool, str | None]:
    (row,) = await execute_raw(SSL_IN_USE, client=database)
    return bool(row["ssl"]), row["version"]


async def test_verify_full_with_the_right_ca_connects_over_tls(
    connect: Opener, pg_server: PostgresServer, report_figure: Callable[[str, str], None]
) -> None:
    started = time.perf_counter()
    database = await connect("localhost", ssl_mode="verify-full", ssl_root_cert=str(pg_server.certs.ca))
    ssl, version = await _ssl_of(database)
    elapsed = (time.perf_counter() - started) * 1000
    assert ssl is True and version and version.startswith("TLS")
    report_figure("tls", f"verify-full with the test CA: {version}, connect + first query {elapsed:.0f} ms")


async def test_verify_full_with_another_ca_fails_naming_the_certificate(
    connect: Opener, pg_server: PostgresServer, report_figure: Callable[[str, str], None]
) -> None:
    with pytest.raises(RuntimeError, match=r"(?i)certificate|UnknownIssuer") as failure:
        await connect("localhost", ssl_mode="verify-full", ssl_root_cert=str(pg_server.certs.other_ca))
    report_figure("tls", f"wrong CA refused: {str(failure.value)[:220]}")


async def test_verify_full_with_a_host_name_not_in_the_certificate_fails(
    connect: Opener, pg_server: PostgresServer, report_figure: Callable[[str, str], None]
) -> None:
    # The certificate names localhost only; 127.0.0.1 is the same server under another name.
    with pytest.raises(RuntimeError, match=r"(?i)not valid for|NotValidForName|host ?name") as failure:
        await connect("127.0.0.1", ssl_mode="verify-full", ssl_root_cert=str(pg_server.certs.ca))
    report_figure("tls", f"wrong host name refused: {str(failure.value)[:220]}")


async def test_verify_ca_checks_the_issuer(connect: Opener, pg_server: PostgresServer) -> None:
    # sqlx 0.8 with current rustls checks the host name under verify-ca too (docs/reliability.md).
    database = await connect("localhost", ssl_mode="verify-ca", ssl_root_cert=str(pg_server.certs.ca))
    assert (await _ssl_of(database))[0] is True
    with pytest.raises(RuntimeError, match=r"(?i)certificate|UnknownIssuer"):
        await connect("localhost", ssl_mode="verify-ca", ssl_root_cert=str(pg_server.certs.other_ca))


@pytest.mark.parametrize(("mode", "encrypted"), [("disable", False), ("require", True), ("prefer", True)])
async def test_ssl_mode_decides_whether_the_connection_is_encrypted(
    connect: Opener, mode: str, encrypted: bool
) -> None:
    database = await connect("127.0.0.1", ssl_mode=mode)
    assert (await _ssl_of(database))[0] is encrypted
