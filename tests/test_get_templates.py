"""``objects.get(**lookups)`` from a packed template: the same statement, rows and errors as the
query built the general way, on every dialect."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest

from oxyde import Field, Model, atomic
from oxyde._codec import pack_ir
from oxyde.db.pool import AsyncDatabase
from oxyde.db.querylog import query_log
from oxyde.exceptions import FieldError, FieldLookupValueError, MultipleObjectsReturned, NotFoundError
from oxyde.queries.compiler import compile_select
from oxyde.queries.manager import QueryManager
from oxyde.queries.select import Query
from oxyde.queries.templates import get_ir


class TPerson(Model):
    id: int | None = Field(default=None, db_pk=True)
    name: str = Field(max_length=40)
    age: int = 0
    active: bool = True
    score: float = 0.0
    balance: Decimal | None = Field(default=None, max_digits=10, decimal_places=2)
    seen: datetime | None = None

    class Meta:
        is_table = True
        table_name = "t_person"


class ActiveManager(QueryManager[Any]):
    """A manager whose queries only ever see active rows."""

    def query(self) -> Query[Any]:
        return super().query().filter(active=True)


class TMember(Model):
    id: int | None = Field(default=None, db_pk=True)
    name: str = Field(max_length=40)
    active: bool = True

    class Meta:
        is_table = True
        table_name = "t_member"


TMember.objects = ActiveManager(TMember)  # type: ignore[assignment]

SHAPES: list[dict[str, Any]] = [
    {"id": 7},
    {"name": "ann"},
    {"id": 7, "active": True},
    {"age__gte": 30, "name": "ann"},
    {"score": 1.5},
    {"active": False, "age__lt": 3, "name": "x"},
]


@pytest.mark.parametrize("lookups", SHAPES, ids=[",".join(s) for s in SHAPES])
def test_the_template_is_the_query_built_the_general_way(lookups: dict[str, Any]) -> None:
    expected = compile_select(TPerson.objects.filter(**lookups).limit(2))
    for _ in range(2):  # made on the first call, spliced on the second
        ir = get_ir(TPerson, lookups)
        assert ir is not None
        assert dict(ir) == expected
        assert pack_ir(ir) == pack_ir(dict(expected))


def test_lookups_the_template_cannot_splice_take_the_general_path() -> None:
    assert get_ir(TPerson, {}) is None
    assert get_ir(TPerson, {"name__icontains": "a"}) is None  # not a plain comparison
    assert get_ir(TPerson, {"id__in": [1, 2]}) is None
    assert get_ir(TPerson, {"balance": Decimal("1.00")}) is None  # not a plain value type
    assert get_ir(TPerson, {"id": "7"}) is None  # text for an integer field
    assert get_ir(TPerson, {"id": 2**70}) is None  # out of range: the general path says so
    assert get_ir(TPerson, {"nope": 1}) is None


async def test_get_reads_the_row_with_the_same_statement(database: AsyncDatabase) -> None:
    ann = await TPerson.objects.create(name="ann", age=41, score=1.5, balance=Decimal("2.50"))
    await TPerson.objects.create(name="bob", age=41, active=False)
    for _ in range(2):
        with query_log() as log:
            got = await TPerson.objects.get(id=ann.id)
            built = await TPerson.objects.filter(id=ann.id).get()
        assert got == built == ann
        assert type(got.balance) is Decimal
        assert log[0].sql == log[1].sql
        assert await TPerson.objects.get(name="ann", age__gte=40) == ann
        assert await TPerson.objects.get(age=41, active=False) == await TPerson.objects.get(name="bob")
    assert await TPerson.objects.get_or_none(id=-1) is None
    assert await TPerson.objects.get_or_none(name="bob", active=False) is not None


async def test_get_keeps_its_errors(database: AsyncDatabase) -> None:
    await TPerson.objects.create(name="ann", age=41)
    await TPerson.objects.create(name="bob", age=41)
    assert (await TPerson.objects.get(name="ann")).age == 41  # the template of name=str exists now
    with pytest.raises(NotFoundError, match="TPerson matching query not found"):
        await TPerson.objects.get(name="nobody")
    with pytest.raises(MultipleObjectsReturned, match="Query for TPerson returned multiple objects"):
        await TPerson.objects.get(age=41)
    with pytest.raises(FieldLookupValueError, match="Invalid value for field 'age'"):
        await TPerson.objects.get(age="old")
    with pytest.raises(ValueError, match="out of range"):
        await TPerson.objects.get(age=2**70)
    with pytest.raises(FieldError, match="TPerson has no field 'nope'"):
        await TPerson.objects.get(nope=1)


async def test_get_runs_on_the_given_transaction(database: AsyncDatabase) -> None:
    async with atomic() as tx:
        ann = await TPerson.objects.create(name="ann")
        assert await TPerson.objects.get(id=ann.id, client=tx) == ann
        assert await TPerson.objects.get(id=ann.id) == ann  # inside atomic(): its connection
    assert await TPerson.objects.get(id=ann.id, using="default") == ann


async def test_a_manager_with_its_own_query_keeps_its_filters(database: AsyncDatabase) -> None:
    gone = await TMember.objects.create(name="gone", active=False)
    here = await TMember.objects.create(name="here")
    assert await TMember.objects.get(id=here.id) == here
    with pytest.raises(NotFoundError):
        await TMember.objects.get(id=gone.id)
    assert await TMember.objects.get_or_none(id=gone.id) is None
