"""Model declaration: metadata, column types, nullability, Meta options, registry, codec."""

from __future__ import annotations

import enum
import warnings
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID, uuid4

import pytest
from pydantic import ValidationError

import oxyde
import oxyde.models
from oxyde import Check, Field, Index, Model
from oxyde._codec import encode_json, pack_ir, unpack_result
from oxyde.core.column_types import compute_column_type, enum_type_name
from oxyde.models.field import OxydeFieldInfo
from oxyde.models.registry import (
    assert_no_pending_models,
    lookup_model,
    register_table,
    registered_tables,
    unregister_table,
)


class MdStatus(str, enum.Enum):
    DRAFT = "draft"
    PUBLISHED = "published"


class MdBase(Model):
    created: datetime | None = Field(default=None, db_default="CURRENT_TIMESTAMP")


class MdUser(MdBase):
    id: int | None = Field(default=None, db_pk=True)
    email: str = Field(db_unique=True, max_length=120, db_index=True)
    name: str = Field(db_column="full_name", db_comment="shown")
    age: int = 0
    score: float | None = None
    nick: str | None = Field(default="x")
    price: Decimal = Field(default=Decimal("0"), max_digits=10, decimal_places=2)
    tags: list[str] = Field(default_factory=list)
    data: dict[str, Any] = Field(default_factory=dict)
    token: UUID = Field(default_factory=uuid4)
    status: MdStatus = MdStatus.DRAFT
    forced: int | None = Field(default=None, db_nullable=False)
    raw_text: str = Field(default="", db_type="TEXT")
    money: Decimal = Field(default=Decimal("0"), db_type="NUMERIC(12,3)")

    class Meta:
        is_table = True
        table_name = "md_user"
        comment = "people"
        indexes = [Index(("email", "age")), Index(["full_name"], unique=True)]
        unique_together = [["email", "name"]]
        constraints = [Check("age >= 0")]
        ordering = ["id"]


class MdPlain(Model):
    name: str

    class Meta:
        is_table = True


class MdChild(MdUser):
    """A schema derived from a table model: not a table itself."""


def test_table_name_and_flags() -> None:
    assert MdUser.get_table_name() == "md_user"
    assert MdPlain.get_table_name() == "mdplain"
    assert MdUser._is_table and not MdBase._is_table and not MdChild._is_table
    assert MdChild.get_table_name() == "mdchild"


def test_meta_options() -> None:
    meta = MdUser._db_meta
    assert meta.comment == "people"
    assert meta.unique_together == [("email", "name")]
    assert [c.expression for c in meta.constraints] == ["age >= 0"]
    assert meta.indexes[1].unique and meta.indexes[1].fields == ("full_name",)
    assert meta.extra == {"ordering": ["id"]}
    assert meta.pk_field == "id" and meta.pk_column == "id"
    assert meta.reverse_column_map == {"full_name": "name"}


def test_column_types() -> None:
    types = MdUser._db_meta.column_types
    assert types is not None
    assert types["id"] == {"kind": "big_integer"}
    assert types["email"] == {"kind": "string", "length": 120}
    assert types["full_name"] == {"kind": "string"}
    assert types["score"] == {"kind": "double"}
    assert types["price"] == {"kind": "decimal", "precision": 10, "scale": 2}
    assert types["tags"] == {"kind": "array", "item": {"kind": "string"}}
    assert types["data"] == {"kind": "json"}
    assert types["token"] == {"kind": "uuid"}
    assert types["status"] == {"kind": "enum", "name": "md_status_enum", "values": ["draft", "published"]}
    assert types["created"] == {"kind": "date_time"}
    assert types["raw_text"] == {"kind": "text"}
    assert types["money"] == {"kind": "decimal", "precision": 12, "scale": 3}


def test_nullability_rules() -> None:
    fm = MdUser._db_meta.field_metadata
    assert fm["score"].nullable and fm["created"].nullable and fm["nick"].nullable
    assert not fm["age"].nullable and not fm["email"].nullable
    assert not fm["forced"].nullable  # db_nullable wins over Optional
    assert fm["email"].unique and fm["email"].index and fm["email"].max_length == 120
    assert fm["name"].comment == "shown" and fm["name"].db_column == "full_name"
    assert fm["created"].db_default == "CURRENT_TIMESTAMP"


def test_non_table_models_have_empty_metadata() -> None:
    assert MdBase._db_meta.field_metadata == {} and MdBase._db_meta.table_name is None
    assert MdUser.objects is not MdChild.objects and MdUser.objects.model_class is MdUser


def test_field_info_carries_db_params() -> None:
    info = Field(db_pk=True, ge=1, unknown_kw=3)
    assert isinstance(info, OxydeFieldInfo)
    assert info.db_pk and info.db_on_delete == "RESTRICT" and info.db_on_update == "CASCADE"
    assert not info.is_virtual and Field(db_m2m=True).is_virtual


def test_pydantic_constraints_still_validate() -> None:
    with pytest.raises(ValidationError):
        MdUser(email="x" * 121, name="n")
    user = MdUser(email="a@b.c", name="n")
    assert user.model_fields_set == {"email", "name"}


def test_oxyde_model_alias_warns() -> None:
    with pytest.warns(DeprecationWarning, match="OxydeModel is deprecated"):
        alias = oxyde.OxydeModel  # type: ignore[attr-defined]
    assert alias is Model
    with pytest.warns(DeprecationWarning):
        assert oxyde.models.OxydeModel is Model  # type: ignore[attr-defined]
    with pytest.raises(AttributeError):
        _ = oxyde.NoSuchThing  # type: ignore[attr-defined]
    with pytest.raises(ImportError):
        from oxyde.models.base import OxydeModel  # type: ignore[attr-defined]  # noqa: F401


def test_index_and_check_objects() -> None:
    with pytest.raises(ValueError, match="Index requires at least one field"):
        Index(())
    assert Index("email").fields == ("email",)
    assert Index(["a"], where="   ").where is None
    assert Index(["a"], where=" x > 0 ").where == "x > 0"
    assert Index(["a"], condition="x > 0").where == "x > 0"
    assert Index(("a", "b")).index_name("t") == "t_a_b_idx"
    assert Check("x > 0").constraint_name("t", 2) == "chk_t_2"


def test_registry_functions() -> None:
    key = f"{MdPlain.__module__}.{MdPlain.__qualname__}"
    assert registered_tables()[key] is MdPlain
    assert lookup_model("MdPlain") is MdPlain
    register_table(MdPlain)  # same class: no-op

    class MdPlain2(Model):
        name: str

    MdPlain2.__qualname__ = MdPlain.__qualname__
    with pytest.raises(ValueError, match="already registered"):
        register_table(MdPlain2)  # type: ignore[arg-type]
    assert_no_pending_models()


def test_forward_reference_fk_resolves_later() -> None:
    class MdBook(Model):
        id: int | None = Field(default=None, db_pk=True)
        writer: MdWriter | None = None

        class Meta:
            is_table = True
            table_name = "md_book_tmp"

    try:
        assert MdBook._db_meta.field_metadata == {}  # pending

        class MdWriter(Model):
            id: int | None = Field(default=None, db_pk=True)

            class Meta:
                is_table = True
                table_name = "md_writer_tmp"

        fk = MdBook._db_meta.field_metadata["writer"].foreign_key
        assert fk is not None and fk.column_name == "writer_id" and fk.nullable
        assert "writer_id" in MdBook.model_fields
        assert MdBook(writer=MdWriter(id=4)).writer_id == 4  # type: ignore[attr-defined]
    finally:
        unregister_table(MdBook)
        if "MdWriter" in locals():
            unregister_table(locals()["MdWriter"])


def test_compute_column_type_table() -> None:
    assert compute_column_type(bool) == {"kind": "boolean"}
    assert compute_column_type(bytes) == {"kind": "blob"}
    assert compute_column_type(date) == {"kind": "date"}
    assert compute_column_type(time) == {"kind": "time"}
    assert compute_column_type(timedelta) == {"kind": "timedelta"}
    assert compute_column_type(int | None) == {"kind": "big_integer"}
    assert compute_column_type(list) is None and compute_column_type(tuple) is None
    assert compute_column_type(Annotated[str, Field(max_length=5)]) == {"kind": "string", "length": 5}
    assert compute_column_type(list[Annotated[str, Field(max_length=50)]]) == {
        "kind": "array",
        "item": {"kind": "string", "length": 50},
    }
    assert compute_column_type(str, "VARCHAR(100)[]") == {"kind": "array", "item": {"kind": "string", "length": 100}}
    assert compute_column_type(str, "CITEXT") is None
    assert compute_column_type(datetime, "timestamptz") == {"kind": "date_time_utc"}
    assert compute_column_type(int, "SERIAL") == {"kind": "big_integer"}
    assert compute_column_type(dict, "JSONB") == {"kind": "json_binary"}
    assert compute_column_type(list[MdStatus])["item"]["kind"] == "enum"  # type: ignore[index]


def test_enum_names_and_non_string_enums() -> None:
    class HTTPStatus(enum.Enum):
        OK = "ok"

    class IntLevel(enum.IntEnum):
        LOW = 1

    assert enum_type_name(HTTPStatus) == "http_status_enum"
    assert enum_type_name(MdStatus) == "md_status_enum"
    with pytest.raises(TypeError, match="IntLevel"):
        compute_column_type(IntLevel)
    assert compute_column_type(IntLevel, "INTEGER") == {"kind": "big_integer"}


def test_codec_round_trips_every_ext_type() -> None:
    values = [
        Decimal("12.50"),
        UUID("12345678-1234-5678-1234-567812345678"),
        date(2024, 2, 29),
        time(13, 14, 15, 123456),
        datetime(2024, 1, 2, 3, 4, 5, 6),
        datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone(timedelta(hours=2))),
        timedelta(days=-1, seconds=5, microseconds=7),
        MdStatus.PUBLISHED,
    ]
    import msgpack

    packed = pack_ir({"rows": values})
    decoded = msgpack.unpackb(packed, ext_hook=__import__("oxyde._codec", fromlist=["_ext_hook"])._ext_hook)
    assert decoded["rows"][:7] == values[:7] and decoded["rows"][7] == "published"
    json_ext = encode_json({"a": [1, None], "d": date(2020, 1, 1)})
    assert json_ext.code == 8 and json_ext.data == b'{"a":[1,null],"d":"2020-01-01"}'
    result = msgpack.packb([["a"], [[1]], 3, None])
    assert unpack_result(result) == (["a"], [[1]], 3, None)
    assert unpack_result(msgpack.packb([["a"], []])) == (["a"], [], None, None)


@pytest.mark.parametrize("value", [2**63, -(2**63) - 1, 2**64, 10**30])
def test_codec_rejects_integers_beyond_64_bits(value: int) -> None:
    with pytest.raises(ValueError, match="out of range"):
        pack_ir({"op": "raw", "params": [1, value]})
    assert pack_ir({"v": 2**63 - 1})  # the packer is still usable


def test_hooks_are_async_noops() -> None:
    import asyncio

    user = MdUser(email="a@b.c", name="n")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        asyncio.run(user.pre_save(is_create=True))
        asyncio.run(user.post_delete())
