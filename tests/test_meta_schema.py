"""``Meta.schema`` puts the table in that schema (models.md §3 Defect): queries and DDL name it
``"schema"."table"`` on PostgreSQL and MySQL/MariaDB (where a schema is a database), migrations
create the schema and move a table whose schema changed, and SQLite refuses it with a clear error.

A table of the same name in the default schema stands beside each one throughout, so a query that
lost its schema would land there and be caught."""

from __future__ import annotations

import os
import sys
import types
from pathlib import Path
from typing import Any

import pytest

from oxyde import db, execute_raw
from oxyde.exceptions import UnsupportedError
from oxyde.migrations import (
    apply_migrations,
    compute_diff,
    extract_current_schema,
    generate_migration_file,
    replay_migrations,
    rollback_migrations,
)
from oxyde.models.registry import iter_tables, unregister_table

ALIAS = "meta_schema"
# Private to this test session: on MySQL a schema is a whole database on the shared server.
SCHEMA = f"oxyde_sc_{os.getpid()}"
HEAD = "from __future__ import annotations\nfrom oxyde import Model, Field, Index\n"


def models(book_schema: str | None) -> str:
    book_meta = f"        schema = {book_schema!r}\n" if book_schema else ""
    return (
        "class ScAuthor(Model):\n"
        "    id: int | None = Field(default=None, db_pk=True)\n"
        "    name: str = Field(max_length=50, db_unique=True)\n"
        "    books: list[ScBook] = Field(db_reverse_fk='author')\n"
        "    class Meta:\n"
        "        is_table = True\n"
        "        table_name = 'sc_author'\n"
        f"        schema = {SCHEMA!r}\n"
        "        indexes = [Index(('name',), name='sc_author_name_idx')]\n"
        "class ScBook(Model):\n"
        "    id: int | None = Field(default=None, db_pk=True)\n"
        "    title: str = Field(max_length=80)\n"
        "    pages: int = 0\n"
        "    author: ScAuthor | None = Field(default=None, db_on_delete='CASCADE')\n"
        "    class Meta:\n"
        "        is_table = True\n"
        "        table_name = 'sc_book'\n"
        f"{book_meta}"
    )


def use_models(source: str, step: int) -> types.ModuleType:
    for model in iter_tables():
        unregister_table(model)
    module = types.ModuleType(f"sc_models_{step}")
    sys.modules[module.__name__] = module
    exec(compile(HEAD + source, module.__name__, "exec"), module.__dict__)
    return module


def makemigrations(directory: Path, dialect: str, name: str) -> tuple[Path, list[dict[str, Any]]]:
    ops = compute_diff(replay_migrations(directory), extract_current_schema(dialect))
    path = generate_migration_file(ops, directory, name)
    assert path is not None
    return path, ops


_SEQ = [0]


async def q(sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    _SEQ[0] += 1  # each text once: a cached plan outlives the DDL of a migration
    return await execute_raw(f"{sql} /* {_SEQ[0]} */", params, using=ALIAS)


def quoted(dialect: str, *parts: str) -> str:
    mark = "`" if dialect == "mysql" else '"'
    return ".".join(f"{mark}{p}{mark}" for p in parts)


async def reset(dialect: str) -> None:
    cascade = " CASCADE" if dialect == "postgres" else ""
    await q(f"DROP {'SCHEMA' if dialect == 'postgres' else 'DATABASE'} IF EXISTS {quoted(dialect, SCHEMA)}{cascade}")
    for table in ("sc_book", "sc_author", "oxyde_migrations"):
        await q(f"DROP TABLE IF EXISTS {table}{cascade}")


async def schema_of(dialect: str, table: str) -> list[str]:
    """The schemas holding a table named ``table`` (this session's private ones and the default)."""
    default = "current_schema()" if dialect == "postgres" else "DATABASE()"
    rows = await q(
        "SELECT table_schema AS s FROM information_schema.tables WHERE table_name = "
        + ("$1" if dialect == "postgres" else "?")
        + f" AND (table_schema = {default} OR table_schema = '{SCHEMA}') ORDER BY table_schema",
        [table],
    )
    return sorted("private" if r["s"] == SCHEMA else "default" for r in rows)


async def test_tables_in_a_schema_are_queried_and_migrated_there(
    database_url: str, dialect: str, tmp_path: Path, isolated_registry: None
) -> None:
    if dialect == "sqlite":
        await sqlite_refuses_a_schema(database_url)
        return
    directory = tmp_path / "migrations"
    await db.init(**{ALIAS: database_url})
    try:
        await reset(dialect)
        # Decoys in the default schema: same names, and a query that dropped the schema fails or hits them.
        await q("CREATE TABLE sc_author (id INTEGER PRIMARY KEY, decoy INTEGER)")
        await q("INSERT INTO sc_author (id, decoy) VALUES (1, 7)")

        m = use_models(models(None), 0)
        path, ops = makemigrations(directory, dialect, "initial")
        author_op = next(op for op in ops if op["type"] == "create_table" and op["table"]["name"] == "sc_author")
        assert author_op["table"]["schema"] == SCHEMA
        assert f"schema={SCHEMA!r}" in path.read_text()
        assert await apply_migrations(str(directory), ALIAS) == [path.stem]
        assert await schema_of(dialect, "sc_author") == ["default", "private"]
        assert await schema_of(dialect, "sc_book") == ["default"]

        Author, Book = m.ScAuthor, m.ScBook
        ada = await Author.objects.create(name="Ada", using=ALIAS)
        grace, linus = await Author.objects.bulk_create([Author(name="Grace"), Author(name="Linus")], using=ALIAS)
        await Book.objects.bulk_create(
            [
                Book(title="Notes", pages=40, author=ada),
                Book(title="Compilers", pages=300, author=grace),
                Book(title="COBOL", pages=120, author=grace),
            ],
            using=ALIAS,
        )
        assert (await Author.objects.get(name="Ada", using=ALIAS)).id == ada.id
        assert await Author.objects.count(using=ALIAS) == 3
        # a join from the default schema into the private one, both ways
        titles = (
            await Book.objects.filter(author__name="Grace")
            .order_by("title")
            .values_list("title", flat=True)
            .all(using=ALIAS)
        )
        assert titles == ["COBOL", "Compilers"]
        joined = await Book.objects.join("author").order_by("id").all(using=ALIAS)
        assert [b.author.name for b in joined] == ["Ada", "Grace", "Grace"]
        authors = await Author.objects.prefetch("books").order_by("id").all(using=ALIAS)
        assert [len(a.books) for a in authors] == [1, 2, 0]
        assert await Author.objects.filter(name="Linus").update(name="Torvalds", using=ALIAS) == 1
        await Author.objects.filter(id=linus.id).delete(using=ALIAS)
        # what is in the private table, read without the ORM; the decoy is untouched
        private = await q(f"SELECT name FROM {quoted(dialect, SCHEMA, 'sc_author')} ORDER BY id")
        assert [r["name"] for r in private] == ["Ada", "Grace"]
        assert await q("SELECT id, decoy FROM sc_author") == [{"id": 1, "decoy": 7}]

        # sc_book joins the schema: the next migration moves it, rows and all
        m = use_models(models(SCHEMA), 1)
        path, ops = makemigrations(directory, dialect, "move_book")
        assert {"type": "set_table_schema", "table": "sc_book", "schema": SCHEMA, "old_schema": None} in ops
        assert await apply_migrations(str(directory), ALIAS) == [path.stem]
        assert await schema_of(dialect, "sc_book") == ["private"]
        books = await m.ScBook.objects.join("author").order_by("id").all(using=ALIAS)
        assert [(b.title, b.author.name) for b in books] == [
            ("Notes", "Ada"),
            ("Compilers", "Grace"),
            ("COBOL", "Grace"),
        ]
        with pytest.raises(Exception):  # noqa: B017 - the foreign key still holds after the move
            await m.ScBook.objects.create(title="Orphan", author_id=999, using=ALIAS)

        # and back: the downgrade returns it to the default schema, then the tables go
        assert await rollback_migrations(1, str(directory), ALIAS) == [path.stem]
        assert await schema_of(dialect, "sc_book") == ["default"]
        assert len(await q("SELECT id FROM sc_book")) == 3
        await rollback_migrations(1, str(directory), ALIAS)
        assert await schema_of(dialect, "sc_author") == ["default"]  # only the decoy is left
    finally:
        await reset(dialect)
        await db.close()


async def sqlite_refuses_a_schema(database_url: str) -> None:
    """SQLite has no schemas: a query or DDL for such a model is an error naming the database."""
    from oxyde.db.schema import create_tables_sql

    m = use_models(models(None), 0)
    with pytest.raises(RuntimeError, match="sqlite does not support schemas"):
        create_tables_sql("sqlite")
    await db.init(**{ALIAS: database_url})
    try:
        with pytest.raises(UnsupportedError, match="sqlite does not support schemas"):
            await m.ScAuthor.objects.all(using=ALIAS)
        with pytest.raises(UnsupportedError, match="sqlite does not support schemas"):
            await m.ScAuthor.objects.filter(name="Ada").update(name="Grace", using=ALIAS)
        with pytest.raises(UnsupportedError, match="sqlite does not support schemas"):
            await m.ScBook.objects.filter(author__name="Ada").count(using=ALIAS)  # the joined table has one
    finally:
        await db.close()
