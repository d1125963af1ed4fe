"""``db_comment`` reaches the database (models.md §4 Defect): in create_tables() and in migrations,
on PostgreSQL and MySQL/MariaDB; SQLite has no column comments and takes none."""

from __future__ import annotations

import copy
from typing import Any

from oxyde import Field, Model, execute_raw
from oxyde.db import AsyncDatabase
from oxyde.db.schema import create_tables_sql
from oxyde.migrations import compute_diff
from oxyde.migrations.extract import table_snapshot
from oxyde.migrations.utils import render_ops

# Quotes, a backslash, a comment marker and a second statement: all must come back literally.
HOSTILE = "it's a \\ back'slash -- not SQL; DROP TABLE cm_note"


class CmNote(Model):
    id: int | None = Field(default=None, db_pk=True)
    body: str = Field(db_comment="The note's text")
    tag: str | None = Field(default=None, db_comment=HOSTILE)
    plain: int = 0

    class Meta:
        is_table = True
        table_name = "cm_note"


async def column_comment(dialect: str, table: str, column: str) -> str | None:
    if dialect == "postgres":
        rows = await execute_raw(
            "SELECT col_description(a.attrelid, a.attnum) AS c FROM pg_attribute a "
            "WHERE a.attrelid = CAST($1 AS regclass) AND a.attname = $2",
            [table, column],
        )
    else:
        rows = await execute_raw(
            "SELECT COLUMN_COMMENT AS c FROM information_schema.COLUMNS "
            "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND COLUMN_NAME = ?",
            [table, column],
        )
    value = rows[0]["c"]
    return value or None  # MySQL reports "no comment" as ''


async def recreate(database: AsyncDatabase, dialect: str) -> None:
    """Run create_tables()'s own DDL for cm_note (the other tables exist already)."""
    await execute_raw("DROP TABLE IF EXISTS cm_note")
    quoted = "`cm_note`" if dialect == "mysql" else '"cm_note"'
    statements = [sql for sql in create_tables_sql(dialect) if quoted in sql]
    assert statements
    for sql in statements:
        await execute_raw(sql)


async def test_create_tables_writes_column_comments(database: AsyncDatabase, dialect: str) -> None:
    await recreate(database, dialect)
    await CmNote.objects.create(body="hello", tag=HOSTILE)
    assert (await CmNote.objects.get(body="hello")).tag == HOSTILE
    if dialect == "sqlite":
        return  # no column comments in SQLite: the table is created without them
    assert await column_comment(dialect, "cm_note", "body") == "The note's text"
    assert await column_comment(dialect, "cm_note", "tag") == HOSTILE
    assert await column_comment(dialect, "cm_note", "plain") is None


def snapshot(table: dict[str, Any]) -> dict[str, Any]:
    return {"version": 1, "tables": {table["name"]: table}}


async def test_migrations_add_change_and_drop_a_comment(database: AsyncDatabase, dialect: str) -> None:
    commented = table_snapshot(CmNote, dialect)
    bare = copy.deepcopy(commented)
    for field in bare["fields"]:
        field.pop("comment", None)
    await execute_raw("DROP TABLE IF EXISTS cm_note")
    for sql in render_ops(compute_diff({"version": 1, "tables": {}}, snapshot(bare)), dialect):
        await execute_raw(sql)
    await CmNote.objects.create(body="kept")

    steps = [
        (bare, commented, {"body": "The note's text", "tag": HOSTILE}),
        (commented, _with_comment(commented, "body", "Changed"), {"body": "Changed", "tag": HOSTILE}),
        (_with_comment(commented, "body", "Changed"), bare, {"body": None, "tag": None}),
    ]
    for before, after, expected in steps:
        ops = compute_diff(snapshot(before), snapshot(after))
        assert {op["type"] for op in ops} == {"alter_column"}
        stmts = render_ops(ops, dialect, snapshot(before))
        if dialect == "sqlite":
            assert stmts == []  # a comment alone changes nothing SQLite stores
        for sql in stmts:
            await execute_raw(sql)
        if dialect != "sqlite":
            for column, comment in expected.items():
                assert await column_comment(dialect, "cm_note", column) == comment
        assert [n.body for n in await CmNote.objects.all()] == ["kept"]  # rows survive every step


def _with_comment(table: dict[str, Any], column: str, comment: str) -> dict[str, Any]:
    out = copy.deepcopy(table)
    for field in out["fields"]:
        if field["name"] == column:
            field["comment"] = comment
    return out


def test_models_without_comments_keep_their_schema() -> None:
    """Existing projects: no `comment` key appears, so their next makemigrations is unchanged."""

    class CmPlain(Model):
        id: int | None = Field(default=None, db_pk=True)
        name: str

        class Meta:
            is_table = True
            table_name = "cm_plain"

    assert all("comment" not in f for f in table_snapshot(CmPlain, "postgres")["fields"])
