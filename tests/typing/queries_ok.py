# pyright: strict
"""Every main query shape, with the type a checker must infer for it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, TypeVar

from app_models import Author, Company, Post, Role
from typing_extensions import assert_type

from oxyde import Count, F, Model, Q, Query, QueryManager

M = TypeVar("M", bound=Model)


async def reads() -> None:
    assert_type(Author.objects, QueryManager[Author])
    assert_type(Author.objects.filter(name="ann"), Query[Author])
    query = Author.objects.filter(Q(name="ann") | Q(role=Role.ADMIN)).exclude(email="").order_by("-id")
    assert_type(query, Query[Author])
    assert_type(query.limit(10).offset(5).distinct()[0:3], Query[Author])
    assert_type(await Author.objects.get(id=1), Author)
    assert_type(await Author.objects.get_or_none(id=1), Author | None)
    assert_type(await Author.objects.filter(id=1).get(), Author)
    assert_type(await Author.objects.first(), Author | None)
    assert_type(await Author.objects.order_by("name").last(), Author | None)
    assert_type(await Author.objects.all(), list[Author])
    assert_type(await query.all(), list[Author])
    assert_type(await Post.objects.join("author").all(), list[Post])
    assert_type(await Author.objects.prefetch("posts").all(), list[Author])
    assert_type(await Author.objects.count(), int)
    assert_type(await Author.objects.filter(role=Role.ADMIN).exists(), bool)
    assert_type(await Author.objects.for_update().select("id", "name").all(), list[Author])


async def shapes() -> None:
    assert_type(await Author.objects.values("id", "name").all(), list[dict[str, Any]])
    assert_type(await Author.objects.filter(id=1).values().first(), dict[str, Any] | None)
    assert_type(await Author.objects.values_list("id", "name").all(), list[tuple[Any, ...]])
    assert_type(await Author.objects.values_list("name", flat=True).all(), list[Any])
    assert_type(await Author.objects.filter(id=2).values_list("name", flat=True).get(), Any)
    names: list[str] = await Author.objects.values_list("name", flat=True).order_by("name").all()
    rows = await Post.objects.values("author__name").annotate(n=Count("id")).group_by("author__name").all()
    assert_type(rows, list[dict[str, Any]])
    assert_type(await Author.objects.all(mode="dict"), list[dict[str, Any]])
    assert_type(await Author.objects.all(mode="msgpack"), bytes)
    print(names)


async def writes(company: Company) -> None:
    author = await Author.objects.create(name="ann", company=company)
    assert_type(author, Author)
    assert_type(await Author.objects.get_or_create(name="bob", defaults={"email": "b@x"}), tuple[Author, bool])
    assert_type(await Author.objects.update_or_create(name="bob", defaults={"email": "c@x"}), tuple[Author, bool])
    assert_type(await Author.objects.bulk_create([Author(name="c"), {"name": "d"}]), list[Author])
    assert_type(await Author.objects.bulk_update([author], ["email"]), int)
    assert_type(await Author.objects.filter(id=1).update(email="x"), int)
    assert_type(await Author.objects.update(email="x"), int)
    assert_type(await Author.objects.update(returning=True, email="x"), list[Author])
    assert_type(await Author.objects.filter(id=1).update(returning=True, email="x"), list[Author])
    assert_type(await Author.objects.filter(id=1).increment("id", 2), int)
    assert_type(await Post.objects.filter(author__name="ann").delete(), int)
    assert_type(await Post.objects.filter(price__gte=1).update(price=F("price") * 2), int)


async def instances() -> None:
    post = Post(title="hello", author=Author(name="ann"))
    assert_type(await post.save(), Post)
    assert_type(await post.save(update_fields=["title"], using="default"), Post)
    assert_type(await post.refresh(), Post)
    assert_type(await post.delete(), int)
    assert_type(post.author, Author | None)
    if post.author is not None:
        assert_type(post.author.display(), str)
    assert_type(post.price, Decimal)
    author = Author(name="ann", role=Role.ADMIN)
    assert_type(author.posts, list[Post])
    assert_type(author.company, Company | None)


async def everything(model: type[M]) -> list[M]:
    # library-style code generic over the model class
    rows = await model.objects.filter(id__gt=0).all()
    assert_type(rows, list[M])
    assert_type(await model.objects.get_or_none(id=1), M | None)
    return rows


async def generic_helpers() -> None:
    assert_type(await everything(Author), list[Author])
    assert_type(await everything(Post), list[Post])
