"""Query builder against real databases: reads, lookups, ordering, aggregates, updates, deletes."""

from __future__ import annotations

from datetime import date

import pytest

from oxyde import Field, Model
from oxyde.exceptions import MultipleObjectsReturned, NotFoundError
from oxyde.queries import Avg, Concat, Count, F, Max, Q, Sum


class QUser(Model):
    id: int | None = Field(default=None, db_pk=True)
    name: str
    email: str = Field(default="", db_column="email_address")
    age: int = 0
    status: str = "active"
    born: date | None = None

    class Meta:
        is_table = True
        table_name = "q_user"


PEOPLE = [
    ("ann", 31, "active", date(1993, 5, 1)),
    ("bob", 17, "active", date(2007, 12, 24)),
    ("cid", 45, "banned", date(1979, 12, 3)),
    ("dee", 17, "admin", None),
    ("Eve_50%", 60, "active", date(1964, 1, 1)),
]


@pytest.fixture
async def people(database: object) -> list[QUser]:
    objs = [QUser(name=n, age=a, status=s, born=b, email=f"{n.lower()}@x.io") for n, a, s, b in PEOPLE]
    return await QUser.objects.bulk_create(objs)


async def names(q: object) -> list[str]:
    return sorted(await q.values_list("name", flat=True).all())  # type: ignore[attr-defined]


async def test_all_returns_models_with_ids(people: list[QUser]) -> None:
    rows = await QUser.objects.order_by("id").all()
    assert [type(r) for r in rows] == [QUser] * 5
    assert [r.name for r in rows] == [p[0] for p in PEOPLE]
    assert [r.id for r in rows] == [p.id for p in people]
    assert all(isinstance(r.id, int) for r in rows)
    assert rows[0].email == "ann@x.io"


@pytest.mark.parametrize(
    ("lookups", "expected"),
    [
        ({"age": 17}, ["bob", "dee"]),
        ({"age__gt": 31}, ["Eve_50%", "cid"]),
        ({"age__gte": 31}, ["Eve_50%", "ann", "cid"]),
        ({"age__lt": 18}, ["bob", "dee"]),
        ({"age__lte": 17}, ["bob", "dee"]),
        ({"age__in": [31, 45]}, ["ann", "cid"]),
        ({"age__in": []}, []),
        ({"age__range": (17, 31)}, ["ann", "bob", "dee"]),
        ({"age__between": [40, 70]}, ["Eve_50%", "cid"]),
        ({"born__isnull": True}, ["dee"]),
        ({"born": None}, ["dee"]),
        ({"born__isnull": False, "age__lt": 40}, ["ann", "bob"]),
        ({"name__iexact": "ANN"}, ["ann"]),
        ({"name__icontains": "E_5"}, ["Eve_50%"]),
        ({"name__contains": "50%"}, ["Eve_50%"]),
        ({"name__contains": "_"}, ["Eve_50%"]),
        ({"name__startswith": "b"}, ["bob"]),
        ({"name__istartswith": "EVE"}, ["Eve_50%"]),
        ({"name__endswith": "b"}, ["bob"]),
        ({"name__iendswith": "N"}, ["ann"]),
        ({"email": "cid@x.io"}, ["cid"]),
        ({"born__year": 1993}, ["ann"]),
        ({"born__month": (2007, 12)}, ["bob"]),
        ({"born__day": (1979, 12, 3)}, ["cid"]),
    ],
)
async def test_lookups(people: list[QUser], lookups: dict, expected: list[str]) -> None:
    assert await names(QUser.objects.filter(**lookups)) == expected


async def test_q_exclude_and_chaining(people: list[QUser]) -> None:
    q = QUser.objects.filter(Q(age__gte=18) & (Q(status="active") | Q(status="banned")))
    assert await names(q) == ["Eve_50%", "ann", "cid"]
    assert await names(QUser.objects.filter(Q(age=17) | Q(name="ann"), status="active")) == ["ann", "bob"]
    assert await names(QUser.objects.filter(~Q(status="active"))) == ["cid", "dee"]
    assert await names(QUser.objects.exclude(age=17, status="admin")) == ["Eve_50%", "ann", "bob", "cid"]
    base = QUser.objects.filter(status="active")
    assert await names(base.filter(age__lt=30)) == ["bob"]
    assert await names(base) == ["Eve_50%", "ann", "bob"]


async def test_ordering_limit_offset_slicing(people: list[QUser]) -> None:
    ordered = await QUser.objects.order_by("-age", "name").values_list("name", flat=True).all()
    assert ordered == ["Eve_50%", "cid", "ann", "bob", "dee"]
    page = await QUser.objects.order_by("age", "name")[1:3].values_list("name", flat=True).all()
    assert page == ["dee", "ann"]
    third = QUser.objects.order_by("-age", "name").offset(2).limit(1)
    assert await third.values_list("name", flat=True).all() == ["ann"]
    random = await QUser.objects.order_by("?").all()
    assert len(random) == 5


async def test_first_last_get(people: list[QUser]) -> None:
    assert (await QUser.objects.order_by("age", "name").first()).name == "bob"  # type: ignore[union-attr]
    assert (await QUser.objects.order_by("age", "name").last()).name == "Eve_50%"  # type: ignore[union-attr]
    assert (await QUser.objects.last()).name == "Eve_50%"  # type: ignore[union-attr]
    assert await QUser.objects.filter(age=99).first() is None
    assert (await QUser.objects.get(name="cid")).age == 45
    with pytest.raises(NotFoundError, match="QUser matching query not found"):
        await QUser.objects.get(name="zed")
    with pytest.raises(MultipleObjectsReturned, match="Query for QUser returned multiple objects"):
        await QUser.objects.get(age=17)
    with pytest.raises(MultipleObjectsReturned):
        await QUser.objects.get_or_none(age=17)
    assert await QUser.objects.get_or_none(name="zed") is None
    assert (await QUser.objects.filter(name="ann").get()).age == 31


async def test_count_exists(people: list[QUser]) -> None:
    assert await QUser.objects.count() == 5
    assert await QUser.objects.filter(age=17).count() == 2
    assert await QUser.objects.filter(age=17).exists() is True
    assert await QUser.objects.filter(age=99).exists() is False
    assert await QUser.objects.order_by("age").limit(1).count() == 5
    # counting distinct rows and both union sides: the spec's MAY / defect decisions
    assert await QUser.objects.values("status").distinct().count() == 3
    young, old = QUser.objects.filter(age__lt=18).values("name"), QUser.objects.filter(age__gt=40).values("name")
    assert await young.union(old).count() == 4
    assert await QUser.objects.filter(age=17).offset(1).exists() is True
    assert await QUser.objects.filter(age=17).offset(2).exists() is False


async def test_values_and_values_list(people: list[QUser]) -> None:
    rows = await QUser.objects.filter(name="ann").values("name", "email").all()
    assert rows == [{"name": "ann", "email": "ann@x.io"}]
    assert await QUser.objects.filter(name="ann").values_list("name", "age").all() == [("ann", 31)]
    full = await QUser.objects.filter(name="ann").values().first()
    assert full["email"] == "ann@x.io" and full["age"] == 31
    assert sorted(await QUser.objects.values_list("status", flat=True).distinct().all()) == [
        "active",
        "admin",
        "banned",
    ]
    with pytest.raises(ValueError, match="requires exactly one field"):
        await QUser.objects.values_list(flat=True).all()


async def test_manager_all_modes(people: list[QUser]) -> None:
    dicts = await QUser.objects.all(mode="dict")
    assert {d["name"] for d in dicts} == {p[0] for p in PEOPLE}
    tuples = await QUser.objects.all(mode="list")
    assert all(isinstance(t, tuple) for t in tuples)
    raw = await QUser.objects.all(mode="msgpack")
    assert isinstance(raw, bytes)


async def test_terminal_aggregates(people: list[QUser]) -> None:
    assert await QUser.objects.sum("age") == 170
    assert await QUser.objects.filter(age=17).avg("age") == pytest.approx(17.0)
    assert isinstance(await QUser.objects.avg("age"), float)
    assert await QUser.objects.max("age") == 60
    assert await QUser.objects.min("age") == 17
    assert await QUser.objects.filter(age=99).sum("age") is None


async def test_annotate_group_by_having(people: list[QUser]) -> None:
    rows = (
        await QUser.objects.values("status")
        .annotate(n=Count("*"), top=Max("age"))
        .group_by("status")
        .order_by("status")
        .all()
    )
    assert rows == [
        {"n": 3, "top": 60, "status": "active"},
        {"n": 1, "top": 17, "status": "admin"},
        {"n": 1, "top": 45, "status": "banned"},
    ]
    busy = await QUser.objects.values("status").annotate(n=Count("*")).group_by("status").having(n__gte=2).all()
    assert busy == [{"n": 3, "status": "active"}]
    total = await QUser.objects.annotate(total=Sum("age"), mean=Avg("age")).values().all()
    assert total[0]["total"] == 170
    with pytest.raises(TypeError, match="group_by\\(\\) returns partial rows"):
        await QUser.objects.query().group_by("status").all()


async def test_concat_annotation(people: list[QUser]) -> None:
    rows = await QUser.objects.filter(name="ann").annotate(label=Concat("name", "status", separator="-")).values().all()
    assert rows[0]["label"] == "ann-active"


async def test_union(people: list[QUser]) -> None:
    young = QUser.objects.filter(age__lt=18).values_list("name", flat=True)
    old = QUser.objects.filter(age__gt=40).values_list("name", flat=True)
    assert sorted(await young.union(old).all()) == ["Eve_50%", "bob", "cid", "dee"]
    same = QUser.objects.filter(age=17).values_list("age", flat=True)
    assert await same.union_all(same).all() == [17, 17, 17, 17]
    assert await same.union(same).all() == [17]


async def test_update_delete_increment(people: list[QUser]) -> None:
    assert await QUser.objects.filter(age=17).update(status="minor") == 2
    assert await names(QUser.objects.filter(status="minor")) == ["bob", "dee"]
    assert await QUser.objects.filter(name="ann").update(age=F("age") * 2 + 1) == 1
    assert (await QUser.objects.get(name="ann")).age == 63
    assert await QUser.objects.filter(name="cid").increment("age", by=-5) == 1
    assert (await QUser.objects.get(name="cid")).age == 40
    updated = await QUser.objects.filter(name="bob").update(email="b@b", returning=True)
    assert [(u.name, u.email) for u in updated] == [("bob", "b@b")]
    assert await QUser.objects.filter(name="nobody").update(age=1, returning=True) == []
    assert await QUser.objects.filter(age__lt=18).delete() == 2
    assert await QUser.objects.count() == 3
    assert await QUser.objects.filter().delete() == 3


async def test_for_update_runs(people: list[QUser]) -> None:
    rows = await QUser.objects.filter(name="ann").for_update().all()
    assert [r.name for r in rows] == ["ann"]
