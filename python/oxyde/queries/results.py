"""Running IR on a resolved executor and turning result bytes into Python values."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import TypeAdapter

from oxyde.db.routing import ready_client, resolve_client
from oxyde.queries.base import SupportsExecute, reverse_column_map
from oxyde.queries.hydrate import build_models

__all__ = ["Result", "backend_of", "field_keys", "resolve", "rows_to_dicts", "rows_to_models", "run", "validate_models"]


class Result:
    """A decoded core answer."""

    __slots__ = ("columns", "last_insert_id", "rows", "rows_affected")

    def __init__(self, columns: list[str], rows: list[list[Any]], rows_affected: int | None, last_id: Any) -> None:
        self.columns = columns
        self.rows = rows
        self.rows_affected = rows_affected or 0
        self.last_insert_id = last_id


async def resolve(using: str | None, client: SupportsExecute | None) -> SupportsExecute:
    found = ready_client(using, client)
    return found if found is not None else await resolve_client(using, client)


def backend_of(executor: Any) -> str | None:
    return getattr(executor, "backend", None)


def decode(raw: bytes) -> Result:
    from oxyde._codec import unpack_result

    columns, rows, affected, last_id = unpack_result(raw)  # fresh lists, ours to keep
    return Result(columns or [], rows or [], affected, last_id)


async def run(executor: SupportsExecute, ir: dict[str, Any]) -> Result:
    return decode(await executor.execute(ir))


def field_keys(model: type | None, columns: list[str]) -> list[str]:
    """Result columns as field names (mapped back through ``db_column``)."""
    mapping = reverse_column_map(model) if model is not None else {}
    return [mapping.get(c, c) for c in columns]


def rows_to_dicts(model: type | None, result: Result) -> list[dict[str, Any]]:
    """Rows as dicts keyed by field name."""
    return _dicts(field_keys(model, result.columns), result.rows)


def rows_to_models(model: type, result: Result) -> list[Any]:
    """The rows as ``model`` instances: built directly when every value already has
    its field's type, validated by pydantic otherwise (see ``hydrate``)."""
    keys = field_keys(model, result.columns)
    built = build_models(model, keys, result.rows)
    return built if built is not None else validate_models(model, _dicts(keys, result.rows))


def _dicts(keys: list[str], rows: list[list[Any]]) -> list[dict[str, Any]]:
    return [dict(zip(keys, row, strict=False)) for row in rows]


_ADAPTERS: dict[type, TypeAdapter[Any]] = {}


def validate_models(model: type, rows: list[dict[str, Any]]) -> list[Any]:
    adapter = _ADAPTERS.get(model)
    if adapter is None:
        adapter = _ADAPTERS[model] = TypeAdapter(list[model])  # type: ignore[valid-type]
    try:
        # rows carry field names; validate by name even when the model declares aliases
        return adapter.validate_python(rows, by_name=True)  # type: ignore[call-arg]
    except TypeError:  # pydantic < 2.11 has no by_name
        return adapter.validate_python(rows)


def coerce_number(value: Any, python_type: Any, avg: bool = False) -> Any:
    """Aggregates may arrive as text (PostgreSQL NUMERIC); bring them back to the field's type."""
    if value is None:
        return None
    from oxyde.queries.lookups import _base_type

    tp = _base_type(python_type)
    try:
        if tp is Decimal:
            return Decimal(str(value))
        if avg:
            return float(value) if not isinstance(value, float) else value
        if tp is int:
            if isinstance(value, (str, Decimal)):
                d = Decimal(str(value))
                return int(d) if d == d.to_integral_value() else float(d)
            return int(value) if isinstance(value, float) and value.is_integer() else value
        if tp is float:
            return float(value)
    except (ValueError, ArithmeticError):
        return value
    if isinstance(value, str):
        try:
            return Decimal(value)
        except ArithmeticError:
            return value
    return value
