"""Typing-only ``Query`` subclasses: what ``values()`` / ``values_list()`` return
to a type checker, and what generated stubs name. Never instantiated at run
time: the query object stays a plain ``Query`` whose mode picks the row shape."""

from __future__ import annotations

from collections.abc import Coroutine
from typing import Any, Generic, TypeVar

from oxyde.queries.base import SupportsExecute, TModel
from oxyde.queries.select import Query

__all__ = ["FlatValuesListQuery", "ValuesListQuery", "ValuesQuery"]

T = TypeVar("T")
Row = TypeVar("Row")


class _RowsQuery(Query[TModel], Generic[TModel, Row]):
    """The terminal reads of ``Query`` with ``Row`` in place of the model."""

    def all(  # type: ignore[override]
        self, *, using: str | None = None, client: SupportsExecute | None = None
    ) -> Coroutine[Any, Any, list[Row]]:
        return super().all(using=using, client=client)  # type: ignore[return-value]

    async def first(  # type: ignore[override]
        self, *, using: str | None = None, client: SupportsExecute | None = None
    ) -> Row | None:
        return await super().first(using=using, client=client)  # type: ignore[return-value]

    async def last(  # type: ignore[override]
        self, *, using: str | None = None, client: SupportsExecute | None = None
    ) -> Row | None:
        return await super().last(using=using, client=client)  # type: ignore[return-value]

    async def get(  # type: ignore[override]
        self, *, using: str | None = None, client: SupportsExecute | None = None
    ) -> Row:
        return await super().get(using=using, client=client)  # type: ignore[return-value]

    async def get_or_none(  # type: ignore[override]
        self, *, using: str | None = None, client: SupportsExecute | None = None
    ) -> Row | None:
        return await super().get_or_none(using=using, client=client)  # type: ignore[return-value]


class ValuesQuery(_RowsQuery[TModel, dict[str, Any]]):
    """A query in ``values()`` mode: rows are ``dict[str, Any]`` keyed by field name."""


class ValuesListQuery(_RowsQuery[TModel, tuple[Any, ...]]):
    """A query in ``values_list()`` mode: rows are tuples in selected-field order."""


class FlatValuesListQuery(_RowsQuery[TModel, T]):
    """A query in ``values_list(field, flat=True)`` mode: rows are scalars of type ``T``."""
