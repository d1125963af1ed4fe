"""``Query``: the lazy, immutable query builder and its terminal methods."""

from __future__ import annotations

from collections.abc import Coroutine, Iterable
from typing import TYPE_CHECKING, Any, Generic, Literal, cast, overload

from typing_extensions import Self

from oxyde.exceptions import FieldLookupError, NotFoundError
from oxyde.queries import reads, writes
from oxyde.queries.base import SupportsExecute, TModel, pk_info
from oxyde.queries.compiler import compile_select
from oxyde.queries.conditions import conditions_ir
from oxyde.queries.q import Q, combine
from oxyde.queries.reads import only_row
from oxyde.queries.templates import GET_LIMIT

if TYPE_CHECKING:
    from oxyde.queries.typed import FlatValuesListQuery, ValuesListQuery, ValuesQuery

__all__ = ["Query"]


class Query(Generic[TModel]):
    """A SELECT under construction; every builder method returns a changed copy."""

    def __init__(self, model_class: type[TModel]) -> None:
        self.model_class = model_class
        self._filter: dict[str, Any] | None = None
        self._order_by: list[str] = []
        self._limit: int | None = None
        self._offset: int | None = None
        self._distinct = False
        self._fields: list[str] | None = None
        self._mode = "models"
        self._annotations: dict[str, Any] = {}
        self._group_by: list[str] = []
        self._having: dict[str, Any] | None = None
        self._union: Query[Any] | None = None
        self._union_all = False
        self._lock: str | None = None
        self._lock_wait: str | None = None
        self._joins: list[str] = []
        self._prefetch: list[str] = []

    # -- building -------------------------------------------------------------

    def _clone(self) -> Self:
        # a plain __dict__ copy: copy.copy's reduce protocol costs more than the query
        new = object.__new__(type(self))
        state = new.__dict__
        state.update(self.__dict__)
        state["_order_by"] = list(self._order_by)
        state["_group_by"] = list(self._group_by)
        state["_joins"] = list(self._joins)
        state["_prefetch"] = list(self._prefetch)
        state["_annotations"] = dict(self._annotations)
        state["_fields"] = list(self._fields) if self._fields is not None else None
        return new

    def _where(self, args: tuple[Any, ...], kwargs: dict[str, Any], method: str) -> dict[str, Any] | None:
        nodes: list[dict[str, Any] | None] = []
        for arg in args:
            if not isinstance(arg, Q):
                raise TypeError(f"{method}() positional args must be Q objects, got {type(arg).__name__}")
            nodes.append(arg.to_ir(self.model_class, self._joins))
        if kwargs:
            nodes.append(conditions_ir(self.model_class, kwargs, self._joins))
        return combine("and", nodes)

    def filter(self, *args: Q, **kwargs: Any) -> Self:
        new = self._clone()  # FK paths in the lookups add joins to the copy
        node = new._where(args, kwargs, "filter")
        new._filter = combine("and", [self._filter, node])
        return new

    def exclude(self, *args: Q, **kwargs: Any) -> Self:
        new = self._clone()
        node = new._where(args, kwargs, "exclude")
        if node is not None:
            new._filter = combine("and", [self._filter, {"type": "not", "condition": node}])
        return new

    def order_by(self, *fields: str) -> Self:
        new = self._clone()
        new._order_by.extend(fields)
        return new

    def limit(self, value: int) -> Self:
        if value < 0:
            raise ValueError(f"limit() requires a non-negative value, got {value}")
        new = self._clone()
        new._limit = value
        return new

    def offset(self, value: int) -> Self:
        if value < 0:
            raise ValueError(f"offset() requires a non-negative value, got {value}")
        new = self._clone()
        new._offset = value
        return new

    def __getitem__(self, key: int | slice) -> Self:
        if isinstance(key, slice):
            if key.stop is None:
                raise ValueError("Slicing a Query requires an end index")
            start = key.start or 0
            if start < 0 or key.stop < 0:
                raise ValueError("Negative slicing is not supported")
            return self.offset(start).limit(max(0, key.stop - start))
        if isinstance(key, int) and not isinstance(key, bool):
            if key < 0:
                raise ValueError("Negative indexing is not supported")
            return self.offset(key).limit(1)
        raise TypeError("Invalid argument type for slicing Query")

    def distinct(self, distinct: bool = True) -> Self:
        new = self._clone()
        new._distinct = distinct
        return new

    def _check_names(self, names: Iterable[str]) -> None:
        from oxyde.queries.joins import check_name

        for name in names:
            check_name(self.model_class, name, self._annotations.keys())

    def select(self, *fields: str) -> Self:
        if not fields:
            raise ValueError("select() requires at least one column name")
        self._check_names(fields)
        new = self._clone()
        new._fields = list(fields)
        return new

    # The result shape changes with the mode; the returned object stays a plain
    # ``Query`` at run time, the typed subclasses only tell checkers the row type.
    def values(self, *fields: str) -> ValuesQuery[TModel]:
        new = self.select(*fields) if fields else self._clone()
        new._mode = "dict"
        return cast("ValuesQuery[TModel]", new)

    @overload
    def values_list(self, *fields: str, flat: Literal[True]) -> FlatValuesListQuery[TModel, Any]: ...
    @overload
    def values_list(self, *fields: str, flat: Literal[False] = False) -> ValuesListQuery[TModel]: ...
    @overload
    def values_list(self, *fields: str, flat: bool) -> ValuesListQuery[TModel] | FlatValuesListQuery[TModel, Any]: ...
    def values_list(
        self, *fields: str, flat: bool = False
    ) -> ValuesListQuery[TModel] | FlatValuesListQuery[TModel, Any]:
        if flat and len(fields) > 1:
            raise ValueError("flat=True is only valid when a single field is selected")
        new = self.select(*fields) if fields else self._clone()
        new._mode = "flat" if flat else "list"
        return cast("ValuesListQuery[TModel]", new)

    def join(self, *paths: str) -> Self:
        if not paths:
            raise ValueError("join() requires at least one relation path")
        from oxyde.queries.paths import add_path, join_steps

        new = self._clone()
        for path in paths:
            join_steps(self.model_class, path)  # path errors raise at call time
            add_path(new._joins, path)
        return new

    def prefetch(self, *paths: str) -> Self:
        if not paths:
            raise ValueError("prefetch() requires at least one relation path")
        new = self._clone()
        new._prefetch.extend(p for p in paths if p not in new._prefetch)
        return new

    def annotate(self, **annotations: Any) -> Self:
        new = self._clone()
        new._annotations.update(annotations)
        return new

    def group_by(self, *fields: str) -> Self:
        self._check_names(fields)
        new = self._clone()
        new._group_by.extend(fields)
        return new

    def having(self, *q_exprs: Q, **kwargs: Any) -> Self:
        from oxyde.queries.having import having_node

        new = self._clone()
        new._having = combine("and", [self._having, having_node(new, q_exprs, kwargs)])
        return new

    def union(self, other_query: Query[Any]) -> Self:
        new = self._clone()
        new._union, new._union_all = other_query, False
        return new

    def union_all(self, other_query: Query[Any]) -> Self:
        new = self._clone()
        new._union, new._union_all = other_query, True
        return new

    def for_update(self, *, nowait: bool = False, skip_locked: bool = False) -> Self:
        """Lock the selected rows until the transaction ends (no-op on SQLite);
        ``nowait`` fails at once on a locked row, ``skip_locked`` leaves it out."""
        return self._locked("update", nowait, skip_locked)

    def for_share(self, *, nowait: bool = False, skip_locked: bool = False) -> Self:
        return self._locked("share", nowait, skip_locked)

    def _locked(self, lock: str, nowait: bool, skip_locked: bool) -> Self:
        if nowait and skip_locked:
            raise ValueError(f"for_{lock}() accepts nowait or skip_locked, not both")
        new = self._clone()
        new._lock = lock
        new._lock_wait = "nowait" if nowait else "skip_locked" if skip_locked else None
        return new

    # -- introspection --------------------------------------------------------

    def query(self) -> dict[str, Any]:
        """The IR dict of this SELECT."""
        return compile_select(self)

    def to_ir(self) -> dict[str, Any]:
        return compile_select(self)

    def sql(self, *, dialect: str = "postgres", with_types: bool = False) -> tuple[str, list[Any]]:
        return reads.render_sql(self, dialect, with_types)

    def explain(
        self,
        *,
        using: str | None = None,
        client: SupportsExecute | None = None,
        analyze: bool = False,
        format: str = "text",
    ) -> Any:
        return reads.explain(self, using=using, client=client, analyze=analyze, fmt=format)

    # -- reading --------------------------------------------------------------

    def all(
        self, *, using: str | None = None, client: SupportsExecute | None = None
    ) -> Coroutine[Any, Any, list[TModel]]:
        """Coroutine resolving to the rows in the query's result mode."""
        return reads.fetch(self, using=using, client=client)

    def stream(
        self, *, batch_size: int = 1000, using: str | None = None, client: SupportsExecute | None = None
    ) -> reads.RowStream:
        """``async for`` over the rows (in the query's result mode), read from the
        database ``batch_size`` at a time; a superset of the spec (queries.md §13)."""
        return reads.RowStream(self, batch_size, using, client)

    async def first(self, *, using: str | None = None, client: SupportsExecute | None = None) -> TModel | None:
        rows = await self.limit(1).all(using=using, client=client)
        return rows[0] if rows else None

    async def last(self, *, using: str | None = None, client: SupportsExecute | None = None) -> TModel | None:
        new = self._clone()
        if new._order_by:
            new._order_by = [t if t == "?" else (t[1:] if t.startswith("-") else "-" + t) for t in new._order_by]
        else:
            pk = pk_info(self.model_class)
            if pk is None:
                raise FieldLookupError(f"{self.model_class.__name__} has no primary key field")
            new._order_by = ["-" + pk.name]
        return await new.first(using=using, client=client)

    async def get(self, *, using: str | None = None, client: SupportsExecute | None = None) -> TModel:
        rows = await self.limit(GET_LIMIT).all(using=using, client=client)
        return only_row(self.model_class, rows)

    async def get_or_none(self, *, using: str | None = None, client: SupportsExecute | None = None) -> TModel | None:
        try:
            return await self.get(using=using, client=client)
        except NotFoundError:
            return None

    async def count(self, *, using: str | None = None, client: SupportsExecute | None = None) -> int:
        return await reads.count(self, using=using, client=client)

    async def exists(self, *, using: str | None = None, client: SupportsExecute | None = None) -> bool:
        return await reads.exists(self, using=using, client=client)

    async def sum(self, field: str, *, using: str | None = None, client: SupportsExecute | None = None) -> Any:
        return await reads.aggregate(self, "sum", field, using=using, client=client)

    async def avg(self, field: str, *, using: str | None = None, client: SupportsExecute | None = None) -> Any:
        return await reads.aggregate(self, "avg", field, using=using, client=client)

    async def max(self, field: str, *, using: str | None = None, client: SupportsExecute | None = None) -> Any:
        return await reads.aggregate(self, "max", field, using=using, client=client)

    async def min(self, field: str, *, using: str | None = None, client: SupportsExecute | None = None) -> Any:
        return await reads.aggregate(self, "min", field, using=using, client=client)

    async def fetch_all(self, client: SupportsExecute) -> list[Any]:
        return await reads.fetch(self, using=None, client=client, default_mode="dict")  # type: ignore[no-any-return]

    async def fetch_one(self, client: SupportsExecute) -> Any:
        rows = await self.limit(1).fetch_all(client)
        return rows[0] if rows else None

    async def fetch_rows(self, client: SupportsExecute) -> list[dict[str, Any]]:
        return await reads.fetch(self, using=None, client=client, force_mode="dict")  # type: ignore[no-any-return]

    async def fetch_models(self, client: SupportsExecute) -> list[TModel]:
        return await reads.fetch(self, using=None, client=client, force_mode="models")  # type: ignore[no-any-return]

    async def fetch_msgpack(self, client: SupportsExecute) -> bytes:
        return await reads.fetch(self, using=None, client=client, force_mode="msgpack")  # type: ignore[no-any-return]

    # -- writing --------------------------------------------------------------

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
    ) -> Any:
        return await writes.update(self, values, returning=returning, using=using, client=client)

    async def delete(self, *, using: str | None = None, client: SupportsExecute | None = None) -> int:
        return await writes.delete(self, using=using, client=client)

    async def increment(
        self, field: str, by: int | float = 1, *, using: str | None = None, client: SupportsExecute | None = None
    ) -> int:
        from oxyde.queries.expressions import F

        return await writes.update(self, {field: F(field) + by}, returning=False, using=using, client=client)

    async def create(
        self,
        *,
        instance: TModel | None = None,
        using: str | None = None,
        client: SupportsExecute | None = None,
        _skip_hooks: bool = False,
        **data: Any,
    ) -> TModel:
        return await writes.create(
            self.model_class, instance=instance, data=data, using=using, client=client, skip_hooks=_skip_hooks
        )

    async def bulk_create(
        self,
        objects: Iterable[TModel | dict[str, Any]],
        *,
        using: str | None = None,
        client: SupportsExecute | None = None,
        batch_size: int | None = None,
    ) -> list[TModel]:
        return await writes.bulk_create(self.model_class, objects, using=using, client=client, batch_size=batch_size)

    async def bulk_update(
        self,
        objects: Iterable[TModel],
        fields: Iterable[str],
        *,
        using: str | None = None,
        client: SupportsExecute | None = None,
    ) -> int:
        return await writes.bulk_update(self.model_class, objects, fields, using=using, client=client)

    def __repr__(self) -> str:
        return f"<Query {self.model_class.__name__}>"
