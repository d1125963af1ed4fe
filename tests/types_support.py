"""Helpers of the type-matrix tests: one table per type, and exact comparison of read-back values."""

from __future__ import annotations

import enum
import math
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Optional

from oxyde import Field, Model
from oxyde.db.schema import _enum_ops, dialect_of, table_ops
from oxyde.models.registry import finalize_pending, unregister_table


class TyStatus(str, enum.Enum):
    """Declared out of alphabetical order, so declaration order and text order differ."""

    DRAFT = "draft"
    LIVE = "live"
    ARCHIVED = "archived"
    QUOTED = 'it\'s \\ "odd"'


def type_model(name: str, annotation: Any, *, register: bool = True, **field: Any) -> type[Model]:
    """A table ``ty_<name>`` with ``v: annotation`` and a nullable twin ``n``."""
    module = __name__ if register else f"{__name__}.local"
    meta = type(
        "Meta",
        (),
        {"is_table": True, "table_name": f"ty_{name}", "__qualname__": f"Ty_{name}.Meta", "__module__": module},
    )
    ns: dict[str, Any] = {
        "__annotations__": {"id": Optional[int], "v": annotation, "n": Optional[annotation]},  # noqa: UP045
        "__module__": module,
        "__qualname__": f"Ty_{name}",
        "id": Field(default=None, db_pk=True),
        "v": Field(**field),
        "n": Field(default=None, **field),
        "Meta": meta,
    }
    return type(f"Ty_{name}", (Model,), ns)


@asynccontextmanager
async def local_table(database: Any, model: type[Model]) -> AsyncIterator[type[Model]]:
    """Create the table of a model made for one dialect only; drop and unregister it afterwards."""
    finalize_pending()
    dialect = dialect_of(database)
    table = model.get_table_name()
    quoted = f"`{table}`" if dialect == "mysql" else f'"{table}"'
    try:
        await _raw(database, f"DROP TABLE IF EXISTS {quoted}")
        if dialect == "postgres":
            for op in _enum_ops((model,)):
                await database.execute(op)
        for op in table_ops(model, dialect):
            await database.execute(op)
        yield model
    finally:
        unregister_table(model)
        await _raw(database, f"DROP TABLE IF EXISTS {quoted}")


async def _raw(database: Any, sql: str) -> None:
    await database.execute({"proto": 1, "op": "raw", "sql": sql, "params": []})


def same(got: Any, want: Any) -> bool:
    """Equal and of the same type, recursively; NaN equals NaN; aware datetimes keep their instant."""
    if isinstance(want, float) and isinstance(got, float) and math.isnan(want):
        return math.isnan(got)
    if type(got) is not type(want):
        return False
    if isinstance(want, (list, tuple)):
        return len(got) == len(want) and all(same(g, w) for g, w in zip(got, want, strict=True))
    if isinstance(want, dict):
        return got.keys() == want.keys() and all(same(got[k], want[k]) for k in want)
    return bool(got == want)
