# pyright: strict
"""Expressions, aggregates, errors, table options and connections in user code."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from app_models import Author, Post
from typing_extensions import assert_type

from oxyde import (
    AsyncDatabase,
    Avg,
    Check,
    Coalesce,
    Concat,
    Count,
    F,
    Field,
    Index,
    IntegrityError,
    Model,
    NotFoundError,
    PoolSettings,
    Q,
    Query,
    RawSQL,
    Sum,
    create_tables,
    db,
    drop_tables,
)


class Tag(Model):
    id: int | None = Field(default=None, db_pk=True)
    name: str = Field(..., max_length=30)
    weight: float = Field(default=1.0, db_index=True)
    aliases: list[str] = Field(default_factory=list)

    class Meta:
        is_table = True
        table_name = "typing_tag"
        indexes = [Index(["name"], unique=True), Index("weight", method="btree")]
        constraints = [Check("weight >= 0", name="weight_positive")]


async def expressions() -> None:
    adults = Q(age__gte=18) & ~Q(name__startswith="x") | Q(role__in=["admin"])
    assert_type(adults, Q)
    assert_type(await Author.objects.filter(adults).count(), int)
    assert_type(await Post.objects.filter(price__gt=F("price") - 1).all(), list[Post])
    rows = await (
        Post.objects.values("author")
        .annotate(n=Count("id"), total=Sum("price"), mean=Avg("price"), label=Concat("title", "title"))
        .group_by("author")
        .having(n__gt=1)
        .order_by("-n")
        .all()
    )
    assert_type(rows, list[dict[str, Any]])
    mails = await Author.objects.annotate(mail=Coalesce("email", "name")).values("mail").all()
    assert_type(mails, list[dict[str, Any]])
    assert_type(await Post.objects.annotate(x=RawSQL("1")).values_list("x", flat=True).all(), list[Any])
    assert_type(await Post.objects.sum("price"), Any)
    assert_type(Post.objects.filter(id=1).sql(dialect="sqlite"), tuple[str, list[Any]])
    assert_type(Post.objects.filter(id=1).union(Post.objects.filter(id=2)), Query[Post])


async def errors_and_connections() -> None:
    try:
        await Author.objects.get(id=404)
    except NotFoundError as exc:
        assert_type(exc.code, str)
    try:
        await Tag.objects.create(name="dup", weight=Decimal("1.5"))
    except IntegrityError:
        pass
    settings = PoolSettings(max_connections=5)
    async with db.connect("sqlite:///:memory:", settings=settings) as database:
        assert_type(database, AsyncDatabase)
        await create_tables(database)
        tag = await Tag.objects.create(name="t", client=database)
        assert_type(tag.aliases, list[str])
        await drop_tables(database)
