"""``create_tables`` / ``drop_tables`` for tests and scripts (spec connections.md §9).

``create_tables`` runs the DDL a first migration would emit (snapshot of the
registered table models, diffed against an empty schema, rendered for the
dialect). ``table_ops`` / ``foreign_key_ops`` build the same tables as IR ops,
one model at a time, for fixtures that create tables selectively.
"""

from __future__ import annotations

import enum
from datetime import date, datetime, time
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from uuid import UUID

from oxyde.models.registry import finalize_pending, iter_tables
from oxyde.queries.base import table_ir

if TYPE_CHECKING:
    from oxyde.queries.base import SupportsExecute

__all__ = [
    "create_tables",
    "create_tables_sql",
    "dialect_of",
    "drop_tables",
    "foreign_key_ops",
    "render_default",
    "table_ops",
]

_PROTO = 1


def dialect_of(database: Any) -> str:
    backend = getattr(database, "backend", None)
    if backend:
        return str(backend)
    url = str(getattr(database, "url", ""))
    if url.startswith("sqlite"):
        return "sqlite"
    if url.startswith(("mysql", "mariadb")):
        return "mysql"
    return "postgres"


def _quote(name: str, dialect: str) -> str:
    if dialect == "mysql":
        return "`" + name.replace("`", "``") + "`"
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def render_default(value: Any, dialect: str) -> str | None:
    """A Python default as SQL (types.md §10); ``None`` when it cannot be rendered."""
    if value is None or callable(value):
        return None
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, bool):
        return ("TRUE" if value else "FALSE") if dialect == "postgres" else ("1" if value else "0")
    if isinstance(value, str):
        return _literal(value)
    if isinstance(value, (int, float, Decimal)):
        return str(value)
    if isinstance(value, (datetime, date, time)):
        return _literal(value.isoformat())
    if isinstance(value, UUID):
        return _literal(str(value))
    if isinstance(value, (bytes, bytearray)):
        return f"'\\x{bytes(value).hex()}'" if dialect == "postgres" else f"X'{bytes(value).hex()}'"
    return None  # dicts, lists and objects would render invalid SQL


def _enum_specs(spec: dict[str, Any] | None, out: dict[str, list[str]]) -> None:
    if not spec:
        return
    if spec.get("kind") == "enum":
        out[spec["name"]] = list(spec["values"])
    elif spec.get("kind") == "array":
        _enum_specs(spec.get("item"), out)


def _raw(sql: str) -> dict[str, Any]:
    return {"proto": _PROTO, "op": "raw", "sql": sql, "params": []}


def table_ops(model: type, dialect: str) -> list[dict[str, Any]]:
    """The ops creating one model's table with its indexes and checks, in the
    DDL a migration would run; foreign keys too on SQLite, where they must be
    inline (elsewhere ``foreign_key_ops`` adds them once every table exists)."""
    from oxyde.migrations.extract import table_snapshot
    from oxyde.migrations.utils import render_ops

    table = table_snapshot(model, dialect)
    if dialect != "sqlite":
        table = {**table, "foreign_keys": []}
    return [_raw(sql) for sql in render_ops([{"type": "create_table", "table": table}], dialect)]


def foreign_key_ops(model: type, dialect: str) -> list[dict[str, Any]]:
    """``ALTER TABLE ... ADD CONSTRAINT ... FOREIGN KEY`` ops for PostgreSQL and
    MySQL, run once every table exists (SQLite writes them inline instead)."""
    if dialect == "sqlite":
        return []
    from oxyde.migrations.extract import table_snapshot
    from oxyde.migrations.utils import render_ops

    table = table_snapshot(model, dialect)
    before = {"version": 1, "tables": {table["name"]: {**table, "foreign_keys": []}}}
    ops = [{"type": "add_foreign_key", "table": table["name"], "fk": fk} for fk in table["foreign_keys"]]
    return [_raw(sql) for sql in render_ops(ops, dialect, before)] if ops else []


def _enum_ops(models: tuple[type, ...]) -> list[dict[str, Any]]:
    enums: dict[str, list[str]] = {}
    for model in models:
        for spec in (model._db_meta.column_types or {}).values():  # type: ignore[attr-defined]
            _enum_specs(spec, enums)
    return [_raw(_enum_sql(name, values)) for name, values in enums.items()]


def _enum_sql(name: str, values: list[str]) -> str:
    labels = ", ".join(_literal(v) for v in values)
    return (
        f"DO $$ BEGIN CREATE TYPE {_quote(name, 'postgres')} AS ENUM ({labels}); "
        "EXCEPTION WHEN duplicate_object THEN NULL; END $$"
    )


def create_tables_sql(dialect: str) -> list[str]:
    """The DDL ``create_tables`` runs: what a first migration would emit for
    every registered table model (migrations-cli.md §16)."""
    from oxyde.migrations.extract import extract_current_schema
    from oxyde.migrations.utils import compute_diff, render_ops

    finalize_pending()
    ops = compute_diff({"version": 1, "tables": {}}, extract_current_schema(dialect=dialect))
    # drop_tables leaves PostgreSQL enum types in place, so creating one that
    # exists already is not an error here
    if dialect != "postgres":
        return render_ops(ops, dialect)
    enums = [_enum_sql(op["name"], op["values"]) for op in ops if op["type"] == "create_enum_type"]
    return enums + render_ops([op for op in ops if op["type"] != "create_enum_type"], dialect)


def _per_model_ops(dialect: str) -> list[dict[str, Any]]:
    models = iter_tables()
    ops: list[dict[str, Any]] = _enum_ops(models) if dialect == "postgres" else []
    for model in models:
        ops.extend(table_ops(model, dialect))
    for model in models:  # every referenced table exists by now
        ops.extend(foreign_key_ops(model, dialect))
    return ops


async def create_tables(database: SupportsExecute) -> None:
    """Create every registered table model's table (plain CREATE TABLE: existing tables fail)."""
    await _ensure(database)
    dialect = dialect_of(database)
    try:
        ops = [_raw(sql) for sql in create_tables_sql(dialect)]
    except ValueError as exc:
        if "cyclic foreign key" not in str(exc):
            raise
        # Mutual references are fine here (the constraints go in once every
        # table exists); only a migration has to split them over two files.
        ops = _per_model_ops(dialect)
    for op in ops:
        await database.execute(op)


async def drop_tables(database: SupportsExecute) -> None:
    """Drop every registered table model's table, if it exists."""
    await _ensure(database)
    dialect = dialect_of(database)
    tables = [table_ir(m) for m in reversed(iter_tables())]
    if not tables:
        return
    if dialect == "postgres":
        names = ", ".join(
            ".".join(_quote(part, dialect) for part in (t.get("schema"), t["table"]) if part) for t in tables
        )
        await database.execute(_raw(f"DROP TABLE IF EXISTS {names} CASCADE"))
        return
    drops = [{"proto": _PROTO, "op": "drop_table", **t, "if_exists": True} for t in tables]
    if dialect == "mysql":
        drops = [_raw("SET FOREIGN_KEY_CHECKS = 0"), *drops, _raw("SET FOREIGN_KEY_CHECKS = 1")]
        from oxyde.db.pool import AsyncDatabase
        from oxyde.db.transaction import AsyncTransaction

        if isinstance(database, AsyncDatabase):
            # the session variable must apply to the connection that drops
            async with AsyncTransaction(database) as tx:
                for op in drops:
                    await tx.execute(op)
            return
    for op in drops:
        await database.execute(op)


async def _ensure(database: Any) -> None:
    ensure = getattr(database, "ensure_connected", None)
    if ensure is not None:
        await ensure()
