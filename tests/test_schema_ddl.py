"""``create_tables`` runs the DDL a first migration would (migrations-cli.md
§16): FKs, checks (inline on SQLite too), indexes, ``db_index`` and
``unique_together``, on every dialect."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from oxyde import AsyncDatabase, Field, Index, Model, create_tables, drop_tables
from oxyde.db.schema import create_tables_sql
from oxyde.exceptions import CheckViolationError, IntegrityError, UniqueViolationError
from oxyde.models.metadata import Check
from oxyde.models.registry import iter_tables, register_table, unregister_table


class CtOwner(Model):
    id: int | None = Field(default=None, db_pk=True)
    name: str = Field(max_length=20)

    class Meta:
        is_table = True
        table_name = "ct_owner"


class CtPet(Model):
    id: int | None = Field(default=None, db_pk=True)
    owner: CtOwner | None = Field(default=None, db_on_delete="CASCADE")
    tag: str = Field(max_length=10, db_index=True)
    kind: str = Field(max_length=10)
    age: int = 0

    class Meta:
        is_table = True
        table_name = "ct_pet"
        unique_together = [("owner", "tag")]
        constraints = [Check("age >= 0", name="ct_pet_age_ok")]
        indexes = [Index(["kind"])]


class CtLeft(Model):
    id: int | None = Field(default=None, db_pk=True)
    name: str = "l"
    right: CtRight | None = Field(default=None, db_on_delete="SET NULL")

    class Meta:
        is_table = True
        table_name = "ct_left"


class CtRight(Model):
    id: int | None = Field(default=None, db_pk=True)
    name: str = "r"
    left: CtLeft | None = Field(default=None, db_on_delete="SET NULL")

    class Meta:
        is_table = True
        table_name = "ct_right"


# Registered only while these tests run, so the shared fixture never sees them.
MODELS = (CtOwner, CtPet)
MUTUAL = (CtLeft, CtRight)
for _model in (*MODELS, *MUTUAL):
    unregister_table(_model)


@pytest.fixture
def models() -> tuple[type[Model], ...]:
    return MODELS


@pytest.fixture
def only_these(models: tuple[type[Model], ...]) -> Iterator[None]:
    saved = iter_tables()
    for model in saved:
        unregister_table(model)
    for model in models:
        register_table(model)
    yield
    for model in models:
        unregister_table(model)
    for model in saved:
        register_table(model)


@pytest.mark.parametrize("dialect", ["sqlite", "postgres", "mysql"])
def test_create_tables_sql_is_the_first_migration(only_these: None, dialect: str) -> None:
    q = "`" if dialect == "mysql" else '"'
    sql = create_tables_sql(dialect)
    assert sql[0].startswith(f"CREATE TABLE {q}ct_owner{q}")  # the referenced table first
    assert sql[1].startswith(f"CREATE TABLE {q}ct_pet{q}")
    text = "\n".join(sql)
    for piece in (
        f"CONSTRAINT {q}fk_ct_pet_owner_id{q} FOREIGN KEY ({q}owner_id{q}) REFERENCES {q}ct_owner{q}",
        "ON DELETE CASCADE",
        f"CONSTRAINT {q}ct_pet_age_ok{q} CHECK (age >= 0)",
        f"CREATE INDEX {q}ix_ct_pet_tag{q}",
        f"CREATE INDEX {q}ct_pet_kind_idx{q}",
        f"CREATE UNIQUE INDEX {q}ct_pet_owner_id_tag_uniq{q} ON {q}ct_pet{q} ({q}owner_id{q}, {q}tag{q})",
    ):
        assert piece in text, (piece, text)


@pytest.fixture
async def private(database_url: str, only_these: None) -> AsyncIterator[AsyncDatabase]:
    conn = AsyncDatabase(database_url, name="schema_ddl_test", overwrite=True)
    await conn.connect()
    try:
        await drop_tables(conn)
        yield conn
    finally:
        await drop_tables(conn)
        await conn.disconnect()
        from oxyde.db.registry import unregister_connection

        unregister_connection("schema_ddl_test")


async def test_create_tables_enforces_fk_check_and_unique_together(private: AsyncDatabase) -> None:
    await create_tables(private)
    ann = await CtOwner.objects.create(name="ann", client=private)
    await CtPet.objects.create(owner=ann, tag="a", kind="cat", client=private)
    with pytest.raises(UniqueViolationError):
        await CtPet.objects.create(owner=ann, tag="a", kind="dog", client=private)
    with pytest.raises(CheckViolationError):  # SQLite included: the CHECK is inline
        await CtPet.objects.create(owner=ann, tag="b", kind="dog", age=-1, client=private)
    with pytest.raises(IntegrityError):
        await CtPet.objects.create(owner_id=999, tag="c", kind="dog", client=private)
    await CtOwner.objects.filter(id=ann.id).delete(client=private)
    assert await CtPet.objects.count(client=private) == 0  # ON DELETE CASCADE


@pytest.mark.parametrize("models", [MUTUAL])
async def test_create_tables_accepts_mutual_references(private: AsyncDatabase) -> None:
    # a migration refuses the cycle (test_mig_stubs.py); create_tables adds the
    # constraints once both tables exist, as before
    with pytest.raises(ValueError, match="cyclic foreign key dependency among tables: ct_left, ct_right"):
        create_tables_sql(private.backend or "")
    await create_tables(private)
    left = await CtLeft.objects.create(name="l", client=private)
    right = await CtRight.objects.create(name="r", left=left, client=private)
    await CtLeft.objects.filter(id=left.id).update(right_id=right.id, client=private)
    with pytest.raises(IntegrityError):
        await CtRight.objects.create(name="x", left_id=999, client=private)
