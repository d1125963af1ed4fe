"""Models shared by the relation tests (tables prefixed ``rel_``).

String annotations everywhere (``from __future__ import annotations``), and
``RelPost`` names ``RelAuthor`` before it is defined: forward references.
"""

from __future__ import annotations

from typing import Optional

from oxyde import Field, Model


class RelCompany(Model):
    id: int | None = Field(default=None, db_pk=True)
    name: str

    class Meta:
        is_table = True
        table_name = "rel_company"


class RelPost(Model):
    id: int | None = Field(default=None, db_pk=True)
    title: str
    views: int = 0
    author: RelAuthor | None = Field(default=None, db_on_delete="CASCADE")
    comments: list[RelComment] = Field(db_reverse_fk="post")
    tags: list[RelTag] = Field(db_m2m=True, db_through="RelPostTag")

    class Meta:
        is_table = True
        table_name = "rel_post"


class RelAuthor(Model):
    id: int | None = Field(default=None, db_pk=True)
    name: str
    email: str = ""
    company: RelCompany | None = Field(default=None, db_on_delete="SET NULL")
    posts: list[RelPost] = Field(db_reverse_fk="author")

    class Meta:
        is_table = True
        table_name = "rel_author"


class RelComment(Model):
    id: int | None = Field(default=None, db_pk=True)
    body: str
    post: RelPost | None = Field(default=None, db_on_delete="CASCADE")

    class Meta:
        is_table = True
        table_name = "rel_comment"


class RelTag(Model):
    id: int | None = Field(default=None, db_pk=True)
    name: str
    posts: list[RelPost] = Field(db_m2m=True, db_through="RelPostTag")

    class Meta:
        is_table = True
        table_name = "rel_tag"


class RelPostTag(Model):
    id: int | None = Field(default=None, db_pk=True)
    post: RelPost | None = Field(default=None, db_on_delete="CASCADE")
    tag: RelTag | None = None  # ON DELETE RESTRICT, the default

    class Meta:
        is_table = True
        table_name = "rel_post_tag"


class RelCategory(Model):
    id: int | None = Field(default=None, db_pk=True)
    name: str
    parent: Optional[RelCategory] = Field(default=None, db_on_delete="SET NULL")  # noqa: UP045
    children: list[RelCategory] = Field(db_reverse_fk="parent")

    class Meta:
        is_table = True
        table_name = "rel_category"


class RelTenant(Model):
    id: int | None = Field(default=None, db_pk=True)
    code: str = Field(max_length=20, db_unique=True)

    class Meta:
        is_table = True
        table_name = "rel_tenant"


class RelAccount(Model):
    id: int | None = Field(default=None, db_pk=True)
    label: str
    tenant: RelTenant | None = Field(default=None, db_fk="code", db_on_update="CASCADE", db_on_delete="NO ACTION")

    class Meta:
        is_table = True
        table_name = "rel_account"


async def seed() -> dict[str, object]:
    """acme ← ann (posts a1 [x, y], a2 [y]; comments on a1), bob (post b1), cid (no posts); a lone post."""
    acme = await RelCompany.objects.create(name="Acme")
    ann = await RelAuthor.objects.create(name="ann", email="ANN@Example.org", company_id=acme.id)
    bob = await RelAuthor.objects.create(name="bob", email="bob@example.org")
    cid = await RelAuthor.objects.create(name="cid", email="cid@example.org", company_id=acme.id)
    a1 = await RelPost.objects.create(title="a1", views=10, author_id=ann.id)
    a2 = await RelPost.objects.create(title="a2", views=20, author_id=ann.id)
    b1 = await RelPost.objects.create(title="b1", views=5, author_id=bob.id)
    lone = await RelPost.objects.create(title="lone", views=1)
    x = await RelTag.objects.create(name="x")
    y = await RelTag.objects.create(name="y")
    await RelTag.objects.create(name="unused")
    for post, tag in ((a1, x), (a1, y), (a2, y)):
        await RelPostTag.objects.create(post_id=post.id, tag_id=tag.id)
    await RelComment.objects.create(body="first", post_id=a1.id)
    await RelComment.objects.create(body="second", post_id=a1.id)
    return {
        "acme": acme,
        "ann": ann,
        "bob": bob,
        "cid": cid,
        "a1": a1,
        "a2": a2,
        "b1": b1,
        "lone": lone,
        "x": x,
        "y": y,
    }
