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

if TYPE_CHECKING:
    from oxyde.models.metadata import ColumnMeta, ModelMeta
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
_INT_PK_TYPES = (None, "SERIAL", "BIGSERIAL")


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


def _column(cm: ColumnMeta, column: str, spec: dict[str, Any] | None, dialect: str) -> dict[str, Any]:
    col: dict[str, Any] = {
        "name": column,
        "type": spec or {"kind": "unknown"},
        "nullable": bool(cm.nullable) and not cm.primary_key,
        "primary_key": bool(cm.primary_key),
        "unique": bool(cm.unique) and not cm.primary_key,
    }
    if cm.db_type:
        col["db_type"] = cm.db_type
    if cm.primary_key and (spec or {}).get("kind") == "big_integer":
        db_type = cm.db_type.upper() if cm.db_type else None
        col["auto_increment"] = db_type in _INT_PK_TYPES
    default = cm.db_default
    if default is None and cm.default_factory is None:
        default = render_default(cm.default, dialect)
    if default is not None and not cm.primary_key:
        col["default"] = default
    return col


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
    """The IR ops creating one model's table, its indexes and its checks."""
    meta: ModelMeta = model._db_meta  # type: ignore[attr-defined]
    table = model.get_table_name()  # type: ignore[attr-defined]
    types = meta.column_types or {}
    columns: list[dict[str, Any]] = []
    seen: set[str] = set()
    for cm in meta.field_metadata.values():
        if cm.extra:
            continue  # reverse-FK / M2M: no column
        column = cm.foreign_key.column_name if cm.foreign_key else cm.db_column
        if column in seen:
            continue  # FK object field whose column is declared separately
        seen.add(column)
        columns.append(_column(cm, column, types.get(column), dialect))
    create: dict[str, Any] = {"proto": _PROTO, "op": "create_table", "table": table, "columns": columns}
    create["if_not_exists"] = False
    if dialect == "sqlite":  # SQLite cannot add a foreign key after CREATE TABLE
        create["foreign_keys"] = _foreign_keys(model)
    ops: list[dict[str, Any]] = [create]
    q = _quote
    for index in meta.indexes:
        cols = ", ".join(q(c, dialect) for c in index.fields)
        unique = "UNIQUE " if index.unique else ""
        sql = f"CREATE {unique}INDEX {q(index.index_name(table), dialect)} ON {q(table, dialect)}"
        if index.method and dialect == "postgres":
            sql += f" USING {index.method}"
        sql += f" ({cols})"
        if index.where:
            if dialect == "mysql":
                raise ValueError("MySQL does not support partial indexes with WHERE predicates")
            sql += f" WHERE {index.where}"
        ops.append(_raw(sql))
    for cm in meta.field_metadata.values():
        if cm.index and not cm.extra and not cm.unique and not cm.primary_key:
            column = cm.foreign_key.column_name if cm.foreign_key else cm.db_column
            name = cm.index_name or f"ix_{table}_{column}"
            method = f" USING {cm.index_method}" if cm.index_method and dialect == "postgres" else ""
            ops.append(_raw(f"CREATE INDEX {q(name, dialect)} ON {q(table, dialect)}{method} ({q(column, dialect)})"))
    to_column = {
        n: (cm.foreign_key.column_name if cm.foreign_key else cm.db_column) for n, cm in meta.field_metadata.items()
    }
    for fields in meta.unique_together:
        cols = tuple(to_column.get(f, f) for f in fields)  # field names, or columns as given
        name = f"{table}_{'_'.join(cols)}_uniq"
        joined = ", ".join(q(c, dialect) for c in cols)
        ops.append(_raw(f"CREATE UNIQUE INDEX {q(name, dialect)} ON {q(table, dialect)} ({joined})"))
    if dialect != "sqlite":  # SQLite cannot add a CHECK after CREATE TABLE
        for i, check in enumerate(meta.constraints):
            name = q(check.constraint_name(table, i), dialect)
            ops.append(_raw(f"ALTER TABLE {q(table, dialect)} ADD CONSTRAINT {name} CHECK ({check.expression})"))
    return ops


_ACTIONS = ("CASCADE", "SET NULL", "SET DEFAULT", "RESTRICT", "NO ACTION")


def _action(value: str | None, default: str) -> str:
    """Case-insensitive; anything unknown is ``NO ACTION`` (relations.md §2.3)."""
    text = (value or default).strip().upper()
    return text if text in _ACTIONS else "NO ACTION"


def _foreign_keys(model: type) -> list[dict[str, Any]]:
    """One constraint per FK field: ``fk_{table}_{column}`` → target table (its
    PK, or the ``db_fk`` field's column)."""
    from oxyde.queries.base import model_fields
    from oxyde.queries.paths import fk_target

    meta: ModelMeta = model._db_meta  # type: ignore[attr-defined]
    table = model.get_table_name()  # type: ignore[attr-defined]
    out: list[dict[str, Any]] = []
    for name, cm in meta.field_metadata.items():
        fk = cm.foreign_key
        if fk is None or any(f["columns"] == [fk.column_name] for f in out):
            continue
        target = fk_target(model, name)
        ref = model_fields(target).get(fk.target_field)
        out.append(
            {
                "name": f"fk_{table}_{fk.column_name}",
                "columns": [fk.column_name],
                "ref_table": target.get_table_name(),  # type: ignore[attr-defined]
                "ref_columns": [ref.column if ref is not None else fk.target_field],
                "on_delete": _action(fk.on_delete, "RESTRICT"),
                "on_update": _action(fk.on_update, "CASCADE"),
            }
        )
    return out


def foreign_key_ops(model: type, dialect: str) -> list[dict[str, Any]]:
    """``ALTER TABLE ... ADD CONSTRAINT ... FOREIGN KEY`` ops for PostgreSQL and
    MySQL, run once every table exists (SQLite writes them inline instead)."""
    if dialect == "sqlite":
        return []
    q = _quote
    table = model.get_table_name()  # type: ignore[attr-defined]
    ops = []
    for fk in _foreign_keys(model):
        cols = ", ".join(q(c, dialect) for c in fk["columns"])
        refs = ", ".join(q(c, dialect) for c in fk["ref_columns"])
        ops.append(
            _raw(
                f"ALTER TABLE {q(table, dialect)} ADD CONSTRAINT {q(fk['name'], dialect)} FOREIGN KEY ({cols}) "
                f"REFERENCES {q(fk['ref_table'], dialect)} ({refs}) "
                f"ON DELETE {fk['on_delete']} ON UPDATE {fk['on_update']}"
            )
        )
    return ops


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
    tables = [m.get_table_name() for m in reversed(iter_tables())]  # type: ignore[attr-defined]
    if not tables:
        return
    if dialect == "postgres":
        names = ", ".join(_quote(t, dialect) for t in tables)
        await database.execute(_raw(f"DROP TABLE IF EXISTS {names} CASCADE"))
        return
    drops = [{"proto": _PROTO, "op": "drop_table", "table": t, "if_exists": True} for t in tables]
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
