# pyright: strict
"""User-style models: a table per kind of relation, as an application declares them."""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

from oxyde import Field, Model


class Role(str, enum.Enum):
    ADMIN = "admin"
    MEMBER = "member"


class Company(Model):
    id: int | None = Field(default=None, db_pk=True)
    name: str = Field(max_length=80, db_unique=True)
    staff: list[Author] = Field(db_reverse_fk="company")

    class Meta:
        is_table = True
        table_name = "typing_company"


class Author(Model):
    id: int | None = Field(default=None, db_pk=True)
    name: str = Field(max_length=40)
    email: str = ""
    role: Role = Role.MEMBER
    company: Company | None = Field(default=None, db_on_delete="SET NULL")
    posts: list[Post] = Field(db_reverse_fk="author")

    class Meta:
        is_table = True
        table_name = "typing_author"

    def display(self) -> str:
        return self.name.title()


class Post(Model):
    id: int | None = Field(default=None, db_pk=True)
    title: str
    price: Decimal = Decimal("0")
    published: datetime | None = None
    author: Author | None = Field(default=None, db_on_delete="CASCADE")

    class Meta:
        is_table = True
        table_name = "typing_post"
