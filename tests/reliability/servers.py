"""Private database servers for the reliability suite, started and torn down by session fixtures.

The shared servers (PostgreSQL on 5432, MariaDB on 3306) serve every other test,
so what must be restarted or reconfigured runs here instead, from the Debian
packages `.ci/run` installs: a PostgreSQL cluster with TLS on (a CA and server
certificate made with ``openssl``), a MariaDB instance and a PgBouncer in
transaction pooling mode in front of that PostgreSQL. Each listens on a free
local port; a missing binary fails the test naming the package to install.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

_ROOT = os.geteuid() == 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _binary(name: str, package: str, *dirs: str) -> str:
    for d in dirs:
        if os.access(Path(d) / name, os.X_OK):
            return str(Path(d) / name)
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} not found: install the Debian package {package} (.ci/run does)")
    return found


def _as(user: str, cmd: list[str]) -> list[str]:
    # PostgreSQL and PgBouncer refuse to run as root.
    return ["runuser", "-u", user, "--", *cmd] if _ROOT else cmd


def _run(cmd: list[str], what: str, timeout: float = 120) -> str:
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    if done.returncode != 0:
        pytest.fail(f"{what} failed ({' '.join(cmd)}):\n{done.stdout}\n{done.stderr}")
    return done.stdout


def _wait_port(port: int, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"{what} did not accept connections on port {port} within {timeout:.0f} s")


def _private_dir(prefix: str, owner: str | None) -> Path:
    path = Path(tempfile.mkdtemp(prefix=prefix))
    if owner and _ROOT:
        shutil.chown(path, owner, owner)
    path.chmod(0o700)
    return path


@dataclass
class Certificates:
    """A test CA, a server certificate it signed (for ``localhost`` only) and an unrelated CA."""

    ca: Path
    other_ca: Path
    server_cert: Path
    server_key: Path

    @classmethod
    def create(cls, directory: Path) -> Certificates:
        openssl = _binary("openssl", "openssl")
        ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        ca_ext = ["-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"]
        for name in ("ca", "other_ca"):
            _run(
                [openssl, "req", "-x509", *ec, "-days", "2", "-subj", f"/CN=oxyde test {name}", *ca_ext,
                 "-keyout", str(directory / f"{name}.key"), "-out", str(directory / f"{name}.crt")],
                "creating a test CA",
            )  # fmt: skip
        _run(
            [openssl, "req", "-new", *ec, "-subj", "/CN=localhost",
             "-keyout", str(directory / "server.key"), "-out", str(directory / "server.csr")],
            "creating the server key",
        )  # fmt: skip
        ext = directory / "server.ext"
        ext.write_text(
            "subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\n"
            "keyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n"
        )
        _run(
            [openssl, "x509", "-req", "-in", str(directory / "server.csr"), "-days", "2",
             "-CA", str(directory / "ca.crt"), "-CAkey", str(directory / "ca.key"), "-CAcreateserial",
             "-extfile", str(ext), "-out", str(directory / "server.crt")],
            "signing the server certificate",
        )  # fmt: skip
        return cls(directory / "ca.crt", directory / "other_ca.crt", directory / "server.crt", directory / "server.key")


def _pg_bindir() -> str:
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parent.parent.name))
    if not versions:
        pytest.fail("no PostgreSQL server under /usr/lib/postgresql: install the Debian package postgresql")
    return str(versions[-1].parent)


class PostgresServer:
    """A PostgreSQL cluster of our own (trust auth, TLS on) in a temporary directory."""

    def __init__(self) -> None:
        self.bindir = _pg_bindir()
        self.dir = _private_dir("oxyde-pg-", "postgres")
        self.data = self.dir / "data"
        self.port = _free_port()
        self.certs = Certificates.create(self.dir)
        for path in self.dir.iterdir():
            if _ROOT:
                shutil.chown(path, "postgres", "postgres")
        self.certs.server_key.chmod(0o600)
        _run(
            _as("postgres", [f"{self.bindir}/initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust",
                             "-E", "UTF8", "--no-sync"]),
            "initdb",
        )  # fmt: skip
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(
                f"port = {self.port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{self.dir}'\n"
                f"ssl = on\nssl_cert_file = '{self.certs.server_cert}'\nssl_key_file = '{self.certs.server_key}'\n"
                "max_connections = 60\nshared_buffers = 32MB\n"
            )
        (self.data / "pg_hba.conf").write_text("local all all trust\nhost all all 127.0.0.1/32 trust\n")
        self.start()

    def url(self, database: str = "postgres", host: str = "127.0.0.1", query: str = "") -> str:
        return f"postgres://postgres@{host}:{self.port}/{database}" + (f"?{query}" if query else "")

    def _pg_ctl(self, *args: str) -> None:
        cmd = [f"{self.bindir}/pg_ctl", "-D", str(self.data), "-l", str(self.dir / "log"), "-w", "-t", "60", *args]
        _run(_as("postgres", cmd), f"pg_ctl {args[0]}")

    def start(self) -> None:
        self._pg_ctl("start")
        _wait_port(self.port, "PostgreSQL")

    def stop(self, mode: str = "fast") -> None:
        self._pg_ctl("stop", "-m", mode)

    def psql(self, sql: str, database: str = "postgres") -> str:
        cmd = [f"{self.bindir}/psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", database]
        return _run([*cmd, "-tAc", sql], "psql").strip()

    def close(self) -> None:
        try:
            self.stop("immediate")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


class MariaDBServer:
    """A MariaDB instance of our own (root without password) in a temporary directory."""

    def __init__(self) -> None:
        self.mariadbd = _binary("mariadbd", "mariadb-server", "/usr/sbin")
        install = _binary("mariadb-install-db", "mariadb-server", "/usr/bin")
        self.dir = _private_dir("oxyde-mariadb-", "mysql")
        self.data = self.dir / "data"
        self.port = _free_port()
        self.process: subprocess.Popen[bytes] | None = None
        user = ["--user=mysql"] if _ROOT else []
        _run(
            [install, "--no-defaults", f"--datadir={self.data}", *user, "--auth-root-authentication-method=normal",
             "--skip-test-db"],
            "mariadb-install-db",
        )  # fmt: skip
        self.start()

    def url(self, database: str = "mysql") -> str:
        return f"mysql://root@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        user = ["--user=mysql"] if _ROOT else []
        self.process = subprocess.Popen(
            [self.mariadbd, "--no-defaults", f"--datadir={self.data}", f"--port={self.port}",
             "--bind-address=127.0.0.1", f"--socket={self.dir / 'sock'}", f"--pid-file={self.dir / 'pid'}",
             f"--log-error={self.dir / 'log'}", "--skip-log-bin", "--innodb-buffer-pool-size=32M",
             "--max-connections=100", *user],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        _wait_port(self.port, "MariaDB")

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.send_signal(signal.SIGTERM)  # a clean shutdown, as a service manager does
        try:
            self.process.wait(60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None

    def close(self) -> None:
        try:
            self.stop()
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


class PgBouncer:
    """PgBouncer in transaction pooling mode in front of ``server``, any database name passed through."""

    def __init__(self, server: PostgresServer, pool_size: int = 5) -> None:
        binary = _binary("pgbouncer", "pgbouncer", "/usr/sbin")
        self.dir = _private_dir("oxyde-pgbouncer-", "postgres")
        self.port = _free_port()
        ini = self.dir / "pgbouncer.ini"
        (self.dir / "users.txt").write_text('"postgres" ""\n')
        ini.write_text(
            f"[databases]\n* = host=127.0.0.1 port={server.port}\n\n"
            f"[pgbouncer]\nlisten_addr = 127.0.0.1\nlisten_port = {self.port}\nunix_socket_dir =\n"
            f"auth_type = trust\nauth_file = {self.dir / 'users.txt'}\npool_mode = transaction\n"
            f"default_pool_size = {pool_size}\nmax_client_conn = 200\n"
            f"logfile = {self.dir / 'log'}\nignore_startup_parameters = extra_float_digits,options\n"
        )
        for path in self.dir.iterdir():
            if _ROOT:
                shutil.chown(path, "postgres", "postgres")
        owner = {"user": "postgres", "group": "postgres"} if _ROOT else {}
        self.process = subprocess.Popen(
            [binary, str(ini)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **owner
        )
        _wait_port(self.port, "PgBouncer")

    def url(self, database: str, query: str = "") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}" + (f"?{query}" if query else "")

    def log(self) -> str:
        path = self.dir / "log"
        return path.read_text() if path.exists() else ""

    def close(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    server = PostgresServer()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture(scope="session")
def mariadb_server() -> Iterator[MariaDBServer]:
    server = MariaDBServer()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture(scope="session")
def pgbouncer(pg_server: PostgresServer) -> Iterator[PgBouncer]:
    bouncer = PgBouncer(pg_server)
    try:
        yield bouncer
    finally:
        bouncer.close()
