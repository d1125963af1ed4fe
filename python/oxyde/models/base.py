"""``Model``: a pydantic model that knows its table (spec models.md §2)."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict
from pydantic._internal._model_construction import ModelMetaclass
from pydantic.fields import FieldInfo
from typing_extensions import Self, dataclass_transform

from oxyde.models.field import Field, OxydeFieldInfo
from oxyde.models.metadata import (
    ColumnMeta,
    ForeignKeyInfo,
    ModelMeta,
    RelationDescriptorBase,
    RelationInfo,
)
from oxyde.models.parsing import db_info, fk_target, parse_fields, parse_meta, target_field_type
from oxyde.models.registry import finalize_pending, register_table

if TYPE_CHECKING:
    from oxyde.queries.base import SupportsExecute
    from oxyde.queries.manager import QueryManager

__all__ = [
    "ColumnMeta",
    "ForeignKeyInfo",
    "Model",
    "ModelMeta",
    "OxydeModelMeta",
    "RelationDescriptorBase",
    "RelationInfo",
]

_M = TypeVar("_M", bound="Model")


class OxydeModelMeta(ModelMetaclass):
    """Adds list defaults to virtual relation fields and finalizes table models."""

    def __new__(mcs, name: str, bases: tuple[type, ...], namespace: dict[str, Any], **kwargs: Any) -> type:
        for value in namespace.values():
            if (
                isinstance(value, OxydeFieldInfo)
                and value.is_virtual
                and value.is_required()
                and value.default_factory is None
            ):
                value.default_factory = list
                value._attributes_set["default_factory"] = list
        cls = super().__new__(mcs, name, bases, namespace, **kwargs)
        finalize_pending()
        return cls


def _bind_in_module(cls: type) -> None:
    module = sys.modules.get(cls.__module__)
    if module is None:
        return
    if "<locals>" in cls.__qualname__ or cls.__name__ not in module.__dict__:
        # lets models defined inside functions resolve as forward references
        module.__dict__[cls.__name__] = cls


@dataclass_transform(kw_only_default=True, field_specifiers=(FieldInfo, Field, OxydeFieldInfo))
class Model(BaseModel, metaclass=OxydeModelMeta):
    """Base class of every Oxyde model; ``class Meta: is_table = True`` makes a table."""

    model_config = ConfigDict(ignored_types=(RelationDescriptorBase,))

    # each subclass gets its own manager at class creation, typed by the subclass
    objects: ClassVar[QueryManager[Self]]
    _db_meta: ClassVar[ModelMeta] = ModelMeta()
    _is_table: ClassVar[bool] = False

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        _bind_in_module(cls)
        is_table, meta = parse_meta(cls)
        cls._is_table = is_table
        cls._db_meta = meta
        from oxyde.queries.manager import QueryManager

        cls.objects = QueryManager(cls)  # type: ignore[arg-type]  # mypy sees type[Model], not type[Self]
        if is_table:
            register_table(cls, overwrite=True)
            for attr, value in list(cls.__dict__.items()):
                if getattr(value, "_is_relation_descriptor", False):
                    value.contribute_to_model(cls, attr)

    @classmethod
    def get_table_name(cls) -> str:
        return cls._db_meta.table_name or cls.__name__.lower()

    @classmethod
    def _finalize_db_meta(cls) -> bool:
        """Resolve forward refs and FKs, then parse metadata. False = try again later."""
        if not cls.__pydantic_complete__:
            try:
                cls.model_rebuild(raise_errors=False, _types_namespace=_namespace(cls))
            except Exception:  # an unresolved reference is retried later
                return False
            if not cls.__pydantic_complete__:
                return False
        for value in cls.model_fields.values():
            from oxyde.core.column_types import strip_optional, unwrap_annotated

            inner, _ = strip_optional(unwrap_annotated(value.annotation)[0])
            target = fk_target(unwrap_annotated(inner)[0])
            if isinstance(target, str):
                return False  # FK target not defined yet
        if not _add_fk_columns(cls):
            return False
        parse_fields(cls, cls._db_meta)
        return True

    def model_post_init(self, context: Any, /) -> None:
        # ``Post(author=ann)`` also sets ``author_id`` so the INSERT carries the key
        meta = type(self)._db_meta
        if not meta.field_metadata or self.__pydantic_fields_set__.isdisjoint(meta.fk_fields):
            return
        for name in meta.fk_fields:
            related = self.__dict__.get(name)
            fk = meta.field_metadata[name].foreign_key
            if related is None or fk is None or not isinstance(related, BaseModel):
                continue
            if self.__dict__.get(fk.column_name) is None and fk.column_name in type(self).model_fields:
                self.__dict__[fk.column_name] = getattr(related, fk.target_field, None)
                self.__pydantic_fields_set__.add(fk.column_name)

    # --- instance operations (instances.md); implemented by the query layer ---

    async def save(
        self,
        *,
        client: SupportsExecute | None = None,
        using: str | None = None,
        update_fields: Iterable[str] | None = None,
    ) -> Self:
        from oxyde.queries.instance import save_instance

        return await save_instance(self, client=client, using=using, update_fields=update_fields)

    async def delete(self, *, client: SupportsExecute | None = None, using: str | None = None) -> int:
        from oxyde.queries.instance import delete_instance

        return await delete_instance(self, client=client, using=using)

    async def refresh(self, *, client: SupportsExecute | None = None, using: str | None = None) -> Self:
        from oxyde.queries.instance import refresh_instance

        return await refresh_instance(self, client=client, using=using)

    async def pre_save(self, *, is_create: bool, update_fields: set[str] | None = None) -> None:
        """Runs before ``save()`` / ``create()`` writes; override to add behaviour."""

    async def post_save(self, *, is_create: bool, update_fields: set[str] | None = None) -> None:
        """Runs after ``save()`` / ``create()`` wrote."""

    async def pre_delete(self) -> None:
        """Runs before ``delete()``."""

    async def post_delete(self) -> None:
        """Runs after ``delete()``."""


def _namespace(cls: type) -> dict[str, Any]:
    from oxyde.models import registry

    ns: dict[str, Any] = {m.__name__: m for m in registry.iter_tables()}
    module = sys.modules.get(cls.__module__)
    if module is not None:
        ns.update(vars(module))
    ns.setdefault("Model", Model)
    return ns


def _add_fk_columns(cls: type[BaseModel]) -> bool:
    """Give each FK object field a real pydantic field for its column (``author_id``)."""
    from oxyde.core.column_types import strip_optional, unwrap_annotated

    added: dict[str, FieldInfo] = {}
    fields = cls.__pydantic_fields__
    for name, info in fields.items():
        db = db_info(info)
        if getattr(db, "db_reverse_fk", None) or getattr(db, "db_m2m", False):
            continue
        inner, optional = strip_optional(unwrap_annotated(info.annotation)[0])
        target = fk_target(unwrap_annotated(inner)[0])
        if not isinstance(target, type):
            continue
        target_meta: ModelMeta | None = getattr(target, "_db_meta", None)
        ref = getattr(db, "db_fk", None) or (target_meta.pk_field if target_meta else None) or "id"
        column = getattr(db, "db_column", None) or f"{name}_{ref}"
        if column in fields or column in added:
            continue
        col_type: Any = target_field_type(target, ref)
        if optional:
            new = OxydeFieldInfo(default=None, db_nullable=getattr(db, "db_nullable", None))
            new.annotation = col_type | None
        else:
            new = OxydeFieldInfo(db_nullable=getattr(db, "db_nullable", None))
            new.annotation = col_type
        added[column] = new
    if not added:
        return True
    fields.update(added)
    try:
        cls.model_rebuild(force=True, _types_namespace=_namespace(cls))
    except Exception:  # undo and retry at the next definition
        for column in added:
            fields.pop(column, None)
        return False
    return True
