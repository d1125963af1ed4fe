# pyright: strict
"""Deliberately wrong user code: each line marked ``# expect-error`` must be
reported by both checkers, and no other line may be."""

from __future__ import annotations

from typing import Any, TypeVar

from app_models import Author, Post

from oxyde import Model, atomic

M = TypeVar("M", bound=Model)


async def wrong() -> None:
    author: Post = await Author.objects.get(id=1)  # expect-error
    authors: list[Post] = await Author.objects.filter(name="ann").all()  # expect-error
    count: str = await Author.objects.count()  # expect-error
    exists: str = await Author.objects.exists()  # expect-error
    rows: list[Author] = await Author.objects.values("id").all()  # expect-error
    tuples: list[dict[str, Any]] = await Author.objects.values_list("id").all()  # expect-error
    created: tuple[Author, str] = await Author.objects.get_or_create(name="ann")  # expect-error
    maybe: Author = await Author.objects.first()  # expect-error
    await Author.objects.filter(name="ann").limit("10").all()  # expect-error
    await Author.objects.order_by(3).all()  # expect-error
    await Author.objects.filter(1).all()  # expect-error
    Author.objects.nonexistent()  # expect-error
    Author(name=3)  # expect-error
    Post(author=None)  # expect-error
    saved: Author = await Post(title="x", author=Author(name="a")).save()  # expect-error
    async with atomic(using=1):  # expect-error
        pass
    first_row: Author | None = await Author.objects.values().first()  # expect-error
    updated: int = await Author.objects.filter(id=1).update(returning=True, email="x")  # expect-error
    raw: list[Author] = await Author.objects.all(mode="msgpack")  # expect-error
    print(author, authors, count, exists, rows, tuples, created, maybe, saved, first_row, updated, raw)


async def generic(model: type[M]) -> list[M]:
    return await model.objects.values().all()  # expect-error
