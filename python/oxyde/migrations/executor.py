"""Applying and rolling back migrations (spec §7.3, §11).

PostgreSQL and SQLite run each migration, tracking row included, in one
transaction. SQLite runs it on a private one-connection pool with
``PRAGMA foreign_keys=OFF`` set before ``BEGIN`` (a no-op inside one), so a
table rebuild's ``DROP TABLE`` fires no cascades; ``PRAGMA foreign_key_check``
must come back empty before the commit. MySQL commits each DDL statement by
itself: a failure part way is recorded in ``oxyde_migration_failures`` with
the step and a recovery hint, and raised.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from oxyde.db.pool import AsyncDatabase, PoolSettings
from oxyde.db.registry import get_connection
from oxyde.db.transaction import AsyncTransaction
from oxyde.migrations.context import MigrationContext
from oxyde.migrations.files import SchemaState, get_migration_files, replay_migrations
from oxyde.migrations.tracker import (
    delete_sql,
    ensure_migrations_table,
    get_applied_migrations,
    insert_sql,
    raw,
)
from oxyde.migrations.utils import detect_dialect, load_migration_module, parse_query_result, render_ops

__all__ = ["apply_migrations", "migration_sql", "rollback_migration", "rollback_migrations"]

# on_step(number, total, name), called before each migration of a run.
StepCallback = Callable[[int, int, str], None]

_LOCK_ID = 0x4F587944
FAILURES = "oxyde_migration_failures"


def migration_sql(path: Path, dialect: str, func: str = "upgrade", schema: dict[str, Any] | None = None) -> list[str]:
    """The statements ``migrate`` runs for one file (``ctx.execute`` SQL included)."""
    module = load_migration_module(path)
    fn = getattr(module, func, None)
    if fn is None:
        raise RuntimeError(f"Migration '{path.stem}' has no {func}()")
    ctx = MigrationContext(mode="execute", dialect=dialect)
    fn(ctx)
    return render_ops(ctx.all_operations(), dialect, schema)


def _ops(path: Path, func: str, dialect: str) -> list[dict[str, Any]]:
    module = load_migration_module(path)
    fn = getattr(module, func, None)
    if fn is None:
        raise RuntimeError(f"Migration '{path.stem}' has no {func}()")
    ctx = MigrationContext(mode="execute", dialect=dialect)
    fn(ctx)
    return ctx.all_operations()


def _non_transactional(dialect: str, ops: list[dict[str, Any]]) -> bool:
    if dialect == "mysql":
        return True
    if dialect != "postgres":
        return False
    for op in ops:
        if op["type"] == "add_enum_value":
            return True
        sql = op.get("sql", "").strip().upper() if op["type"] == "execute" else ""
        if sql.startswith("ALTER TYPE") and " ADD VALUE " in sql:
            return True
    return False


@asynccontextmanager
async def _lock(conn: AsyncDatabase, dialect: str) -> Any:
    """The migration lock, held on a pinned connection (none on SQLite)."""
    if dialect == "sqlite":
        yield
        return
    tx = AsyncTransaction(conn)
    await tx.begin()
    try:
        sql = (
            f"SELECT pg_try_advisory_lock({_LOCK_ID}) AS ok"
            if dialect == "postgres"
            else ("SELECT GET_LOCK('oxyde_migration', 0) AS ok")
        )
        rows = parse_query_result(await tx.execute(raw(sql)))
        if not rows or not rows[0]["ok"]:
            raise RuntimeError("Cannot acquire migration lock. Another migration process may be running.")
        try:
            yield
        finally:
            release = (
                f"SELECT pg_advisory_unlock({_LOCK_ID})"
                if dialect == "postgres"
                else "SELECT RELEASE_LOCK('oxyde_migration')"
            )
            await tx.execute(raw(release))
    finally:
        await tx.rollback()


async def _run_sqlite(conn: AsyncDatabase, stmts: list[str], tracking: dict[str, Any]) -> None:
    if ":memory:" in conn.url:  # a second pool would be another database
        async with AsyncTransaction(conn) as tx:
            for sql in stmts:
                await tx.execute(raw(sql))
            await tx.execute(tracking)
        return
    own = AsyncDatabase(
        conn.url,
        name=f"__oxyde_migrate_{id(stmts)}__",
        settings=PoolSettings(max_connections=1),
        auto_register=False,
        overwrite=True,
    )
    await own.connect()
    try:
        await own.execute(raw("PRAGMA foreign_keys=OFF"))
        try:
            async with AsyncTransaction(own) as tx:
                check = parse_query_result(await tx.execute(raw("PRAGMA foreign_keys")))
                if check and next(iter(check[0].values())):
                    raise RuntimeError("could not turn SQLite foreign keys off for the migration")
                for sql in stmts:
                    await tx.execute(raw(sql))
                broken = parse_query_result(await tx.execute(raw("PRAGMA foreign_key_check")))
                if broken:
                    raise RuntimeError(f"migration leaves rows violating foreign keys: {broken[:5]}")
                await tx.execute(tracking)
        finally:
            await own.execute(raw("PRAGMA foreign_keys=ON"))
    finally:
        await own.disconnect()


async def _run_mysql(conn: AsyncDatabase, name: str, stmts: list[str], tracking: dict[str, Any]) -> None:
    for i, sql in enumerate(stmts, 1):
        try:
            await conn.execute(raw(sql))
        except Exception as exc:
            hint = (
                (
                    f"steps 1-{i - 1} of {len(stmts)} were committed (MySQL DDL commits itself). Undo them by hand, or "
                    f"finish steps {i}-{len(stmts)} by hand and run `oxyde migrate --fake {name}`; see "
                    "`oxyde sqlmigrate` for the statements"
                )
                if i > 1
                else "nothing was applied; fix the migration and run `oxyde migrate` again"
            )
            await conn.execute(
                raw(
                    f"CREATE TABLE IF NOT EXISTS {FAILURES} (id INT PRIMARY KEY AUTO_INCREMENT, "
                    "name VARCHAR(255) NOT NULL, step INT NOT NULL, total INT NOT NULL, "
                    "statement TEXT NOT NULL, error TEXT NOT NULL, "
                    "hint TEXT NOT NULL, failed_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)"
                )
            )
            await conn.execute(
                raw(
                    f"INSERT INTO {FAILURES} (name, step, total, statement, error, hint) VALUES (?, ?, ?, ?, ?, ?)",
                    [name, i, len(stmts), sql, str(exc), hint],
                )
            )
            raise RuntimeError(f"Migration '{name}' failed at step {i} of {len(stmts)} ({sql}): {exc}; {hint}") from exc
    await conn.execute(tracking)


async def _run(
    conn: AsyncDatabase, dialect: str, name: str, ops: list[dict[str, Any]], stmts: list[str], tracking: dict[str, Any]
) -> None:
    if dialect == "sqlite":
        await _run_sqlite(conn, stmts, tracking)
    elif dialect == "mysql":
        await _run_mysql(conn, name, stmts, tracking)
    elif _non_transactional(dialect, ops):
        for sql in stmts:
            await conn.execute(raw(sql))
        await conn.execute(tracking)
    else:
        async with AsyncTransaction(conn) as tx:
            for sql in stmts:
                await tx.execute(raw(sql))
            await tx.execute(tracking)


def _matches(name: str, target: str) -> bool:
    return name == target or name.startswith(target + "_")


async def apply_migrations(
    migrations_dir: str = "migrations",
    db_alias: str = "default",
    target: str | None = None,
    fake: bool = False,
    on_step: StepCallback | None = None,
) -> list[str]:
    """Apply pending migrations (up to ``target``); returns the applied names.

    ``on_step(number, total, name)`` is called before each migration runs (progress display).
    """
    await ensure_migrations_table(db_alias)
    applied = await get_applied_migrations(db_alias)
    files = get_migration_files(migrations_dir)
    pending = [p for p in files if p.stem not in applied]
    if not pending:
        return []
    if target is not None:
        idx = next((i for i, p in enumerate(pending) if _matches(p.stem, target)), None)
        if idx is None:
            raise ValueError(f"Target migration '{target}' not found in pending migrations")
        pending = pending[: idx + 1]
    conn = await get_connection(db_alias)
    dialect = detect_dialect(conn.url)
    done: list[str] = []
    async with _lock(conn, dialect):
        state = SchemaState(replay_migrations(migrations_dir, upto=pending[0].stem))
        seen = set(applied)
        for path in files:
            if path.stem in seen and path not in pending:
                continue
            if path not in pending:
                continue
            module = load_migration_module(path)
            dep = getattr(module, "depends_on", None)
            if dep and dep not in seen:
                raise RuntimeError(f"Migration '{path.stem}' depends on '{dep}' which has not been applied yet.")
            if getattr(module, "upgrade", None) is None:
                raise RuntimeError(f"Migration '{path.stem}' has no upgrade()")
            if on_step is not None:
                on_step(len(done) + 1, len(pending), path.stem)
            ops = _ops(path, "upgrade", dialect)
            tracking = raw(insert_sql(dialect), [path.stem])
            if fake:
                await conn.execute(tracking)
            else:
                stmts = render_ops(ops, dialect, state.to_snapshot())
                await _run(conn, dialect, path.stem, ops, stmts, tracking)
            state.apply_operations(ops)
            seen.add(path.stem)
            done.append(path.stem)
    return done


async def rollback_migration(
    migration_name: str, migrations_dir: str = "migrations", db_alias: str = "default", fake: bool = False
) -> None:
    """Run one migration's ``downgrade`` and delete its tracking row."""
    files = get_migration_files(migrations_dir)
    path = next((p for p in files if p.stem == migration_name), None)
    if path is None:
        raise FileNotFoundError(f"Migration file '{migration_name}' not found in {migrations_dir}")
    applied = await get_applied_migrations(db_alias)
    for other in files:
        if other.stem in applied and other.stem != migration_name:
            if getattr(load_migration_module(other), "depends_on", None) == migration_name:
                raise RuntimeError(f"Cannot roll back '{migration_name}': migration '{other.stem}' depends on it.")
    conn = await get_connection(db_alias)
    dialect = detect_dialect(conn.url)
    tracking = raw(delete_sql(dialect), [migration_name])
    async with _lock(conn, dialect):
        if fake:
            await conn.execute(tracking)
            return
        ops = _ops(path, "downgrade", dialect)
        state = SchemaState(replay_migrations(migrations_dir, upto=migration_name))
        state.apply_operations(_ops(path, "upgrade", dialect))
        stmts = render_ops(ops, dialect, state.to_snapshot())
        await _run(conn, dialect, migration_name, ops, stmts, tracking)


async def rollback_migrations(
    steps: int = 1,
    migrations_dir: str = "migrations",
    db_alias: str = "default",
    fake: bool = False,
    on_step: StepCallback | None = None,
) -> list[str]:
    """Roll back the last ``steps`` applied migrations, newest first (``on_step`` as in ``apply_migrations``)."""
    applied = await get_applied_migrations(db_alias)
    names = list(reversed(applied[-steps:] if steps < len(applied) else applied))
    for number, name in enumerate(names, 1):
        if on_step is not None:
            on_step(number, len(names), name)
        await rollback_migration(name, migrations_dir, db_alias, fake)
    return names
