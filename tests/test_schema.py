"""create_tables / drop_tables against every dialect, on a private connection."""

from __future__ import annotations

import enum
from collections.abc import AsyncIterator
from datetime import date
from decimal import Decimal

import pytest

from oxyde import AsyncDatabase, Field, Index, Model, create_tables, drop_tables, execute_raw
from oxyde.db.schema import render_default, table_ops
from oxyde.models.registry import iter_tables, register_table, unregister_table


class ScColor(str, enum.Enum):
    RED = "red"
    BLUE = "blue"


class ScThing(Model):
    id: int | None = Field(default=None, db_pk=True)
    name: str = Field(max_length=40, db_unique=True)
    color: ScColor = ScColor.RED
    price: Decimal = Field(default=Decimal("1.5"), max_digits=8, decimal_places=2)
    active: bool = True
    born: date | None = None
    note: str = Field(default="it's", db_index=True)

    class Meta:
        is_table = True
        table_name = "sc_thing"
        indexes = [Index(("name", "active"))]


# Registered only while these tests run, so the shared fixture never sees them.
unregister_table(ScThing)


def _table_query(dialect: str) -> str:
    if dialect == "sqlite":
        return "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'sc_thing'"
    if dialect == "postgres":
        return "SELECT table_name AS name FROM information_schema.tables WHERE table_name = 'sc_thing'"
    return (
        "SELECT table_name AS name FROM information_schema.tables "
        "WHERE table_name = 'sc_thing' AND table_schema = DATABASE()"
    )


@pytest.fixture
async def private(database_url: str) -> AsyncIterator[AsyncDatabase]:
    """Only ScThing registered, on a connection named apart from ``default``."""
    saved = iter_tables()
    for model in saved:
        unregister_table(model)
    register_table(ScThing)
    conn = AsyncDatabase(database_url, name="schema_test", overwrite=True)
    await conn.connect()
    try:
        await drop_tables(conn)
        yield conn
    finally:
        await drop_tables(conn)
        await conn.disconnect()
        from oxyde.db.registry import unregister_connection

        unregister_connection("schema_test")
        unregister_table(ScThing)
        for model in saved:
            register_table(model)


async def test_create_then_drop(private: AsyncDatabase) -> None:
    dialect = private.backend or ""
    await create_tables(private)
    assert len(await execute_raw(_table_query(dialect), client=private)) == 1
    thing = await ScThing.objects.create(name="a", client=private)
    assert isinstance(thing.id, int)
    got = await ScThing.objects.get(id=thing.id, client=private)
    assert got.color is ScColor.RED and got.price == Decimal("1.5") and got.active is True and got.note == "it's"
    with pytest.raises(RuntimeError):
        await create_tables(private)  # plain CREATE TABLE: existing tables fail
    await drop_tables(private)
    assert await execute_raw(_table_query(dialect), client=private) == []
    await drop_tables(private)  # IF EXISTS: dropping again is fine


def test_table_ops_are_the_migration_ddl() -> None:
    """One source of DDL: the fixture ops are what a first migration renders."""
    sql = [op["sql"] for op in table_ops(ScThing, "postgres")]
    assert all(op["op"] == "raw" for op in table_ops(ScThing, "postgres"))
    create = sql[0]
    assert create.startswith('CREATE TABLE "sc_thing" ("id" BIGSERIAL PRIMARY KEY')
    assert '"name" VARCHAR(40) NOT NULL UNIQUE' in create and '"born" DATE,' in create
    assert '"active" BOOLEAN NOT NULL DEFAULT TRUE' in create and "DEFAULT 'it''s'" in create
    assert "DEFAULT 'red'" in create and "DEFAULT 1.5" in create
    assert sql[1:] == [
        'CREATE INDEX "sc_thing_name_active_idx" ON "sc_thing" ("name", "active")',
        'CREATE INDEX "ix_sc_thing_note" ON "sc_thing" ("note")',
    ]


def test_render_default() -> None:
    assert render_default(True, "sqlite") == "1" and render_default(False, "postgres") == "FALSE"
    assert render_default(b"\x01", "postgres") == "'\\x01'" and render_default(b"\x01", "mysql") == "X'01'"
    assert render_default({}, "postgres") is None and render_default(list, "postgres") is None
    assert render_default(None, "sqlite") is None
    assert render_default(date(2020, 1, 2), "mysql") == "'2020-01-02'"


def test_mysql_refuses_partial_index() -> None:
    class ScPartial(Model):
        id: int | None = Field(default=None, db_pk=True)

        class Meta:
            is_table = True
            table_name = "sc_partial"
            indexes = [Index(["id"], where="id > 0")]

    unregister_table(ScPartial)
    assert table_ops(ScPartial, "postgres")[1]["sql"].endswith("WHERE id > 0")
    with pytest.raises(RuntimeError, match="mysql does not support partial indexes"):
        table_ops(ScPartial, "mysql")
