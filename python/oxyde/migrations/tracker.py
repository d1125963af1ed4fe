"""The ``oxyde_migrations`` tracking table (spec §12)."""

from __future__ import annotations

from typing import Any

from oxyde.db.registry import get_connection
from oxyde.migrations.utils import detect_dialect, parse_query_result

__all__ = [
    "TABLE",
    "ensure_migrations_table",
    "get_applied_migrations",
    "raw",
    "record_migration",
    "remove_migration",
]

TABLE = "oxyde_migrations"
_CREATE = {
    "postgres": f"CREATE TABLE IF NOT EXISTS {TABLE} (id SERIAL PRIMARY KEY, name VARCHAR(255) NOT NULL UNIQUE, "
    "applied_at TIMESTAMP NOT NULL)",
    "mysql": f"CREATE TABLE IF NOT EXISTS {TABLE} (id INT PRIMARY KEY AUTO_INCREMENT, name VARCHAR(255) NOT NULL "
    "UNIQUE, applied_at TIMESTAMP NOT NULL)",
    "sqlite": f"CREATE TABLE IF NOT EXISTS {TABLE} (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, "
    "applied_at TIMESTAMP NOT NULL)",
}


def raw(sql: str, params: list[Any] | None = None) -> dict[str, Any]:
    return {"proto": 1, "op": "raw", "sql": sql, "params": list(params or [])}


def _ph(dialect: str) -> str:
    return "$1" if dialect == "postgres" else "?"


def insert_sql(dialect: str) -> str:
    now = "datetime('now')" if dialect == "sqlite" else "NOW()"
    return f"INSERT INTO {TABLE} (name, applied_at) VALUES ({_ph(dialect)}, {now})"


def delete_sql(dialect: str) -> str:
    return f"DELETE FROM {TABLE} WHERE name = {_ph(dialect)}"


async def _conn(db_alias: str) -> tuple[Any, str]:
    conn = await get_connection(db_alias)
    return conn, detect_dialect(conn.url)


async def ensure_migrations_table(db_alias: str = "default") -> None:
    conn, dialect = await _conn(db_alias)
    await conn.execute(raw(_CREATE[dialect]))


async def get_applied_migrations(db_alias: str = "default") -> list[str]:
    await ensure_migrations_table(db_alias)
    conn, _ = await _conn(db_alias)
    rows = parse_query_result(await conn.execute(raw(f"SELECT name FROM {TABLE} ORDER BY id")))
    return [str(r["name"]) for r in rows]


async def record_migration(name: str, db_alias: str = "default") -> None:
    await ensure_migrations_table(db_alias)
    conn, dialect = await _conn(db_alias)
    await conn.execute(raw(insert_sql(dialect), [name]))


async def remove_migration(name: str, db_alias: str = "default") -> None:
    await ensure_migrations_table(db_alias)
    conn, dialect = await _conn(db_alias)
    await conn.execute(raw(delete_sql(dialect), [name]))
