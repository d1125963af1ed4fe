"""Manager writes against real databases: create, bulk_create, bulk_update, get_or_create, update_or_create."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

import pytest

from oxyde import Field, Model
from oxyde import exceptions as exc
from oxyde.core import errors as core


class MAccount(Model):
    id: int | None = Field(default=None, db_pk=True)
    email: str = Field(db_unique=True)
    name: str = ""
    age: int | None = None
    tier: str = Field(default="free", db_default="'free'")

    class Meta:
        is_table = True
        table_name = "q_m_account"


class MToken(Model):
    id: UUID = Field(default_factory=uuid4, db_pk=True)
    label: str

    class Meta:
        is_table = True
        table_name = "q_m_token"


async def test_create_returns_new_instance_with_id(database: object, dialect: str) -> None:
    acc = await MAccount.objects.create(email="a@x", name="A")
    assert isinstance(acc.id, int) and acc.id > 0
    fetched = await MAccount.objects.get(id=acc.id)
    assert (fetched.email, fetched.name, fetched.age) == ("a@x", "A", None)
    src = MAccount(email="b@x")
    made = await MAccount.objects.create(instance=src)
    assert made is not src and src.id is None and made.id is not None


async def test_create_reads_database_defaults_where_returning_exists(database: object, dialect: str) -> None:
    acc = await MAccount.objects.create(email="d@x")
    assert (await MAccount.objects.get(id=acc.id)).tier == "free"


async def test_default_factory_primary_key_is_sent(database: object) -> None:
    tok = await MToken.objects.create(label="t")
    assert isinstance(tok.id, UUID)
    again = await MToken.objects.get(id=tok.id)
    assert again.label == "t"


async def test_unique_violation_is_translated(database: object) -> None:
    await MAccount.objects.create(email="dup@x")
    with pytest.raises(exc.UniqueViolationError) as info:
        await MAccount.objects.create(email="dup@x")
    assert type(info.value) is exc.UniqueViolationError
    assert isinstance(info.value.__cause__, core.UniqueViolationError)
    with pytest.raises(exc.UniqueViolationError):
        await MAccount.objects.bulk_create([MAccount(email="u1@x"), MAccount(email="u1@x")])


async def test_update_errors_stay_core_errors(database: object) -> None:
    a = await MAccount.objects.create(email="x1@x")
    await MAccount.objects.create(email="x2@x")
    with pytest.raises(RuntimeError) as info:
        await MAccount.objects.filter(id=a.id).update(email="x2@x")
    assert isinstance(info.value, exc.UniqueViolationError)


async def test_using_and_client_together_is_an_error(database: object) -> None:
    with pytest.raises(exc.ManagerError, match="Provide either 'client' or 'using', not both"):
        await MAccount.objects.count(using="default", client=object())  # type: ignore[arg-type]
    with pytest.raises(KeyError, match="Connection 'nowhere' is not registered"):
        await MAccount.objects.count(using="nowhere")


async def test_bulk_create_assigns_ids_and_keeps_every_column(database: object) -> None:
    objs = [MAccount(email="1@x"), {"email": "2@x", "age": 30}, MAccount(email="3@x", name="three")]
    made = await MAccount.objects.bulk_create(objs, batch_size=2)
    ids = [m.id for m in made]
    assert all(isinstance(i, int) for i in ids) and len(set(ids)) == 3
    assert made[0] is objs[0]
    rows = {r.email: r for r in await MAccount.objects.all()}
    # spec defect: a column only present in a later row must not be dropped
    assert rows["2@x"].age == 30 and rows["3@x"].name == "three"
    assert {r.id for r in rows.values()} == set(ids)


async def test_bulk_update(database: object) -> None:
    a, b = await MAccount.objects.bulk_create([MAccount(email="a@x"), MAccount(email="b@x")])
    a.name, b.name, b.age = "AA", "BB", 7
    assert await MAccount.objects.bulk_update([a, b, MAccount(email="nopk@x")], ["name", "age"]) == 2
    got = {r.email: (r.name, r.age) for r in await MAccount.objects.all()}
    assert got == {"a@x": ("AA", None), "b@x": ("BB", 7)}


class _CountingClient:
    """Passes IR through to the real client and keeps every op sent."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.backend = getattr(inner, "backend", None)
        self.sent: list[dict[str, Any]] = []

    async def execute(self, ir: dict[str, Any]) -> bytes:
        self.sent.append(ir)
        return await self.inner.execute(ir)  # type: ignore[no-any-return]


async def test_bulk_update_is_one_statement_with_different_values(database: object) -> None:
    made = await MAccount.objects.bulk_create([MAccount(email=f"{i}@x", age=i) for i in range(4)])
    made[0].name, made[0].age = "zero", None
    made[1].name, made[1].age = "one", 10
    made[2].name, made[2].age, made[2].tier = "two", 20, "pro"  # tier is not in fields: left alone
    client = _CountingClient(database)
    assert await MAccount.objects.bulk_update(made[:3], ["name", "age"], client=client) == 3
    assert [ir["op"] for ir in client.sent] == ["update"]
    assert client.sent[0]["values"]["age"]["type"] == "case"
    got = {r.email: (r.name, r.age, r.tier) for r in await MAccount.objects.all()}
    assert got == {
        "0@x": ("zero", None, "free"),
        "1@x": ("one", 10, "free"),
        "2@x": ("two", 20, "free"),
        "3@x": ("", 3, "free"),
    }


async def test_bulk_update_batches_below_the_parameter_limit(database: object, monkeypatch: pytest.MonkeyPatch) -> None:
    from oxyde.queries import writes

    # 2 fields -> 5 parameters per row; a limit of 10 fits 2 rows per statement
    monkeypatch.setattr(writes, "_BULK_UPDATE_MAX_PARAMS", 10)
    made = await MAccount.objects.bulk_create([MAccount(email=f"{i}@x") for i in range(3)])
    for m in made:
        m.name, m.age = f"n{m.email}", len(m.email)
    client = _CountingClient(database)
    assert await MAccount.objects.bulk_update(made, ["name", "age"], client=client) == 3
    assert len(client.sent) == 2
    assert {r.name for r in await MAccount.objects.all()} == {"n0@x", "n1@x", "n2@x"}


async def test_bulk_update_with_uuid_keys(database: object) -> None:
    a, b = await MToken.objects.bulk_create([MToken(label="a"), MToken(label="b")])
    a.label, b.label = "A", "B"
    assert await MToken.objects.bulk_update([a, b], ["label"]) == 2
    assert sorted(t.label for t in await MToken.objects.all()) == ["A", "B"]


async def test_get_or_create_and_update_or_create(database: object) -> None:
    obj, created = await MAccount.objects.get_or_create(email="g@x", defaults={"name": "G"})
    assert created and obj.name == "G"
    again, created = await MAccount.objects.get_or_create(email="g@x", defaults={"name": "other"})
    assert not created and again.id == obj.id and again.name == "G"
    upd, created = await MAccount.objects.update_or_create(email="g@x", defaults={"name": "G2"})
    assert not created and upd.name == "G2"
    assert (await MAccount.objects.get(email="g@x")).name == "G2"
    new, created = await MAccount.objects.update_or_create(email="h@x", defaults={"age": 3})
    assert created and new.age == 3
    assert await MAccount.objects.count() == 2
