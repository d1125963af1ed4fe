"""Models and Meta on every dialect: abstract bases and inheritance, computed fields kept out of
columns, JSON aliases, unique_together / Index / Check enforced, db_comment recorded."""

from __future__ import annotations

import pytest
from pydantic import computed_field

from oxyde import Check, Field, Index, Model
from oxyde.exceptions import CheckViolationError, UniqueViolationError
from oxyde.models.registry import registered_tables
from oxyde.queries.base import column_fields


class MStamped(Model):
    """An abstract base: no Meta, so no table; its fields go to each table subclass."""

    id: int | None = Field(default=None, db_pk=True)
    origin: str = Field(default="web", max_length=10)


class MPerson(MStamped):
    name: str = Field(alias="fullName", max_length=50, db_comment="shown name")
    email: str = Field(max_length=80)
    org: str = Field(default="", max_length=20)
    age: int = 0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def label(self) -> str:
        return f"{self.name} <{self.email}>"

    class Meta:
        is_table = True
        table_name = "q_mm_person"
        unique_together = [("org", "email")]
        indexes = [Index(("age",)), Index(["name", "org"], unique=True, name="q_mm_person_name_org")]
        constraints = [Check("age >= 0", name="q_mm_person_age_chk")]


class MPersonOut(MPerson):
    """A response schema derived from a table model: not a table itself."""


def test_abstract_bases_and_derived_schemas_are_not_tables() -> None:
    tables = registered_tables().values()
    assert MPerson in tables and MStamped not in tables and MPersonOut not in tables
    assert not MStamped._is_table and not MPersonOut._is_table and MPerson._is_table
    assert MStamped.objects is not MPerson.objects and MPerson.objects.model_class is MPerson


def test_columns_inherit_and_leave_computed_fields_out() -> None:
    assert [f.column for f in column_fields(MPerson)] == ["id", "origin", "name", "email", "org", "age"]
    assert "label" not in (MPerson._db_meta.column_types or {})
    assert MPerson._db_meta.field_metadata["name"].comment == "shown name"


async def test_inherited_and_aliased_fields_round_trip(database: object) -> None:
    made = await MPerson.objects.create(fullName="Ann", email="ann@x", age=30)
    assert made.name == "Ann" and made.origin == "web"
    got = await MPerson.objects.get(name="Ann")  # filters use field names
    assert (got.id, got.origin, got.email, got.age) == (made.id, "web", "ann@x", 30)
    assert got.label == "Ann <ann@x>"  # computed on the instance, never stored
    assert got.model_dump(by_alias=True)["fullName"] == "Ann"
    assert await MPerson.objects.values_list("name", flat=True).all() == ["Ann"]
    # creation data from filter kwargs is keyed by field name, defaults may use either
    bob, created = await MPerson.objects.get_or_create(name="Bob", defaults={"email": "bob@x"})
    assert created and bob.name == "Bob"
    both = await MPerson.objects.bulk_create([{"fullName": "Cid", "email": "c@x"}, {"name": "Dee", "email": "d@x"}])
    assert [p.name for p in both] == ["Cid", "Dee"]
    got.name = "Anna"
    await got.save(update_fields=["name"])
    assert (await MPerson.objects.get(id=made.id)).name == "Anna"
    assert sorted(await MPerson.objects.values_list("name", flat=True).all()) == ["Anna", "Bob", "Cid", "Dee"]


async def test_meta_constraints_are_enforced(database: object) -> None:
    await MPerson.objects.create(fullName="Ann", email="ann@x", org="acme")
    with pytest.raises(UniqueViolationError):  # unique_together (org, email): the spec's defect, built
        await MPerson.objects.create(fullName="Other", email="ann@x", org="acme")
    await MPerson.objects.create(fullName="Other", email="ann@x", org="beta")
    with pytest.raises(UniqueViolationError):  # Index(..., unique=True) on (name, org)
        await MPerson.objects.create(fullName="Ann", email="z@x", org="acme")
    assert await MPerson.objects.count() == 2


async def test_check_constraint_is_enforced(database: object, dialect: str) -> None:
    with pytest.raises(CheckViolationError):
        await MPerson.objects.create(fullName="Neg", email="n@x", age=-1)
