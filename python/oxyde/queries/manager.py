"""``QueryManager``: ``Model.objects``, the entry point of every query."""

from __future__ import annotations

import contextlib
from collections.abc import Coroutine, Iterable
from typing import TYPE_CHECKING, Any, Generic, Literal, cast, overload

from oxyde.exceptions import IntegrityError, ManagerError, NotFoundError
from oxyde.queries import reads, templates
from oxyde.queries.base import SupportsExecute, TModel
from oxyde.queries.q import Q
from oxyde.queries.select import Query

if TYPE_CHECKING:
    from oxyde.queries.typed import FlatValuesListQuery, ValuesListQuery, ValuesQuery

__all__ = ["QueryManager"]


def _creation_data(filters: dict[str, Any], defaults: dict[str, Any] | None) -> dict[str, Any]:
    """Plain-field filters (no ``__``) plus ``defaults``: what get_or_create inserts."""
    data = {k: v for k, v in filters.items() if "__" not in k}
    data.update(defaults or {})
    return data


class QueryManager(Generic[TModel]):
    """Builds fresh ``Query`` objects for ``model_class`` and runs the common shortcuts."""

    def __init__(self, model_class: type[TModel]) -> None:
        self.model_class = model_class

    def query(self) -> Query[TModel]:
        return Query(self.model_class)

    # -- builder delegates ----------------------------------------------------

    def filter(self, *args: Q, **lookups: Any) -> Query[TModel]:
        return self.query().filter(*args, **lookups)

    def exclude(self, *args: Q, **lookups: Any) -> Query[TModel]:
        return self.query().exclude(*args, **lookups)

    def values(self, *fields: str) -> ValuesQuery[TModel]:
        return self.query().values(*fields)

    @overload
    def values_list(self, *fields: str, flat: Literal[True]) -> FlatValuesListQuery[TModel, Any]: ...
    @overload
    def values_list(self, *fields: str, flat: Literal[False] = False) -> ValuesListQuery[TModel]: ...
    @overload
    def values_list(self, *fields: str, flat: bool) -> ValuesListQuery[TModel] | FlatValuesListQuery[TModel, Any]: ...
    def values_list(
        self, *fields: str, flat: bool = False
    ) -> ValuesListQuery[TModel] | FlatValuesListQuery[TModel, Any]:
        return self.query().values_list(*fields, flat=flat)

    def distinct(self, distinct: bool = True) -> Query[TModel]:
        return self.query().distinct(distinct)

    def join(self, *paths: str) -> Query[TModel]:
        return self.query().join(*paths)

    def prefetch(self, *paths: str) -> Query[TModel]:
        return self.query().prefetch(*paths)

    def for_update(self, *, nowait: bool = False, skip_locked: bool = False) -> Query[TModel]:
        return self.query().for_update(nowait=nowait, skip_locked=skip_locked)

    def for_share(self, *, nowait: bool = False, skip_locked: bool = False) -> Query[TModel]:
        return self.query().for_share(nowait=nowait, skip_locked=skip_locked)

    def order_by(self, *fields: str) -> Query[TModel]:
        return self.query().order_by(*fields)

    def limit(self, value: int) -> Query[TModel]:
        return self.query().limit(value)

    def offset(self, value: int) -> Query[TModel]:
        return self.query().offset(value)

    def annotate(self, **annotations: Any) -> Query[TModel]:
        return self.query().annotate(**annotations)

    # superset delegates the guide shows (queries.md §3.3); no manager-level delete()
    def select(self, *fields: str) -> Query[TModel]:
        return self.query().select(*fields)

    def group_by(self, *fields: str) -> Query[TModel]:
        return self.query().group_by(*fields)

    def having(self, *q_exprs: Q, **kwargs: Any) -> Query[TModel]:
        return self.query().having(*q_exprs, **kwargs)

    def union(self, other_query: Query[Any]) -> Query[TModel]:
        return self.query().union(other_query)

    def union_all(self, other_query: Query[Any]) -> Query[TModel]:
        return self.query().union_all(other_query)

    def sql(self, *, dialect: str = "postgres", with_types: bool = False) -> tuple[str, list[Any]]:
        return self.query().sql(dialect=dialect, with_types=with_types)

    def explain(self, **kwargs: Any) -> Any:
        return self.query().explain(**kwargs)

    @overload
    async def update(
        self,
        *,
        returning: Literal[True],
        using: str | None = None,
        client: SupportsExecute | None = None,
        **values: Any,
    ) -> list[TModel]: ...
    @overload
    async def update(
        self,
        *,
        returning: Literal[False] = False,
        using: str | None = None,
        client: SupportsExecute | None = None,
        **values: Any,
    ) -> int: ...
    async def update(
        self, *, returning: bool = False, using: str | None = None, client: SupportsExecute | None = None, **values: Any
    ) -> list[TModel] | int:
        return await self.query().update(returning=returning, using=using, client=client, **values)  # type: ignore[call-overload]

    async def increment(
        self, field: str, by: int | float = 1, *, using: str | None = None, client: SupportsExecute | None = None
    ) -> int:
        return await self.query().increment(field, by, using=using, client=client)

    # -- execution ------------------------------------------------------------

    @overload
    def all(
        self, *, using: str | None = None, client: SupportsExecute | None = None, mode: Literal["models"] = "models"
    ) -> Coroutine[Any, Any, list[TModel]]: ...
    @overload
    def all(
        self, *, using: str | None = None, client: SupportsExecute | None = None, mode: Literal["dict"]
    ) -> Coroutine[Any, Any, list[dict[str, Any]]]: ...
    @overload
    def all(
        self, *, using: str | None = None, client: SupportsExecute | None = None, mode: Literal["list"]
    ) -> Coroutine[Any, Any, list[tuple[Any, ...]]]: ...
    @overload
    def all(
        self, *, using: str | None = None, client: SupportsExecute | None = None, mode: Literal["msgpack"]
    ) -> Coroutine[Any, Any, bytes]: ...
    @overload
    def all(
        self, *, using: str | None = None, client: SupportsExecute | None = None, mode: str
    ) -> Coroutine[Any, Any, Any]: ...
    def all(
        self, *, using: str | None = None, client: SupportsExecute | None = None, mode: str = "models"
    ) -> Coroutine[Any, Any, Any]:
        return reads.fetch(self.query(), using=using, client=client, force_mode=mode)

    def stream(
        self, *, batch_size: int = 1000, using: str | None = None, client: SupportsExecute | None = None
    ) -> reads.RowStream:
        return self.query().stream(batch_size=batch_size, using=using, client=client)

    async def first(self, *, using: str | None = None, client: SupportsExecute | None = None) -> TModel | None:
        return await self.query().first(using=using, client=client)

    async def last(self, *, using: str | None = None, client: SupportsExecute | None = None) -> TModel | None:
        return await self.query().last(using=using, client=client)

    async def get(self, *, using: str | None = None, client: SupportsExecute | None = None, **filters: Any) -> TModel:
        # a manager whose query() adds filters of its own always builds the query
        ir = templates.get_ir(self.model_class, filters) if type(self).query is QueryManager.query else None
        if ir is not None:
            rows = await reads.fetch_models(self.model_class, ir, using=using, client=client)
            return cast("TModel", reads.only_row(self.model_class, rows))
        return await self.query().filter(**filters).get(using=using, client=client)

    async def get_or_none(
        self, *, using: str | None = None, client: SupportsExecute | None = None, **filters: Any
    ) -> TModel | None:
        try:
            return await self.get(using=using, client=client, **filters)
        except NotFoundError:
            return None

    async def get_or_create(
        self,
        *,
        defaults: dict[str, Any] | None = None,
        using: str | None = None,
        client: SupportsExecute | None = None,
        **filters: Any,
    ) -> tuple[TModel, bool]:
        """Atomic and race-tolerant: the insert and its hooks run in a
        transaction (a savepoint inside one); losing the insert race to a
        concurrent caller reads the winner's row instead."""
        try:
            return await self.get(using=using, client=client, **filters), False
        except NotFoundError:
            pass
        # The write opens the transaction: SQLite cannot turn a transaction
        # that has read into a writer once another connection has committed.
        async with self._atomic(using, client):
            obj = await self._create_or_none(using, client, _creation_data(filters, defaults))
            if obj is None:
                return await self._get_latest(using, client, filters), False
            return obj, True

    def _atomic(self, using: str | None, client: SupportsExecute | None) -> Any:
        """``atomic(using=...)``; with an explicit ``client`` the caller owns the connection."""
        if client is not None:
            return contextlib.nullcontext()
        from oxyde.db.transaction import atomic

        return atomic(using=using or "default")

    async def _create_or_none(self, using: str | None, client: SupportsExecute | None, data: dict[str, Any]) -> Any:
        """``create(**data)``, or ``None`` when a constraint says the row exists
        now. The insert gets its own savepoint, so a failed one leaves the
        transaction usable (PostgreSQL aborts it otherwise)."""
        try:
            async with self._atomic(using, client):
                return await self.create(using=using, client=client, **data)
        except IntegrityError:
            return None

    async def _get_latest(self, using: str | None, client: SupportsExecute | None, filters: dict[str, Any]) -> TModel:
        # a locking read sees the latest committed row, also inside a MySQL
        # REPEATABLE READ snapshot
        return await self.query().filter(**filters).for_share().get(using=using, client=client)

    async def update_or_create(
        self,
        *,
        defaults: dict[str, Any] | None = None,
        using: str | None = None,
        client: SupportsExecute | None = None,
        **filters: Any,
    ) -> tuple[TModel, bool]:
        """Atomic like ``get_or_create``; the update runs through ``save()``."""
        obj: Any
        try:
            obj = await self.get(using=using, client=client, **filters)
        except NotFoundError:
            obj = None
        async with self._atomic(using, client):
            if obj is None:
                created = await self._create_or_none(using, client, _creation_data(filters, defaults))
                if created is not None:
                    return created, True
                obj = await self._get_latest(using, client, filters)
            if not defaults:
                return obj, False
            for key, value in defaults.items():
                setattr(obj, key, value)
            saved = await obj.save(update_fields=defaults.keys(), using=using, client=client)
            return saved, False

    async def exists(self, *, using: str | None = None, client: SupportsExecute | None = None) -> bool:
        return await self.query().exists(using=using, client=client)

    async def count(self, *, using: str | None = None, client: SupportsExecute | None = None) -> int:
        return await self.query().count(using=using, client=client)

    async def sum(self, field: str, *, using: str | None = None, client: SupportsExecute | None = None) -> Any:
        return await self.query().sum(field, using=using, client=client)

    async def avg(self, field: str, *, using: str | None = None, client: SupportsExecute | None = None) -> Any:
        return await self.query().avg(field, using=using, client=client)

    async def max(self, field: str, *, using: str | None = None, client: SupportsExecute | None = None) -> Any:
        return await self.query().max(field, using=using, client=client)

    async def min(self, field: str, *, using: str | None = None, client: SupportsExecute | None = None) -> Any:
        return await self.query().min(field, using=using, client=client)

    async def create(
        self,
        *,
        instance: TModel | None = None,
        using: str | None = None,
        client: SupportsExecute | None = None,
        _skip_hooks: bool = False,
        **data: Any,
    ) -> TModel:
        return await self.query().create(instance=instance, using=using, client=client, _skip_hooks=_skip_hooks, **data)

    async def bulk_create(
        self,
        objects: Iterable[TModel | dict[str, Any]],
        *,
        using: str | None = None,
        client: SupportsExecute | None = None,
        batch_size: int | None = None,
    ) -> list[TModel]:
        return await self.query().bulk_create(objects, using=using, client=client, batch_size=batch_size)

    async def bulk_update(
        self,
        objects: Iterable[TModel],
        fields: Iterable[str],
        *,
        using: str | None = None,
        client: SupportsExecute | None = None,
    ) -> int:
        return await self.query().bulk_update(objects, fields, using=using, client=client)

    async def upsert(self, *args: Any, **kwargs: Any) -> Any:
        raise ManagerError("upsert() is not implemented yet")

    def __repr__(self) -> str:
        return f"<QueryManager {self.model_class.__name__}>"
