"""Helpers shared by the migration modules: dialect detection, loading files,
result decoding, legacy field normalization, the bridge to the core."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import msgpack

__all__ = [
    "apply_ops",
    "compute_diff",
    "detect_dialect",
    "load_migration_module",
    "normalize_field_dict",
    "normalize_op_fields",
    "op_uses_legacy_fields",
    "parse_query_result",
    "render_ops",
]

_LEGACY_TYPES: dict[str, dict[str, Any]] = {
    "int": {"kind": "big_integer"},
    "str": {"kind": "string"},
    "float": {"kind": "double"},
    "bool": {"kind": "boolean"},
    "bytes": {"kind": "blob"},
    "datetime": {"kind": "date_time"},
    "date": {"kind": "date"},
    "time": {"kind": "time"},
    "timedelta": {"kind": "timedelta"},
    "uuid": {"kind": "uuid"},
    "decimal": {"kind": "decimal"},
    "json": {"kind": "json"},
}


def detect_dialect(url: str) -> str:
    """``sqlite`` / ``postgres`` / ``mysql`` from a database URL (postgres when unknown)."""
    url = url.lower()
    if url.startswith("sqlite"):
        return "sqlite"
    if url.startswith(("mysql", "mariadb")):
        return "mysql"
    return "postgres"


def load_migration_module(filepath: Path) -> ModuleType:
    """Import a migration file under its stem (registered in ``sys.modules``)."""
    filepath = Path(filepath)
    spec = importlib.util.spec_from_file_location(filepath.stem, filepath)
    if spec is None or spec.loader is None:
        raise ImportError(f"Cannot load migration {filepath}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[filepath.stem] = module
    try:
        spec.loader.exec_module(module)
    except Exception as exc:
        sys.modules.pop(filepath.stem, None)
        raise ImportError(f"Cannot load migration {filepath}: {exc}") from exc
    return module


def parse_query_result(result_bytes: bytes) -> list[dict[str, Any]]:
    """Rows of a core result as dicts."""
    data = msgpack.unpackb(result_bytes, raw=False, strict_map_key=False)
    if not data:
        return []
    columns, rows = data[0], data[1]
    return [dict(zip(columns, row, strict=False)) for row in rows]


def _legacy_type(field: dict[str, Any]) -> dict[str, Any]:
    name = str(field.get("python_type") or "")
    if name.endswith("[]"):
        return {"kind": "array", "item": _legacy_type({**field, "python_type": name[:-2]})}
    spec = dict(_LEGACY_TYPES.get(name.lower(), {"kind": "unknown"}))
    if spec["kind"] == "string" and field.get("max_length"):
        spec["length"] = field["max_length"]
    if spec["kind"] == "decimal":
        if field.get("max_digits") is not None:
            spec["precision"] = field["max_digits"]
        if field.get("decimal_places") is not None:
            spec["scale"] = field["decimal_places"]
    return spec


def normalize_field_dict(field: dict[str, Any]) -> dict[str, Any]:
    """A field dict with ``column_type``; legacy ``python_type`` / ``db_type`` fields are converted."""
    if "column_type" in field:
        return field
    if not field.get("python_type") and not field.get("db_type"):
        raise ValueError(f"field {field.get('name')!r} has neither column_type nor python_type/db_type")
    out = {k: v for k, v in field.items() if k != "python_type"}
    out["column_type"] = _legacy_type(field) if field.get("python_type") else {"kind": "unknown"}
    return out


def op_uses_legacy_fields(op: dict[str, Any]) -> bool:
    """Whether an operation carries a field dict in the legacy format."""
    return any("column_type" not in f for f in _op_fields(op))


def _op_fields(op: dict[str, Any]) -> list[dict[str, Any]]:
    t = op.get("type")
    if t == "create_table":
        return list(op["table"].get("fields", []))
    if t == "add_column":
        return [op["field"]]
    return []


def normalize_op_fields(op: dict[str, Any]) -> dict[str, Any]:
    """The operation with every field dict normalized."""
    t = op.get("type")
    if t == "create_table":
        table = dict(op["table"])
        table["fields"] = [normalize_field_dict(f) for f in table.get("fields", [])]
        return {**op, "table": table}
    if t == "add_column":
        return {**op, "field": normalize_field_dict(op["field"])}
    return op


def _pack(value: Any) -> bytes:
    return msgpack.packb(value, use_bin_type=True)


def _unpack(data: bytes) -> Any:
    return msgpack.unpackb(data, raw=False, strict_map_key=False)


def _core() -> Any:
    from oxyde import _core as core

    return core


def empty_snapshot() -> dict[str, Any]:
    return {"version": 1, "tables": {}}


def compute_diff(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    """Operations turning snapshot ``old`` into ``new`` (``ValueError`` on cycles / enum conflicts)."""
    ops: list[dict[str, Any]] = _unpack(_core().schema_diff(_pack(old), _pack(new)))
    return ops


def apply_ops(snapshot: dict[str, Any], ops: list[dict[str, Any]]) -> dict[str, Any]:
    """The snapshot after replaying ``ops``."""
    ops = [normalize_op_fields(op) for op in ops]
    result: dict[str, Any] = _unpack(_core().schema_apply(_pack(snapshot), _pack(ops)))
    return result


def render_ops(ops: list[dict[str, Any]], dialect: str, snapshot: dict[str, Any] | None = None) -> list[str]:
    """DDL for ``ops`` in order, starting from ``snapshot``."""
    ops = [normalize_op_fields(op) for op in ops]
    stmts: list[str] = _core().render_migration_ops(_pack(ops), dialect, _pack(snapshot) if snapshot else None)
    return stmts
