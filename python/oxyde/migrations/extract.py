"""The current schema, read from the registered table models (spec §6)."""

from __future__ import annotations

from typing import Any

from oxyde.db.schema import render_default
from oxyde.models.registry import finalize_pending, iter_tables, lookup_model

__all__ = ["extract_current_schema", "table_snapshot"]

_INT_PK_TYPES = (None, "SERIAL", "BIGSERIAL")


def _column_name(cm: Any) -> str:
    return str(cm.foreign_key.column_name if cm.foreign_key else cm.db_column)


def _field(cm: Any, column: str, spec: dict[str, Any] | None, dialect: str) -> dict[str, Any]:
    if spec is None and cm.db_type:
        spec = {"kind": "unknown"}  # the verbatim db_type is the whole column type
    if spec is None:
        raise ValueError(f"column '{column}' has no mappable type")
    pk = bool(cm.primary_key)
    auto = pk and spec.get("kind") == "big_integer" and (cm.db_type.upper() if cm.db_type else None) in _INT_PK_TYPES
    default = cm.db_default
    if default is None and cm.default_factory is None:
        default = render_default(cm.default, dialect)
    field: dict[str, Any] = {
        "name": column,
        "column_type": spec,
        "nullable": bool(cm.nullable) and not pk,
        "primary_key": pk,
        "unique": bool(cm.unique) and not pk,
        "default": None if pk else default,
        "db_type": cm.db_type,
        "auto_increment": bool(auto),
        "max_length": cm.max_length,
        "max_digits": cm.max_digits,
        "decimal_places": cm.decimal_places,
    }
    if cm.comment is not None:  # only when set: schemas of models without comments stay as they were
        field["comment"] = cm.comment
    return field


def _ref(cm: Any) -> tuple[str, str, str | None]:
    """Target table, column and schema of an FK field."""
    fk = cm.foreign_key
    try:
        target = lookup_model(fk.target)
    except Exception:
        return fk.target, fk.target_field, None  # an unregistered target: an unusable reference
    tmeta = target._db_meta
    tcm = tmeta.field_metadata.get(fk.target_field)
    return target.get_table_name(), (tcm.db_column if tcm else fk.target_field), tmeta.schema


def table_snapshot(model: type, dialect: str) -> dict[str, Any]:
    """One table model as a ``TableDef`` dict."""
    meta = model._db_meta  # type: ignore[attr-defined]
    table = model.get_table_name()  # type: ignore[attr-defined]
    types = meta.column_types or {}
    fields: list[dict[str, Any]] = []
    fks: list[dict[str, Any]] = []
    seen: set[str] = set()
    for name, cm in meta.field_metadata.items():
        if cm.extra:
            continue  # reverse-FK / M2M: no column
        column = _column_name(cm)
        if column in seen:
            continue
        seen.add(column)
        try:
            fields.append(_field(cm, column, types.get(column), dialect))
        except ValueError as exc:
            raise ValueError(f"{model.__name__}.{name}: {exc}") from None
        if cm.foreign_key is not None:
            ref_table, ref_column, ref_schema = _ref(cm)
            fk: dict[str, Any] = {
                "name": f"fk_{table}_{column}",
                "columns": [column],
                "ref_table": ref_table,
                "ref_columns": [ref_column],
                "on_delete": cm.foreign_key.on_delete,
                "on_update": cm.foreign_key.on_update,
            }
            if ref_schema:  # only when set: schemas of existing projects stay as they were
                fk["ref_schema"] = ref_schema
            fks.append(fk)
    indexes = [
        {
            "name": i.index_name(table),
            "fields": list(i.fields),
            "unique": bool(i.unique),
            "method": i.method,
            "where": (i.where or "").strip() or None,
        }
        for i in meta.indexes
    ]
    # db_index=True and unique_together, as create_tables() builds them (models.md §3, §4.1 defects)
    for cm in meta.field_metadata.values():
        if cm.index and not cm.extra and not cm.unique and not cm.primary_key:
            column = _column_name(cm)
            indexes.append(
                {
                    "name": cm.index_name or f"ix_{table}_{column}",
                    "fields": [column],
                    "unique": False,
                    "method": cm.index_method,
                    "where": None,
                }
            )
    to_column = {n: _column_name(cm) for n, cm in meta.field_metadata.items()}
    for group in meta.unique_together:
        cols = [to_column.get(f, f) for f in group]
        indexes.append(
            {"name": f"{table}_{'_'.join(cols)}_uniq", "fields": cols, "unique": True, "method": None, "where": None}
        )
    checks = [{"name": c.constraint_name(table, i), "expression": c.expression} for i, c in enumerate(meta.constraints)]
    snapshot: dict[str, Any] = {"name": table}
    if meta.schema:  # Meta.schema (models.md §3 defect): only when set, like ref_schema above
        snapshot["schema"] = meta.schema
    snapshot.update(fields=fields, indexes=indexes, foreign_keys=fks, checks=checks, comment=meta.comment)
    return snapshot


def extract_current_schema(dialect: str = "sqlite") -> dict[str, Any]:
    """Snapshot of every registered table model."""
    finalize_pending()
    tables = {}
    for model in iter_tables():
        t = table_snapshot(model, dialect)
        tables[t["name"]] = t
    return {"version": 1, "tables": tables}
