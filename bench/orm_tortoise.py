"""Tortoise ORM on the same drivers as the raw baseline (aiosqlite, asyncpg, asyncmy)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from tortoise import Tortoise, fields
from tortoise.expressions import F, Q
from tortoise.functions import Avg, Count, Max, Sum
from tortoise.models import Model

import common as c

SCHEMES = {"sqlite": "sqlite://", "postgres": "asyncpg://", "mysql": "mysql://"}


class User(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=100)
    email = fields.CharField(max_length=200)
    age = fields.IntField()
    active = fields.BooleanField()

    class Meta:
        table = "users"


class Post(Model):
    id = fields.IntField(primary_key=True)
    author: fields.ForeignKeyRelation[User] = fields.ForeignKeyField("models.User", related_name="posts")
    title = fields.CharField(max_length=200)
    body = fields.TextField()
    views = fields.IntField()
    published = fields.BooleanField()
    tags: fields.ManyToManyRelation[Tag] = fields.ManyToManyField(
        "models.Tag", through="post_tags", forward_key="tag_id", backward_key="post_id", related_name="posts"
    )

    class Meta:
        table = "posts"


class Tag(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=50)

    class Meta:
        table = "tags"


Ops = dict[str, Callable[[int], Awaitable[Any]]]


def tortoise_url(database: str, url: str) -> str:
    if database == "sqlite":  # WAL and foreign keys are Tortoise's defaults; synchronous as everyone else
        return "sqlite://" + url.removeprefix("sqlite:///") + "?synchronous=NORMAL"
    pool = f"minsize={c.POOL_SIZE}&maxsize={c.POOL_SIZE}"
    return SCHEMES[database] + url.split("://", 1)[1] + "?" + pool


def operations() -> Ops:
    def concurrent(n: int) -> Callable[[int], Awaitable[Any]]:
        async def run(i: int) -> Any:
            return await asyncio.gather(*(User.get(id=c.pk(i * n + k)) for k in range(n)))

        return run

    def complex_filter(i: int) -> Any:
        a = c.complex_age(i)
        return User.filter(Q(id__lte=300) & (Q(age__lt=a) | Q(age__gt=a + 40)) & ~Q(active=False))

    def groups(i: int) -> Any:
        return (
            Post.filter(author_id__lte=c.group_users(i))
            .annotate(n=Count("id"), total=Sum("views"), avg=Avg("views"), mx=Max("views"))
            .group_by("author_id")
            .values("author_id", "n", "total", "avg", "mx")
        )

    def create(i: int) -> Any:
        name, email, age, active = c.new_user(i)
        return User.create(name=name, email=email, age=age, active=active)

    async def bulk(i: int) -> Any:
        users = [
            User(name=n, email=e, age=a, active=act)
            for n, e, a, act in (c.new_user(i * 100 + k, "bulk") for k in range(100))
        ]
        await User.bulk_create(users)
        return users

    async def run(query: Any) -> Any:
        return await query

    ops: Ops = {
        "select_pk": lambda i: User.get(id=c.pk(i)),
        "select_filter": lambda i: run(User.filter(age__gte=c.age_from(i), age__lte=c.age_from(i) + 5)),
        "filter_simple": lambda i: run(Post.filter(author_id=c.author_of(i), published=True)),
        "filter_complex": lambda i: run(complex_filter(i)),
        "filter_in": lambda i: run(User.filter(id__in=c.in_ids(i))),
        "order_limit": lambda i: run(User.filter(active=True).order_by("-age", "id").offset(c.page(i)).limit(10)),
        "aggregate_count": lambda i: run(User.filter(age__gte=c.count_age(i)).count()),
        "aggregate_mixed": lambda i: run(groups(i)),
        "join_simple": lambda i: run(
            Post.filter(id__gte=c.post_window(i), id__lt=c.post_window(i) + 20).select_related("author")
        ),
        "join_filter": lambda i: run(
            Post.filter(author__name=f"user{c.author_of(i)}", published=True).select_related("author")
        ),
        "prefetch_related": lambda i: run(
            User.filter(id__gte=c.prefetch_first(i), id__lt=c.prefetch_first(i) + 10).prefetch_related("posts")
        ),
        "nested_prefetch": lambda i: run(
            User.filter(id__gte=c.nested_first(i), id__lt=c.nested_first(i) + 5).prefetch_related("posts__tags")
        ),
        "insert_single": create,
        "insert_bulk_100": bulk,
        "update_single": lambda i: run(User.filter(id=c.pk(i)).update(age=c.new_age(i))),
        "update_bulk": lambda i: run(Post.filter(author_id=c.author_of(i)).update(views=F("views") + 1)),
        "delete_single": lambda i: run(User.filter(id=c.DELETE_BASE_ID + i).delete()),
    }
    for n in c.CONCURRENCY:
        ops[f"concurrent_{n}"] = concurrent(n)
    return ops


async def open_implementation(database: str, url: str) -> tuple[Ops, Callable[[], Awaitable[None]]]:
    await Tortoise.init(db_url=tortoise_url(database, url), modules={"models": [__name__]})
    return operations(), Tortoise.close_connections
