"""``Field(...)``: pydantic's field plus the database parameters (spec models.md §4)."""

from __future__ import annotations

from typing import Any, Literal, overload

from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

__all__ = ["DB_FIELD_DEFAULTS", "Field", "OxydeFieldInfo", "db_attr"]

DB_FIELD_DEFAULTS: dict[str, Any] = {
    "db_pk": False,
    "db_index": False,
    "db_index_name": None,
    "db_index_method": None,
    "db_unique": False,
    "db_column": None,
    "db_type": None,
    "db_default": None,
    "db_comment": None,
    "db_nullable": None,
    "db_fk": None,
    "db_on_delete": "RESTRICT",
    "db_on_update": "CASCADE",
    "db_reverse_fk": None,
    "db_m2m": False,
    "db_through": None,
}

# what FieldInfo.__init__ names explicitly; anything else is dropped quietly (spec §4)
_PYDANTIC_KWARGS = frozenset(
    FieldInfo.__init__.__code__.co_varnames[1 : FieldInfo.__init__.__code__.co_kwonlyargcount + 1]
)


class OxydeFieldInfo(FieldInfo):  # type: ignore[misc]  # recent pydantic marks FieldInfo final for checkers
    """A pydantic ``FieldInfo`` that also carries the ``db_*`` parameters."""

    __slots__ = tuple(DB_FIELD_DEFAULTS)

    db_pk: bool
    db_index: bool
    db_index_name: str | None
    db_index_method: str | None
    db_unique: bool
    db_column: str | None
    db_type: str | None
    db_default: str | None
    db_comment: str | None
    db_nullable: bool | None
    db_fk: str | None
    db_on_delete: str
    db_on_update: str
    db_reverse_fk: str | None
    db_m2m: bool
    db_through: str | None

    def __init__(
        self,
        default: Any = PydanticUndefined,
        *,
        db_pk: bool = False,
        db_index: bool = False,
        db_index_name: str | None = None,
        db_index_method: str | None = None,
        db_unique: bool = False,
        db_column: str | None = None,
        db_type: str | None = None,
        db_default: str | None = None,
        db_comment: str | None = None,
        db_nullable: bool | None = None,
        db_fk: str | None = None,
        db_on_delete: str = "RESTRICT",
        db_on_update: str = "CASCADE",
        db_reverse_fk: str | None = None,
        db_m2m: bool = False,
        db_through: str | None = None,
        **kwargs: Any,
    ) -> None:
        pydantic_kwargs = {k: v for k, v in kwargs.items() if k in _PYDANTIC_KWARGS}
        alias = pydantic_kwargs.get("alias")
        if alias is not None:
            # what pydantic's own Field() derives from alias= (FieldInfo() alone
            # does not), so the JSON name also validates and serializes
            pydantic_kwargs.setdefault("alias_priority", 2)
            if pydantic_kwargs.get("validation_alias") is None:
                pydantic_kwargs["validation_alias"] = alias
            if pydantic_kwargs.get("serialization_alias") is None and isinstance(alias, str):
                pydantic_kwargs["serialization_alias"] = alias
        if default is not PydanticUndefined:
            pydantic_kwargs["default"] = default
        super().__init__(**pydantic_kwargs)
        self.db_pk = db_pk
        self.db_index = db_index
        self.db_index_name = db_index_name
        self.db_index_method = db_index_method
        self.db_unique = db_unique
        self.db_column = db_column
        self.db_type = db_type
        self.db_default = db_default
        self.db_comment = db_comment
        self.db_nullable = db_nullable
        self.db_fk = db_fk
        self.db_on_delete = db_on_delete
        self.db_on_update = db_on_update
        self.db_reverse_fk = db_reverse_fk
        self.db_m2m = db_m2m
        self.db_through = db_through

    @property
    def is_virtual(self) -> bool:
        return bool(self.db_reverse_fk or self.db_m2m)


# Typed ``Any`` like pydantic's ``Field`` so ``name: str = Field(...)`` checks.
# Reverse-FK and M2M lists are filled by the ORM (empty by default): the
# ``init=False`` overloads tell dataclass_transform checkers that the
# constructor does not require them.
@overload
def Field(default: Any = ..., *, db_reverse_fk: str, init: Literal[False] = False, **kwargs: Any) -> Any: ...
@overload
def Field(default: Any = ..., *, db_m2m: Literal[True], init: Literal[False] = False, **kwargs: Any) -> Any: ...
@overload
def Field(default: Any = ..., **kwargs: Any) -> Any: ...
def Field(default: Any = PydanticUndefined, **kwargs: Any) -> Any:
    """Declare a model field; ``db_*`` keywords configure the column."""
    return OxydeFieldInfo(default=default, **kwargs)


def db_attr(info: FieldInfo | None, name: str) -> Any:
    """A ``db_*`` attribute of any FieldInfo (plain pydantic ones read as defaults)."""
    if info is None:
        return DB_FIELD_DEFAULTS[name]
    return getattr(info, name, DB_FIELD_DEFAULTS[name])
