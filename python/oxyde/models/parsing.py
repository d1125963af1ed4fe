"""Turning a pydantic model class into ``ModelMeta`` (spec models.md §4.3, §13, §14)."""

from __future__ import annotations

from typing import Any, ForwardRef, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from oxyde.core.column_types import _constraint, compute_column_type, strip_optional, unwrap_annotated
from oxyde.models.field import DB_FIELD_DEFAULTS, OxydeFieldInfo
from oxyde.models.metadata import ColumnMeta, ForeignKeyInfo, ModelMeta, RelationInfo

__all__ = ["db_info", "fk_target", "parse_fields", "parse_meta", "target_field_type"]

_META_KNOWN = ("is_table", "table_name", "schema", "comment", "indexes", "unique_together", "constraints")


def parse_meta(cls: type) -> tuple[bool, ModelMeta]:
    """Read the class's own ``Meta`` (not inherited) into a fresh ``ModelMeta``."""
    meta_cls = cls.__dict__.get("Meta")
    opts: dict[str, Any] = {}
    if meta_cls is not None:
        for name in dir(meta_cls):
            if not name.startswith("_"):
                opts[name] = getattr(meta_cls, name)
    is_table = bool(opts.get("is_table", False))
    table_name = opts.get("table_name") or (cls.__name__.lower() if is_table else None)
    meta = ModelMeta(
        table_name=table_name,
        schema=opts.get("schema"),
        comment=opts.get("comment"),
        indexes=list(opts.get("indexes") or []),
        unique_together=[tuple(x) for x in (opts.get("unique_together") or [])],
        constraints=list(opts.get("constraints") or []),
        extra={k: v for k, v in opts.items() if k not in _META_KNOWN},
    )
    return is_table, meta


def db_info(info: FieldInfo) -> FieldInfo:
    """The FieldInfo carrying the ``db_*`` values (pydantic may have merged ours away)."""
    if isinstance(info, OxydeFieldInfo):
        return info
    original = getattr(info, "_original_assignment", None)
    if isinstance(original, OxydeFieldInfo):
        return original
    for item in info.metadata:
        if isinstance(item, OxydeFieldInfo):
            return item
    return info


def _db(info: FieldInfo, name: str) -> Any:
    return getattr(info, name, DB_FIELD_DEFAULTS[name])


def fk_target(tp: Any) -> Any:
    """The target of an FK annotation: a table model class, a name string, or None."""
    if isinstance(tp, str):
        return tp
    if isinstance(tp, ForwardRef):
        return tp.__forward_arg__
    if isinstance(tp, type) and issubclass(tp, BaseModel) and getattr(tp, "_is_table", False):
        return tp
    return None


def _list_item_name(tp: Any) -> str | None:
    if get_origin(tp) is list:
        args = get_args(tp)
        if args:
            item = args[0]
            if isinstance(item, str):
                return item
            if isinstance(item, ForwardRef):
                return item.__forward_arg__
            return getattr(item, "__name__", None)
    return None


def _nullable(info: FieldInfo, db: FieldInfo, optional: bool, is_fk: bool) -> bool:
    forced = _db(db, "db_nullable")
    if forced is not None:
        return bool(forced)
    if optional:
        return True
    return not is_fk and not info.is_required() and info.default is None


def _target_pk_name(target: Any) -> str:
    meta: ModelMeta | None = getattr(target, "_db_meta", None)
    return (meta.pk_field if meta else None) or "id"


def target_field_type(target: type, name: str) -> Any:
    fields = getattr(target, "model_fields", {})
    if name in fields:
        tp, _ = strip_optional(unwrap_annotated(fields[name].annotation)[0])
        return tp
    return int


def _target_spec(target: type, name: str) -> dict[str, Any] | None:
    meta: ModelMeta | None = getattr(target, "_db_meta", None)
    if meta is not None and name in meta.field_metadata:
        cm = meta.field_metadata[name]
        if cm.db_type and cm.db_type.upper() in ("SERIAL", "BIGSERIAL"):
            return {"kind": "big_integer"}
        return (meta.column_types or {}).get(cm.db_column) or compute_column_type(
            cm.python_type,
            cm.db_type,
            max_length=cm.max_length,
            max_digits=cm.max_digits,
            decimal_places=cm.decimal_places,
        )
    return compute_column_type(target_field_type(target, name))


def parse_fields(cls: type[BaseModel], meta: ModelMeta) -> None:
    """Fill ``field_metadata``, ``relations``, ``column_types``, the reverse map and the PK cache."""
    field_metadata: dict[str, ColumnMeta] = {}
    relations: dict[str, RelationInfo] = {}
    column_types: dict[str, dict[str, Any]] = {}
    reverse: dict[str, str] = {}
    pk_field: str | None = None
    pk_column: str | None = None
    for name, info in cls.model_fields.items():
        db = db_info(info)
        annotation, _ = unwrap_annotated(info.annotation)
        python_type, optional = strip_optional(annotation)
        python_type, _ = unwrap_annotated(python_type)
        meta_items = list(info.metadata)
        max_length = _constraint(meta_items, "max_length")
        max_digits = _constraint(meta_items, "max_digits")
        decimal_places = _constraint(meta_items, "decimal_places")
        extra: dict[str, Any] = {}
        reverse_fk = _db(db, "db_reverse_fk")
        m2m = _db(db, "db_m2m")
        target = None if (reverse_fk or m2m) else fk_target(python_type)
        column = _db(db, "db_column") or name
        foreign_key: ForeignKeyInfo | None = None
        if reverse_fk or m2m:
            target_name = _list_item_name(python_type) or ""
            if reverse_fk:
                extra = {"reverse_fk": reverse_fk}
                relations[name] = RelationInfo(name, "one_to_many", target_name, remote_field=reverse_fk)
            else:
                extra = {"m2m": True, "through": _db(db, "db_through")}
                relations[name] = RelationInfo(name, "many_to_many", target_name, through=_db(db, "db_through"))
        elif target is not None:
            ref_field = _db(db, "db_fk") or _target_pk_name(target)
            spec = _target_spec(target, ref_field) if isinstance(target, type) else {"kind": "big_integer"}
            column = _db(db, "db_column") or f"{name}_{ref_field}"
            target_path = f"{target.__module__}.{target.__qualname__}" if isinstance(target, type) else target
            foreign_key = ForeignKeyInfo(
                target=target_path,
                column_name=column,
                target_field=ref_field,
                nullable=_nullable(info, db, optional, True),
                on_delete=_db(db, "db_on_delete"),
                on_update=_db(db, "db_on_update"),
            )
            if spec is not None and column not in column_types:
                column_types[column] = spec
        cm = ColumnMeta(
            name=name,
            db_column=column,
            python_type=python_type,
            nullable=_nullable(info, db, optional, foreign_key is not None),
            db_type=_db(db, "db_type"),
            index=_db(db, "db_index"),
            index_name=_db(db, "db_index_name"),
            index_method=_db(db, "db_index_method"),
            unique=_db(db, "db_unique"),
            primary_key=_db(db, "db_pk"),
            comment=_db(db, "db_comment"),
            default=info.default,
            default_factory=info.default_factory,
            db_default=_db(db, "db_default"),
            max_length=max_length,
            max_digits=max_digits,
            decimal_places=decimal_places,
            foreign_key=foreign_key,
            extra=extra,
        )
        field_metadata[name] = cm
        if not extra and foreign_key is None:
            spec = compute_column_type(
                python_type, cm.db_type, max_length=max_length, max_digits=max_digits, decimal_places=decimal_places
            )
            if spec is not None:
                column_types[column] = spec
            if column != name:
                reverse[column] = name
        if cm.primary_key and pk_field is None:
            pk_field, pk_column = name, column
    meta.field_metadata = field_metadata
    meta.relations = relations
    meta.column_types = column_types or None
    meta.reverse_column_map = reverse
    meta.pk_field = pk_field
    meta.pk_column = pk_column
    meta.fk_fields = frozenset(n for n, cm in field_metadata.items() if cm.foreign_key is not None)
