"""Typing-only ``Query`` subclasses for generated stubs; never instantiated at run time."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from oxyde.queries.base import TModel
from oxyde.queries.select import Query

__all__ = ["FlatValuesListQuery", "ValuesListQuery", "ValuesQuery"]

T = TypeVar("T")


class ValuesQuery(Query[TModel], Generic[TModel]):
    """A query in ``values()`` mode: rows are ``dict[str, Any]``."""

    async def first(self, **kwargs: Any) -> dict[str, Any] | None:  # type: ignore[override]
        return await super().first(**kwargs)  # type: ignore[return-value]


class ValuesListQuery(Query[TModel], Generic[TModel]):
    """A query in ``values_list()`` mode: rows are tuples."""

    async def first(self, **kwargs: Any) -> tuple[Any, ...] | None:  # type: ignore[override]
        return await super().first(**kwargs)  # type: ignore[return-value]


class FlatValuesListQuery(Query[TModel], Generic[TModel, T]):
    """A query in ``values_list(field, flat=True)`` mode: rows are scalars."""

    async def first(self, **kwargs: Any) -> T | None:  # type: ignore[override]
        return await super().first(**kwargs)  # type: ignore[return-value]
