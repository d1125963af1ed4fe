"""Metadata objects the rest of the library reads (spec models.md §13)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic_core import PydanticUndefined

from oxyde.models.decorators import Check, Index

__all__ = ["ColumnMeta", "ForeignKeyInfo", "ModelMeta", "RelationDescriptorBase", "RelationInfo"]


@dataclass(slots=True)
class ForeignKeyInfo:
    target: str
    column_name: str
    target_field: str
    nullable: bool
    on_delete: str | None = None
    on_update: str | None = None


@dataclass(slots=True)
class RelationInfo:
    name: str
    kind: Literal["one_to_many", "many_to_many"]
    target: str
    remote_field: str | None = None
    through: str | None = None
    back_populates: str | None = None


@dataclass(slots=True)
class ColumnMeta:
    name: str
    db_column: str
    python_type: Any
    nullable: bool
    db_type: str | None = None
    index: bool = False
    index_name: str | None = None
    index_method: str | None = None
    unique: bool = False
    primary_key: bool = False
    comment: str | None = None
    default: Any = PydanticUndefined
    default_factory: Any = None
    db_default: str | None = None
    max_length: int | None = None
    max_digits: int | None = None
    decimal_places: int | None = None
    foreign_key: ForeignKeyInfo | None = None
    checks: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class ModelMeta:
    table_name: str | None = None
    schema: str | None = None
    comment: str | None = None
    indexes: list[Index] = field(default_factory=list)
    unique_together: list[tuple[str, ...]] = field(default_factory=list)
    constraints: list[Check] = field(default_factory=list)
    field_metadata: dict[str, ColumnMeta] = field(default_factory=dict)
    relations: dict[str, RelationInfo] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    column_types: dict[str, dict[str, Any]] | None = None
    reverse_column_map: dict[str, str] = field(default_factory=dict)
    pk_field: str | None = None
    pk_column: str | None = None
    # FK object fields (``author``), for filling their column from a related instance
    fk_fields: frozenset[str] = frozenset()


class RelationDescriptorBase:
    """Marker base: instances on a table class get ``contribute_to_model(cls, name)``."""

    _is_relation_descriptor = True

    def contribute_to_model(self, model: type, name: str) -> None:
        """Hook for extensions; nothing ships that uses it."""
