"""get_or_create / update_or_create: atomic (transaction or savepoint) and race-tolerant, on every dialect."""

from __future__ import annotations

import asyncio
from typing import Any, ClassVar

import pytest

from oxyde import Field, Model, atomic
from oxyde.exceptions import MultipleObjectsReturned
from oxyde.queries.manager import QueryManager


class GAccount(Model):
    id: int | None = Field(default=None, db_pk=True)
    email: str = Field(db_unique=True, max_length=100)
    name: str = ""
    visits: int = 0

    fail_on: ClassVar[set[bool]] = set()

    class Meta:
        is_table = True
        table_name = "q_g_account"

    async def post_save(self, *, is_create: bool, update_fields: set[str] | None = None) -> None:
        if is_create in GAccount.fail_on:
            raise RuntimeError(f"post_save failed (is_create={is_create})")


@pytest.fixture(autouse=True)
def _no_failures() -> None:
    GAccount.fail_on.clear()


async def test_get_or_create_creates_then_gets(database: object) -> None:
    made, created = await GAccount.objects.get_or_create(email="a@x", defaults={"name": "A"})
    assert created and made.id is not None and made.name == "A"
    again, created = await GAccount.objects.get_or_create(email="a@x", defaults={"name": "B"})
    assert not created and again.id == made.id and again.name == "A"
    assert await GAccount.objects.count() == 1


async def test_get_or_create_is_atomic_a_failing_hook_leaves_no_row(database: object) -> None:
    GAccount.fail_on.add(True)
    with pytest.raises(RuntimeError, match="post_save failed"):
        await GAccount.objects.get_or_create(email="hook@x")
    # not atomic (the 0.7 behaviour) would have kept the inserted row
    assert await GAccount.objects.count() == 0


async def test_update_or_create_is_atomic_a_failing_update_is_rolled_back(database: object) -> None:
    await GAccount.objects.create(email="u@x", name="old")
    GAccount.fail_on.add(False)
    with pytest.raises(RuntimeError, match="post_save failed"):
        await GAccount.objects.update_or_create(email="u@x", defaults={"name": "new"})
    assert (await GAccount.objects.get(email="u@x")).name == "old"
    GAccount.fail_on.clear()
    obj, created = await GAccount.objects.update_or_create(email="u@x", defaults={"name": "new", "visits": 2})
    assert not created and (obj.name, obj.visits) == ("new", 2)
    assert (await GAccount.objects.get(email="u@x")).visits == 2


async def test_lost_insert_race_reads_the_existing_row(database: object, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first get() misses a row a concurrent caller inserted; the insert
    then fails on the unique key inside the transaction, and the row is read
    back. On PostgreSQL this needs the insert's own savepoint."""
    winner = await GAccount.objects.create(email="race@x", name="winner")
    real_get = QueryManager.get
    calls: list[dict[str, Any]] = []

    async def blind_first_get(self: QueryManager[Any], **kwargs: Any) -> Any:
        calls.append(kwargs)
        if len(calls) == 1:
            from oxyde.exceptions import NotFoundError

            raise NotFoundError("GAccount matching query not found")
        return await real_get(self, **kwargs)

    monkeypatch.setattr(QueryManager, "get", blind_first_get)
    obj, created = await GAccount.objects.get_or_create(email="race@x", defaults={"name": "loser"})
    assert not created and obj.id == winner.id and obj.name == "winner"
    calls.clear()
    obj, created = await GAccount.objects.update_or_create(email="race@x", defaults={"name": "updated"})
    assert not created and obj.id == winner.id and obj.name == "updated"
    assert await GAccount.objects.count() == 1


async def test_concurrent_callers_create_one_row(database: object) -> None:
    results = await asyncio.gather(*(GAccount.objects.get_or_create(email="many@x") for _ in range(4)))
    assert sum(created for _, created in results) == 1
    assert len({obj.id for obj, _ in results}) == 1
    assert await GAccount.objects.count() == 1


async def test_inside_atomic_uses_a_savepoint_and_follows_the_outer_block(database: object) -> None:
    with pytest.raises(LookupError):
        async with atomic():
            _, created = await GAccount.objects.get_or_create(email="in@x")
            assert created
            raise LookupError
    assert await GAccount.objects.count() == 0
    async with atomic():
        await GAccount.objects.get_or_create(email="in@x")
        with pytest.raises(RuntimeError):
            GAccount.fail_on.add(True)
            await GAccount.objects.get_or_create(email="in2@x")  # only its savepoint rolls back
    assert sorted(await GAccount.objects.values_list("email", flat=True).all()) == ["in@x"]


async def test_multiple_matches_propagate(database: object) -> None:
    await GAccount.objects.bulk_create([GAccount(email="m1@x", name="n"), GAccount(email="m2@x", name="n")])
    with pytest.raises(MultipleObjectsReturned):
        await GAccount.objects.get_or_create(name="n")
