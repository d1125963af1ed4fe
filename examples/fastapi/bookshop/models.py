"""Table models and the request/response schemas of the bookshop API."""

from __future__ import annotations

import pydantic
from pydantic import BaseModel

from oxyde import Field, Model


class Author(Model):
    id: int | None = Field(default=None, db_pk=True)
    name: str = Field(max_length=100, db_unique=True)
    books: list[Book] = Field(db_reverse_fk="author")

    class Meta:
        is_table = True
        table_name = "bookshop_author"


class Book(Model):
    id: int | None = Field(default=None, db_pk=True)
    title: str = Field(max_length=200)
    isbn: str = Field(max_length=17, db_unique=True)
    year: int | None = None
    author: Author | None = Field(default=None, db_on_delete="CASCADE")

    class Meta:
        is_table = True
        table_name = "bookshop_book"


# Request bodies are plain pydantic models: no id, no relation fields.
class AuthorIn(BaseModel):
    name: str = pydantic.Field(min_length=1, max_length=100)


class AuthorPatch(BaseModel):
    name: str | None = pydantic.Field(default=None, min_length=1, max_length=100)


class BookIn(BaseModel):
    title: str = pydantic.Field(min_length=1, max_length=200)
    isbn: str = pydantic.Field(min_length=10, max_length=17)
    year: int | None = None


# Responses name their fields, so relation attributes never leak into the JSON.
class AuthorOut(BaseModel):
    id: int
    name: str


class BookOut(BaseModel):
    id: int
    title: str
    isbn: str
    year: int | None
    author_id: int


class Page(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[AuthorOut]
