"""Oxyde: the workloads written the way the README and the spec show them."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable
from typing import Any

import common as c
from oxyde import Avg, Count, F, Field, Max, Model, PoolSettings, Q, Sum, db


class User(Model):
    id: int | None = Field(default=None, db_pk=True)
    name: str
    email: str
    age: int
    active: bool
    posts: list[Post] = Field(db_reverse_fk="author")

    class Meta:
        is_table = True
        table_name = "users"


class Post(Model):
    id: int | None = Field(default=None, db_pk=True)
    author: User | None = None
    title: str
    body: str
    views: int
    published: bool
    tags: list[Tag] = Field(db_m2m=True, db_through="PostTag")

    class Meta:
        is_table = True
        table_name = "posts"


class Tag(Model):
    id: int | None = Field(default=None, db_pk=True)
    name: str

    class Meta:
        is_table = True
        table_name = "tags"


class PostTag(Model):
    id: int | None = Field(default=None, db_pk=True)
    post: Post | None = None
    tag: Tag | None = None

    class Meta:
        is_table = True
        table_name = "post_tags"


class BigRow(Model):
    id: int | None = Field(default=None, db_pk=True)
    name: str
    score: int
    active: bool

    class Meta:
        is_table = True
        table_name = "big_rows"


Ops = dict[str, Callable[[int], Awaitable[Any]]]


def operations() -> Ops:
    users, posts = User.objects, Post.objects

    def concurrent(n: int) -> Callable[[int], Awaitable[Any]]:
        async def run(i: int) -> Any:
            return await asyncio.gather(*(users.get(id=c.pk(i * n + k)) for k in range(n)))

        return run

    def complex_filter(i: int) -> Any:
        a = c.complex_age(i)
        return users.filter(Q(id__lte=300) & (Q(age__lt=a) | Q(age__gt=a + 40)) & ~Q(active=False)).all()

    def groups(i: int) -> Any:
        stats = {"n": Count("id"), "total": Sum("views"), "avg": Avg("views"), "mx": Max("views")}
        return (
            posts.filter(author_id__lte=c.group_users(i))
            .values("author_id")
            .annotate(**stats)
            .group_by("author_id")
            .all()
        )

    def bulk(i: int) -> Any:
        rows = [c.new_user(i * 100 + k, "bulk") for k in range(100)]
        return users.bulk_create([User(name=n, email=e, age=a, active=act) for n, e, a, act in rows])

    def create(i: int) -> Any:
        name, email, age, active = c.new_user(i)
        return users.create(name=name, email=email, age=age, active=active)

    ops: Ops = {
        "select_pk": lambda i: users.get(id=c.pk(i)),
        "select_filter": lambda i: users.filter(age__gte=c.age_from(i), age__lte=c.age_from(i) + 5).all(),
        "filter_simple": lambda i: posts.filter(author_id=c.author_of(i), published=True).all(),
        "filter_complex": complex_filter,
        "filter_in": lambda i: users.filter(id__in=c.in_ids(i)).all(),
        "order_limit": lambda i: users.filter(active=True).order_by("-age", "id").offset(c.page(i)).limit(10).all(),
        "aggregate_count": lambda i: users.filter(age__gte=c.count_age(i)).count(),
        "aggregate_mixed": groups,
        "join_simple": lambda i: (
            posts.join("author").filter(id__gte=c.post_window(i), id__lt=c.post_window(i) + 20).all()
        ),
        "join_filter": lambda i: posts.filter(author__name=f"user{c.author_of(i)}", published=True).all(),
        "prefetch_related": lambda i: (
            users.filter(id__gte=c.prefetch_first(i), id__lt=c.prefetch_first(i) + 10).prefetch("posts").all()
        ),
        "nested_prefetch": lambda i: (
            users.filter(id__gte=c.nested_first(i), id__lt=c.nested_first(i) + 5).prefetch("posts__tags").all()
        ),
        "insert_single": create,
        "insert_bulk_100": bulk,
        "update_single": lambda i: users.filter(id=c.pk(i)).update(age=c.new_age(i)),
        "update_bulk": lambda i: posts.filter(author_id=c.author_of(i)).update(views=F("views") + 1),
        "delete_single": lambda i: users.filter(id=c.DELETE_BASE_ID + i).delete(),
    }
    for n in c.CONCURRENCY:
        ops[f"concurrent_{n}"] = concurrent(n)
    return ops


async def connect(url: str) -> None:
    await db.init(default=url, settings=PoolSettings(max_connections=c.POOL_SIZE))


async def open_implementation(database: str, url: str) -> tuple[Ops, Callable[[], Awaitable[None]]]:
    await connect(url)
    return operations(), db.close


def streaming_api(query: Any) -> str | None:
    """The name of the batched iteration API this build offers, if any."""
    for name in ("stream", "iterator", "aiter"):
        if callable(getattr(query, name, None)):
            return name
    if hasattr(type(query), "__aiter__"):
        return "__aiter__"
    return None


def reader(query: Any, batch: int) -> tuple[str, Callable[[], Awaitable[int]]]:
    """How the large-result bench reads ``query``: streamed in batches when possible, else ``all()``."""
    api = streaming_api(query)

    async def count(rows: Any) -> int:
        n = 0
        async for _row in rows:
            n += 1
        return n

    if api == "__aiter__":
        return "async for", lambda: count(query)
    if api is not None:
        method = getattr(query, api)

        takes_batch = "batch_size" in inspect.signature(method).parameters
        label = f"{api}(batch_size={batch})" if takes_batch else f"{api}()"
        return label, lambda: count(method(batch_size=batch) if takes_batch else method())

    async def materialised() -> int:
        return len(await query.all())

    return "all() (streaming pending)", materialised
