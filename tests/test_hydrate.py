"""Rows read back as models: built directly when every value already has its field's type,
validated by pydantic otherwise. Either way a user sees the same instances, on every dialect."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import Enum
from typing import Annotated

from pydantic import AfterValidator, ConfigDict, PrivateAttr, field_validator

from oxyde import Field, Model, execute_raw
from oxyde.db.pool import AsyncDatabase
from oxyde.queries.hydrate import build_models


class HPlain(Model):
    id: int | None = Field(default=None, db_pk=True)
    name: str = Field(max_length=40)
    score: float = 0.0
    active: bool = True
    price: Decimal | None = Field(default=None, max_digits=10, decimal_places=2)
    seen: datetime | None = None
    notes: str | None = None

    class Meta:
        is_table = True
        table_name = "h_plain"


class Color(str, Enum):
    RED = "red"
    BLUE = "blue"


class HChecked(Model):
    """Everything here must go through pydantic on the way out of the database."""

    id: int | None = Field(default=None, db_pk=True)
    name: str = Field(max_length=40)
    shout: Annotated[str, AfterValidator(str.upper)] = Field(default="x", max_length=40)
    color: Color = Color.RED
    _cache: dict[str, int] = PrivateAttr(default_factory=dict)

    @field_validator("name")
    @classmethod
    def _trim(cls, value: str) -> str:
        return value.strip()

    class Meta:
        is_table = True
        table_name = "h_checked"


class HStripped(Model):
    model_config = ConfigDict(str_strip_whitespace=True)

    id: int | None = Field(default=None, db_pk=True)
    name: str = Field(max_length=40)

    class Meta:
        is_table = True
        table_name = "h_stripped"


async def test_built_rows_equal_validated_rows(database: AsyncDatabase) -> None:
    seen = datetime(2024, 5, 6, 7, 8, 9)
    await HPlain.objects.bulk_create(
        [
            HPlain(name="a", score=1.5, active=False, price=Decimal("2.50"), seen=seen, notes="n"),
            HPlain(name="b"),
        ]
    )
    rows = await HPlain.objects.order_by("name").all()
    expected = [
        HPlain.model_validate(
            {"id": rows[0].id, "name": "a", "score": 1.5, "active": False, "price": Decimal("2.50"), "seen": seen}
            | {"notes": "n"}
        ),
        HPlain.model_validate(
            {"id": rows[1].id, "name": "b", "score": 0.0, "active": True, "price": None, "seen": None, "notes": None}
        ),
    ]
    assert rows == expected
    for got, want in zip(rows, expected, strict=True):
        assert list(got.__dict__) == list(want.__dict__)  # same field order
        assert got.model_fields_set == want.model_fields_set
        assert got.model_dump() == want.model_dump()
        assert [type(v) for v in got.__dict__.values()] == [type(v) for v in want.__dict__.values()]
    created = await HPlain.objects.create(name="c", price=Decimal("1.00"))
    assert created == await HPlain.objects.get(id=created.id)
    assert type(created.price) is Decimal and created.price == Decimal("1.00")


def test_a_value_of_another_type_goes_through_pydantic() -> None:
    keys = ["id", "name", "score", "active", "price", "seen", "notes"]
    ok = [1, "a", 1.0, True, None, None, None]
    assert build_models(HPlain, keys, [ok]) is not None
    # an int where the field is a bool (SQLite and MySQL store booleans as integers)
    assert build_models(HPlain, keys, [ok, [2, "b", 1.0, 1, None, None, None]]) is None
    # NULL where the field does not allow it: pydantic raises its usual error
    assert build_models(HPlain, keys, [[3, None, 1.0, True, None, None, None]]) is None
    # a column that is no field
    assert build_models(HPlain, [*keys, "extra"], [[*ok, 1]]) is None
    # models with validators, private state or rewriting config always validate
    assert build_models(HChecked, ["id", "name", "shout", "color"], [[1, "a", "b", "red"]]) is None
    assert build_models(HStripped, ["id", "name"], [[1, "a"]]) is None


async def test_validators_and_config_apply_to_rows_read_back(database: AsyncDatabase) -> None:
    await execute_raw("INSERT INTO h_checked (name, shout, color) VALUES ('  padded  ', 'quiet', 'blue')")
    await execute_raw("INSERT INTO h_stripped (name) VALUES ('  spaced  ')")
    checked = await HChecked.objects.get(shout="quiet")
    assert (checked.name, checked.shout, checked.color) == ("padded", "QUIET", Color.BLUE)
    assert checked._cache == {}
    assert (await HStripped.objects.get()).name == "spaced"


class HAuthor(Model):
    id: int | None = Field(default=None, db_pk=True)
    name: str = Field(max_length=40)
    books: list[HBook] = Field(db_reverse_fk="author")

    class Meta:
        is_table = True
        table_name = "h_author"


class HBook(Model):
    id: int | None = Field(default=None, db_pk=True)
    title: str = Field(max_length=40)
    author: HAuthor | None = None

    class Meta:
        is_table = True
        table_name = "h_book"


async def test_defaults_are_fresh_per_instance(database: AsyncDatabase) -> None:
    await HAuthor.objects.bulk_create([HAuthor(name="x"), HAuthor(name="y")])
    first, second = await HAuthor.objects.order_by("name").all()
    assert first.books == [] and second.books == []
    first.books.append(HBook(title="t"))
    assert second.books == []
    book = await HBook.objects.create(title="b", author=first)
    assert book.author_id == first.id
    loaded = await HAuthor.objects.filter(id=first.id).prefetch("books").get()
    assert [b.title for b in loaded.books] == ["b"]


async def test_joined_rows_equal_rows_read_alone(database: AsyncDatabase) -> None:
    ann = await HAuthor.objects.create(name="ann")
    await HBook.objects.bulk_create([HBook(title="a", author=ann), HBook(title="b", author=ann), HBook(title="c")])
    first, second, orphan = await HBook.objects.join("author").order_by("title").all()
    alone = await HAuthor.objects.get(id=ann.id)
    assert first.author is second.author  # one instance per distinct key
    assert first.author == alone and orphan.author is None
    assert list(first.author.__dict__) == list(alone.__dict__)
    assert first.author.model_fields_set == alone.model_fields_set
    plain = await HBook.objects.get(id=first.id)
    assert first.model_dump(exclude={"author"}) == plain.model_dump(exclude={"author"})
    assert first.model_fields_set == plain.model_fields_set | {"author"}
