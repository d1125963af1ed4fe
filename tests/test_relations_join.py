"""Foreign keys, join(), FK-path filters and ordering, values() with joins (relations.md §2, §5.1, §6)."""

from __future__ import annotations

import pytest

from oxyde import Q
from oxyde.db import AsyncDatabase, query_log
from oxyde.exceptions import FieldError, FieldLookupError, IntegrityError
from rel_models import (
    RelAccount,
    RelAuthor,
    RelCategory,
    RelComment,
    RelCompany,
    RelPost,
    RelPostTag,
    RelTag,
    RelTenant,
    seed,
)


def test_fk_metadata_names_columns_and_actions() -> None:
    fk = RelPost._db_meta.field_metadata["author"].foreign_key
    assert fk is not None and fk.column_name == "author_id" and fk.target.endswith(".RelAuthor")
    assert (fk.on_delete, fk.on_update) == ("CASCADE", "CASCADE")
    assert "author_id" in RelPost.model_fields and RelPost.model_fields["author_id"].default is None
    tenant = RelAccount._db_meta.field_metadata["tenant"].foreign_key
    assert tenant is not None and (tenant.column_name, tenant.target_field) == ("tenant_code", "code")
    assert RelAccount.model_fields["tenant_code"].annotation == str | None
    parent = RelCategory._db_meta.field_metadata["parent"].foreign_key
    assert parent is not None and parent.column_name == "parent_id" and parent.target.endswith(".RelCategory")


async def test_referential_actions_run_in_the_database(database: AsyncDatabase) -> None:
    s = await seed()
    ann, acme, x = s["ann"], s["acme"], s["x"]
    # SET NULL: the company goes, its authors stay without one
    await RelCompany.objects.filter(id=acme.id).delete()  # type: ignore[attr-defined]
    assert (await RelAuthor.objects.get(id=ann.id)).company_id is None  # type: ignore[attr-defined]
    # RESTRICT (default ON DELETE): a linked tag cannot go
    with pytest.raises(IntegrityError):
        await x.delete()  # type: ignore[attr-defined]
    # CASCADE: the author's posts, their links and comments go with it
    await ann.delete()  # type: ignore[attr-defined]
    assert sorted(await RelPost.objects.values_list("title", flat=True).all()) == ["b1", "lone"]
    assert await RelPostTag.objects.count() == 0
    await x.delete()  # type: ignore[attr-defined]
    # a dangling key is refused
    with pytest.raises(IntegrityError):
        await RelPost.objects.create(title="ghost", author_id=10_000)


async def test_fk_to_a_non_pk_column_follows_updates(database: AsyncDatabase) -> None:
    t = await RelTenant.objects.create(code="t-1")
    acc = await RelAccount.objects.create(label="main", tenant=t)
    assert acc.tenant_code == "t-1"  # type: ignore[attr-defined]
    await RelTenant.objects.filter(id=t.id).update(code="t-2")
    assert (await RelAccount.objects.get(id=acc.id)).tenant_code == "t-2"  # type: ignore[attr-defined]
    assert [a.label for a in await RelAccount.objects.filter(tenant__code="t-2").all()] == ["main"]


async def test_join_hydrates_nested_relations_sharing_instances(database: AsyncDatabase) -> None:
    await seed()
    posts = await RelPost.objects.join("author__company").order_by("title").all()
    assert [p.title for p in posts] == ["a1", "a2", "b1", "lone"]
    a1, a2, b1, lone = posts
    assert a1.author is not None and a1.author.name == "ann" and a1.author.email == "ANN@Example.org"
    assert a1.author is a2.author  # one instance per distinct key
    assert a1.author.company is not None and a1.author.company.name == "Acme"
    assert b1.author is not None and b1.author.name == "bob" and b1.author.company is None
    assert lone.author is None
    assert a1.model_dump()["author"]["company"]["name"] == "Acme"
    # join() on the manager, several paths, duplicates ignored
    q = RelPost.objects.join("author", "author", "author__company")
    assert [j["path"] for j in q.query()["joins"]] == ["author", "author__company"]
    one = await RelPost.objects.join("author").filter(title="b1").get()
    assert one.author is not None and one.author.id == one.author_id  # type: ignore[attr-defined]


async def test_join_errors_name_model_and_path() -> None:
    with pytest.raises(ValueError, match="requires at least one relation path"):
        RelPost.objects.join()
    with pytest.raises(ValueError):
        RelPost.objects.join("")
    with pytest.raises(FieldLookupError, match=r"RelAuthor\.posts is not a joinable relation.*prefetch"):
        RelPost.objects.join("author__posts")
    with pytest.raises(FieldLookupError, match=r"RelPost\.tags is not a joinable relation"):
        RelPost.objects.join("tags")
    with pytest.raises(FieldLookupError, match=r"RelPost\.title is not a joinable relation"):
        RelPost.objects.join("title")
    with pytest.raises(FieldLookupError, match=r"RelPost\.nope is not a joinable relation"):
        RelPost.objects.join("nope")


async def test_filters_traverse_foreign_keys_at_any_depth(database: AsyncDatabase) -> None:
    await seed()

    async def titles(q: object) -> list[str]:
        return sorted(p.title for p in await q.all())  # type: ignore[attr-defined]

    assert await titles(RelPost.objects.filter(author__name="ann")) == ["a1", "a2"]
    assert await titles(RelPost.objects.filter(author__email__icontains="EXAMPLE.ORG")) == ["a1", "a2", "b1"]
    assert await titles(RelPost.objects.filter(author__company__name__startswith="Ac")) == ["a1", "a2"]
    assert await titles(RelPost.objects.filter(author__company__isnull=True)) == ["b1", "lone"]
    assert await titles(RelPost.objects.exclude(author__name="ann")) == ["b1"]  # NULL author: NOT (NULL) drops it
    assert await titles(RelPost.objects.filter(Q(author__name="bob") | Q(views__gte=20))) == ["a2", "b1"]
    assert await titles(RelPost.objects.filter(author__name__in=["bob", "cid"])) == ["b1"]
    # a filter on the base table's "id" next to the joined table's "id" is not ambiguous
    ann_posts = RelPost.objects.filter(author__name="ann", id__gte=0)
    assert await ann_posts.count() == 2 and await ann_posts.exists()
    got = await RelPost.objects.get(author__name="bob")
    assert got.title == "b1" and got.author is not None and got.author.name == "bob"  # hydrated as a side effect
    comments = await RelComment.objects.filter(post__author__company__name="Acme").all()
    assert sorted(c.body for c in comments) == ["first", "second"]
    assert comments[0].post is not None and comments[0].post.author is not None
    # lookups are checked against the final field
    with pytest.raises(FieldLookupError, match="Lookup 'gt' is not supported for field 'name'"):
        RelPost.objects.filter(author__name__gt="a")
    with pytest.raises(FieldLookupError, match=r"Cannot traverse 'title' in path 'title\.foo': not a foreign key"):
        RelPost.objects.filter(title__foo=1)
    with pytest.raises(FieldError, match="RelAuthor has no field 'nope'"):
        RelPost.objects.filter(author__nope=1)
    with pytest.raises(FieldError, match="RelAuthor has no field 'posts'"):
        RelPost.objects.filter(author__posts=1)


async def test_order_by_fk_path_orders_by_the_related_column(database: AsyncDatabase) -> None:
    """Defect fix (queries.md §4.1): ``order_by("author__name")`` goes through a join."""
    await seed()
    await RelPost.objects.filter(title="a1").update(views=5)
    rows = await RelPost.objects.filter(author__isnull=False).order_by("-author__name", "views").all()
    assert [p.title for p in rows] == ["b1", "a1", "a2"]
    by_company = RelPost.objects.filter(author__company__isnull=False).order_by("author__company__name", "-title")
    assert [p.title for p in await by_company.all()] == ["a2", "a1"]
    sql, _ = RelPost.objects.order_by("author__name").sql(dialect="postgres")
    assert 'LEFT JOIN "rel_author" AS "author"' in sql and 'ORDER BY "author"."name" ASC' in sql
    with pytest.raises(FieldError):
        await RelPost.objects.order_by("author__nope").all()


async def test_values_and_values_list_with_joins_are_flat(database: AsyncDatabase) -> None:
    """Defect fix (queries.md §9.1): joined columns come back keyed ``<path>__<field>``."""
    s = await seed()
    rows = await RelPost.objects.join("author").filter(title="a1").values().all()
    assert rows == [
        {
            "id": s["a1"].id,  # type: ignore[attr-defined]
            "title": "a1",
            "views": 10,
            "author_id": s["ann"].id,  # type: ignore[attr-defined]
            "author__id": s["ann"].id,  # type: ignore[attr-defined]
            "author__name": "ann",
            "author__email": "ANN@Example.org",
            "author__company_id": s["acme"].id,  # type: ignore[attr-defined]
        }
    ]
    picked = await RelPost.objects.values("author__company__name", "title").order_by("title").all()
    assert picked == [
        {"author__company__name": "Acme", "title": "a1"},
        {"author__company__name": "Acme", "title": "a2"},
        {"author__company__name": None, "title": "b1"},
        {"author__company__name": None, "title": "lone"},
    ]
    tuples = await RelPost.objects.filter(author__name="bob").values_list("author__name", "title").all()
    assert tuples == [("bob", "b1")]
    flat = await RelPost.objects.order_by("title").values_list("author__name", flat=True).all()
    assert flat == ["ann", "ann", "bob", None]
    filtered = await RelPost.objects.filter(author__name="ann").values_list("title", flat=True).all()
    assert sorted(filtered) == ["a1", "a2"]
    with pytest.raises(FieldError):
        RelPost.objects.values("author__nope")


async def test_self_referential_fk(database: AsyncDatabase) -> None:
    root = await RelCategory.objects.create(name="root")
    mid = await RelCategory.objects.create(name="mid", parent=root)
    leaf = await RelCategory.objects.create(name="leaf", parent_id=mid.id)
    got = await RelCategory.objects.join("parent__parent").filter(id=leaf.id).get()
    assert got.parent is not None and got.parent.name == "mid"
    assert got.parent.parent is not None and got.parent.parent.name == "root"
    assert got.parent.parent.parent is None
    names = await RelCategory.objects.filter(parent__parent__name="root").values_list("name", flat=True).all()
    assert names == ["leaf"]
    await root.delete()  # type: ignore[attr-defined]  # SET NULL on the child
    assert (await RelCategory.objects.get(id=mid.id)).parent_id is None  # type: ignore[attr-defined]


async def test_update_and_delete_with_fk_path_filters(database: AsyncDatabase) -> None:
    """Defect fix (queries.md §6.5): FK-path conditions work in bulk update() / delete()."""
    await seed()
    assert await RelPost.objects.filter(author__name="ann").update(views=99) == 2
    assert sorted(await RelPost.objects.filter(views=99).values_list("title", flat=True).all()) == ["a1", "a2"]
    updated = await RelPost.objects.filter(author__company__name="Acme", title="a1").update(views=7, returning=True)
    assert [(p.title, p.views) for p in updated] == [("a1", 7)]
    assert await RelPost.objects.filter(author__name="bob").delete() == 1
    assert sorted(await RelPost.objects.values_list("title", flat=True).all()) == ["a1", "a2", "lone"]
    assert await RelPost.objects.filter(author__name="nobody").delete() == 0


async def test_create_with_related_instance_fills_the_key(database: AsyncDatabase) -> None:
    ann = await RelAuthor.objects.create(name="ann")
    post = await RelPost.objects.create(title="t", author=ann)
    assert post.author_id == ann.id  # type: ignore[attr-defined]
    with query_log() as log:
        fetched = await RelPost.objects.filter(author=ann.id).join("author").all()
    assert len(log) == 1 and log[0].op == "select" and "JOIN" in log[0].sql
    assert fetched[0].author is not None and fetched[0].author.name == "ann"


async def test_save_keeps_joined_relation(database: AsyncDatabase) -> None:
    """Defect fix (instances.md §2.4): ``save()`` keeps a joined FK object."""
    await seed()
    post = await RelPost.objects.join("author").filter(title="a1").get()
    post.views = 11
    await post.save()
    assert post.author is not None and post.author.name == "ann"
    await post.save(update_fields=["title"])
    assert post.author is not None and post.views == 11


async def test_join_under_row_lock_and_for_share(database: AsyncDatabase) -> None:
    from oxyde import atomic

    await seed()
    async with atomic():
        rows = await RelPost.objects.join("author").filter(title="a1").for_update().all()
    assert rows[0].author is not None
    tags = await RelTag.objects.order_by("name").values_list("name", flat=True).all()
    assert tags == ["unused", "x", "y"]
