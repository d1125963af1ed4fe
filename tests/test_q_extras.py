"""Query layer edges: FK columns, JSON and Enum values, explain, transactions, explicit clients."""

from __future__ import annotations

import enum
from typing import Any

import pytest
from pydantic import ValidationError

from oxyde import Field, Model, atomic
from oxyde.exceptions import FieldLookupError


class XStatus(str, enum.Enum):
    DRAFT = "draft"
    LIVE = "live"


class XAuthor(Model):
    id: int | None = Field(default=None, db_pk=True)
    name: str

    class Meta:
        is_table = True
        table_name = "q_x_author"


class XPost(Model):
    id: int | None = Field(default=None, db_pk=True)
    title: str
    author: XAuthor | None = Field(default=None, db_on_delete="CASCADE")
    status: XStatus = XStatus.DRAFT
    extra: dict[str, Any] | None = None

    class Meta:
        is_table = True
        table_name = "q_x_post"


class XLog(Model):
    line: str

    class Meta:
        is_table = True
        table_name = "q_x_log"


async def test_related_instance_fills_fk_column(database: object) -> None:
    ann = await XAuthor.objects.create(name="ann")
    post = await XPost.objects.create(title="p", author=ann)
    assert post.author_id == ann.id  # type: ignore[attr-defined]
    assert [p.title for p in await XPost.objects.filter(author=ann.id).all()] == ["p"]
    assert await XPost.objects.filter(author_id=ann.id).count() == 1


async def test_json_and_enum_values_round_trip(database: object) -> None:
    post = await XPost.objects.create(title="j", extra={"a": [1, 2], "b": None}, status=XStatus.LIVE)
    got = await XPost.objects.get(id=post.id)
    assert got.extra == {"a": [1, 2], "b": None} and got.status is XStatus.LIVE
    assert await XPost.objects.filter(id=post.id).update(extra={"c": 3}, status="draft") == 1
    got = await XPost.objects.get(id=post.id)
    assert got.extra == {"c": 3} and got.status is XStatus.DRAFT
    with pytest.raises(ValidationError):
        await XPost.objects.filter(id=post.id).update(status="nope")


async def test_filter_on_enum_column(database: object) -> None:
    await XPost.objects.create(title="e", status=XStatus.LIVE)
    assert await XPost.objects.filter(status=XStatus.LIVE).count() == 1
    assert await XPost.objects.filter(status__in=["live", "draft"]).count() == 1


async def test_last_needs_primary_key(database: object) -> None:
    with pytest.raises(FieldLookupError, match="XLog has no primary key field"):
        await XLog.objects.last()
    await XLog.objects.bulk_create([{"line": "a"}, {"line": "b"}])
    assert sorted(await XLog.objects.values_list("line", flat=True).all()) == ["a", "b"]


async def test_writes_inside_atomic_roll_back(database: object) -> None:
    class Boom(Exception):
        pass

    with pytest.raises(Boom):
        async with atomic():
            await XAuthor.objects.create(name="tmp")
            assert await XAuthor.objects.count() == 1
            raise Boom
    assert await XAuthor.objects.count() == 0


async def test_explicit_client_and_update_returning_in_transaction(database: Any) -> None:
    ann = await XAuthor.objects.create(name="ann", client=database)
    async with atomic() as tx:
        rows = await XAuthor.objects.filter(id=ann.id).update(name="ANN", returning=True, client=tx)
        assert [r.name for r in rows] == ["ANN"]
    assert (await XAuthor.objects.get(id=ann.id, client=database)).name == "ANN"


async def test_explain(database: object, dialect: str) -> None:
    q = XAuthor.objects.filter(name="x")
    plan = await q.explain()
    assert isinstance(plan, list) and plan
    if dialect == "sqlite":
        assert "detail" in plan[0]
        with pytest.raises(RuntimeError, match="SQLite EXPLAIN does not support"):
            await q.explain(analyze=True)
    else:
        assert await q.explain(format="json")
