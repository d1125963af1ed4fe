"""prefetch() of reverse FKs and many-to-many, relation aggregates, the query log (relations.md §3-5.2)."""

from __future__ import annotations

import pytest

from oxyde import Count, Field, Model, Sum, atomic
from oxyde.db import AsyncDatabase, query_log
from oxyde.exceptions import FieldLookupError
from rel_models import RelAuthor, RelCategory, RelComment, RelPost, RelTag, seed


async def test_prefetch_reverse_fk_one_level(database: AsyncDatabase) -> None:
    s = await seed()
    with query_log() as log:
        authors = await RelAuthor.objects.prefetch("posts").order_by("name").all()
    assert len(log) == 2  # the authors, then every author's posts in one IN query
    assert "IN" in log[1].sql and log[1].table == "rel_post"
    ann, bob, cid = authors
    assert sorted(p.title for p in ann.posts) == ["a1", "a2"]
    assert [p.title for p in bob.posts] == ["b1"]
    assert cid.posts == [] and isinstance(cid.posts, list)  # empty relation: a list, not None
    assert all(p.author_id == s["ann"].id for p in ann.posts)  # type: ignore[attr-defined]
    assert ann.model_dump()["posts"][0]["title"] in ("a1", "a2")


async def test_nested_prefetch_runs_one_statement_per_level(database: AsyncDatabase) -> None:
    await seed()
    for i in range(30):  # many parents still make one query per level
        await RelAuthor.objects.create(name=f"extra{i:02}")
    with query_log() as log:
        authors = await RelAuthor.objects.prefetch("posts__comments", "posts__tags").order_by("name").all()
    assert len(log) == 1 + 3, [q.sql for q in log]  # authors; posts; comments; tags (posts loaded once)
    assert [q.op for q in log] == ["select"] * 4
    ann = authors[0]
    a1 = next(p for p in ann.posts if p.title == "a1")
    a2 = next(p for p in ann.posts if p.title == "a2")
    assert sorted(c.body for c in a1.comments) == ["first", "second"]
    assert a2.comments == []
    assert [t.name for t in a1.tags] == ["x", "y"] and [t.name for t in a2.tags] == ["y"]
    assert a1.tags[1] is a2.tags[0]  # one instance per distinct target
    assert all(a.posts == [] for a in authors if a.name.startswith("extra"))
    with query_log() as log:
        await RelAuthor.objects.prefetch("posts__comments").all()
    assert len(log) == 3  # 1 + levels


async def test_prefetch_many_to_many_both_sides(database: AsyncDatabase) -> None:
    s = await seed()
    with query_log() as log:
        posts = await RelPost.objects.prefetch("tags").order_by("title").all()
    assert len(log) == 2  # links and their targets come back in one statement
    assert {p.title: [t.name for t in p.tags] for p in posts} == {"a1": ["x", "y"], "a2": ["y"], "b1": [], "lone": []}
    tags = await RelTag.objects.prefetch("posts__comments").order_by("name").all()
    assert [(t.name, sorted(p.title for p in t.posts)) for t in tags] == [
        ("unused", []),
        ("x", ["a1"]),
        ("y", ["a1", "a2"]),
    ]
    y_posts = tags[2].posts
    assert y_posts[0].author is None  # prefetch loads lists, never FK objects
    assert sorted(len(p.comments) for p in y_posts) == [0, 2]
    # mixing join() and prefetch()
    joined = await RelPost.objects.join("author").prefetch("tags", "comments").filter(id=s["a1"].id).all()  # type: ignore[attr-defined]
    assert joined[0].author is not None and joined[0].author.name == "ann"
    assert len(joined[0].tags) == 2 and len(joined[0].comments) == 2


async def test_prefetch_self_reference_and_first_get(database: AsyncDatabase) -> None:
    root = await RelCategory.objects.create(name="root")
    for name in ("b", "a"):
        await RelCategory.objects.create(name=name, parent_id=root.id)
    got = await RelCategory.objects.prefetch("children__children").filter(name="root").get()
    assert sorted(c.name for c in got.children) == ["a", "b"]
    assert all(c.children == [] for c in got.children)
    first = await RelCategory.objects.prefetch("children").order_by("name").first()
    assert first is not None and first.name == "a" and first.children == []


async def test_prefetch_runs_inside_the_transaction(database: AsyncDatabase) -> None:
    async with atomic() as tx:
        ann = await RelAuthor.objects.create(name="ann")
        await RelPost.objects.create(title="only-in-tx", author_id=ann.id)
        with query_log() as log:
            authors = await RelAuthor.objects.prefetch("posts").all()
        assert [p.title for p in authors[0].posts] == ["only-in-tx"]
        assert len(log) == 2
        tx.set_rollback(True)
    assert await RelPost.objects.count() == 0


async def test_prefetch_errors(database: AsyncDatabase) -> None:
    with pytest.raises(ValueError, match="prefetch\\(\\) requires at least one relation path"):
        RelAuthor.objects.prefetch()
    await RelAuthor.objects.create(name="ann")
    with pytest.raises(FieldLookupError, match="RelAuthor has no relation 'nope'"):
        await RelAuthor.objects.prefetch("nope").all()
    with pytest.raises(FieldLookupError, match=r"prefetch\('company'\) supports one-to-many and many-to-many only"):
        await RelAuthor.objects.prefetch("company").all()
    await RelPost.objects.create(title="p", author_id=(await RelAuthor.objects.first()).id)  # type: ignore[union-attr]
    with pytest.raises(FieldLookupError, match="RelPost has no relation 'nope'"):
        await RelAuthor.objects.prefetch("posts__nope").all()
    assert await RelAuthor.objects.prefetch("posts").values("name").all() == [{"name": "ann"}]  # models mode only


def test_relation_errors_for_missing_through_and_target() -> None:
    from oxyde.models.registry import unregister_table
    from oxyde.queries.paths import reverse_relation
    from oxyde.queries.prefetch import relation_link

    class RelDto(Model):  # not a table: never registered
        id: int | None = None

    class RelLonely(Model):
        id: int | None = Field(default=None, db_pk=True)
        friends: list[RelTag] = Field(db_m2m=True, db_through="RelNoSuchThrough")
        mates: list[RelTag] = Field(db_m2m=True, db_through="RelPost")
        ghosts: list[RelDto] = Field(db_reverse_fk="lonely")

        class Meta:
            is_table = True
            table_name = "rel_lonely_unused"

    try:
        with pytest.raises(FieldLookupError, match="Through model 'RelNoSuchThrough' not found in registry"):
            relation_link(RelLonely, reverse_relation(RelLonely, "friends"))
        with pytest.raises(FieldLookupError, match="Through model 'RelPost' must have FK fields to both"):
            relation_link(RelLonely, reverse_relation(RelLonely, "mates"))
        with pytest.raises(FieldLookupError, match="Related model 'RelDto' is not registered"):
            relation_link(RelLonely, reverse_relation(RelLonely, "ghosts"))
    finally:
        unregister_table(RelLonely)


async def test_annotate_count_over_reverse_relations(database: AsyncDatabase) -> None:
    await seed()
    rows = await RelAuthor.objects.values("name").annotate(n=Count("posts")).group_by("name").order_by("name").all()
    assert rows == [{"n": 2, "name": "ann"}, {"n": 1, "name": "bob"}, {"n": 0, "name": "cid"}]
    tags = RelPost.objects.values("title").annotate(n=Count("tags")).group_by("title").order_by("-n", "title")
    assert [(r["title"], r["n"]) for r in await tags.all()] == [("a1", 2), ("a2", 1), ("b1", 0), ("lone", 0)]
    views = RelAuthor.objects.values("name").annotate(v=Sum("posts__views")).group_by("name").order_by("name")
    assert [(r["name"], r["v"]) for r in await views.all()] == [("ann", 30), ("bob", 5), ("cid", None)]
    # several relations at once do not multiply each other
    both = RelPost.objects.values("title").annotate(t=Count("tags"), c=Count("comments")).group_by("title")
    assert await both.filter(title="a1").all() == [{"t": 2, "c": 2, "title": "a1"}]
    total = await RelAuthor.objects.annotate(n=Count("posts")).values().all()
    assert total == [{"n": 3}]


async def test_save_keeps_prefetched_lists(database: AsyncDatabase) -> None:
    """Defect fix (instances.md §2.4): ``save()`` keeps prefetched lists."""
    await seed()
    ann = await RelAuthor.objects.prefetch("posts").filter(name="ann").get()
    ann.email = "new@example.org"
    await ann.save()
    assert sorted(p.title for p in ann.posts) == ["a1", "a2"]
    await ann.refresh()
    assert len(ann.posts) == 2 and ann.email == "new@example.org"


async def test_query_log_records_per_task_and_renders_sql(database: AsyncDatabase, dialect: str) -> None:
    with query_log() as outer:
        async with query_log() as inner:
            await RelComment.objects.filter(body="x").count()
        await RelComment.objects.create(body="y")
    assert len(inner) == 1 and len(outer) == 2
    assert [q.op for q in outer] == ["select", "insert"] and outer.count("insert") == 1
    assert outer[0].dialect == dialect and "COUNT(*)" in outer[0].sql
    await RelComment.objects.count()
    assert len(outer) == 2  # closed logs record nothing
