"""Terminal read operations of ``Query``: fetching, counting, aggregates, ``sql()``, ``explain()``."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from oxyde.exceptions import MultipleObjectsReturned, NotFoundError
from oxyde.queries import joins, prefetch
from oxyde.queries.aggregates import Avg, Count, Max, Min, Sum
from oxyde.queries.base import SupportsExecute, model_fields
from oxyde.queries.compiler import compile_select
from oxyde.queries.lookups import _base_type
from oxyde.queries.results import (
    backend_of,
    coerce_number,
    decode,
    resolve,
    rows_to_dicts,
    rows_to_models,
    run,
)

if TYPE_CHECKING:
    from oxyde.queries.select import Query

__all__ = [
    "RowStream",
    "aggregate",
    "count",
    "exists",
    "explain",
    "fetch",
    "fetch_models",
    "only_row",
    "render_sql",
    "shape_rows",
]

_GROUP_BY_MODELS = (
    "group_by() returns partial rows that cannot be hydrated into model instances. "
    "Use .values() or .fetch_all() instead. Example: .values('field').annotate(n=Count('*')).group_by('field')"
)


def shape_rows(query: Query[Any], result: Any, mode: str) -> list[Any]:
    """Rows in the requested result mode (models / dict / list / flat)."""
    model = query.model_class
    plan = joins.plan(query, rows=True) if query._joins or query._fields or query._order_by else None
    if mode == "models":
        if plan is None:
            return rows_to_models(model, result)
        return joins.joined_models(plan, result)
    dicts = rows_to_dicts(model, result)
    if plan is not None:
        dicts = joins.relabel_rows(plan, dicts)  # joined columns as "<path>__<field>"
    if mode == "dict":
        return dicts
    # list and flat
    keys = list(dicts[0].keys()) if dicts else []
    if query._fields and dicts and plan is not None and plan.named:
        keys = [k for k in query._fields if k in dicts[0]] or keys  # the requested order
    if query._annotations and dicts:
        group = [k for k in keys if k not in query._annotations]
        keys = [a for a in query._annotations if a in dicts[0]] + group
    if mode == "flat":
        # an empty result may carry no column names at all
        if result.rows and len(result.columns) != 1:
            raise ValueError("values_list(flat=True) requires exactly one field")
        return [row[0] for row in result.rows]
    return [tuple(d[k] for k in keys) for d in dicts]


async def fetch(
    query: Query[Any],
    *,
    using: str | None,
    client: SupportsExecute | None,
    default_mode: str | None = None,
    force_mode: str | None = None,
) -> Any:
    mode = force_mode or query._mode
    if default_mode and mode == "models":
        mode = default_mode
    if mode not in ("models", "dict", "list", "flat", "msgpack"):
        mode = "models"
    if mode == "models" and query._group_by:
        raise TypeError(_GROUP_BY_MODELS)
    ir = compile_select(query)
    executor = await resolve(using, client)
    raw = await executor.execute(ir)
    if mode == "msgpack":
        return raw
    rows = shape_rows(query, decode(raw), mode)
    if mode == "models" and query._prefetch:
        await prefetch.run_prefetch(query, rows, executor)
    return rows


async def fetch_models(
    model: type, ir: dict[str, Any], *, using: str | None, client: SupportsExecute | None
) -> list[Any]:
    """The rows of a compiled select of ``model``'s own columns, as instances."""
    executor = await resolve(using, client)
    return rows_to_models(model, decode(await executor.execute(ir)))


def only_row(model: type, rows: list[Any]) -> Any:
    """What ``get()`` returns of the rows it read: the one row, else the error."""
    if len(rows) == 1:
        return rows[0]
    if not rows:
        raise NotFoundError(f"{model.__name__} matching query not found")
    raise MultipleObjectsReturned(f"Query for {model.__name__} returned multiple objects")


class RowStream:
    """``async for`` over a query's rows, fetched from the core in batches.

    The statement runs on its own pooled connection, released at the end of
    the rows, on ``aclose()``, or as soon as the iterator is dropped (a
    ``break`` out of ``async for``). Inside ``atomic()`` (or with a
    transaction as ``client``) the rows come from the transaction's connection
    in one read instead, so they see its writes.
    """

    _core: Any = None  # set before __init__ can fail, for __del__

    def __init__(self, query: Query[Any], batch_size: int, using: str | None, client: SupportsExecute | None) -> None:
        if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
            raise ValueError(f"stream() requires a positive integer batch_size, got {batch_size!r}")
        mode = query._mode if query._mode in ("models", "dict", "list", "flat") else "models"
        if mode == "models" and query._group_by:
            raise TypeError(_GROUP_BY_MODELS)
        self._query, self._mode, self._batch = query, mode, batch_size
        self._using, self._client = using, client
        self._pending: list[Any] = []
        self._index = 0
        self._started = self._done = False

    def __aiter__(self) -> RowStream:
        return self

    async def __anext__(self) -> Any:
        while self._index >= len(self._pending):
            if self._done:
                raise StopAsyncIteration
            await self._fill()
        item = self._pending[self._index]
        self._index += 1
        return item

    async def _fill(self) -> None:
        self._pending, self._index = [], 0
        if not self._started:
            self._started = True
            executor = await resolve(self._using, self._client)
            from oxyde.db.pool import AsyncDatabase

            if not isinstance(executor, AsyncDatabase):
                # a transaction (or a custom client): one read on its connection
                self._done = True
                self._pending = await fetch(self._query, using=None, client=executor, force_mode=self._mode)
                return
            self._core = _open_stream(executor, compile_select(self._query), self._batch)
        try:
            raw = await self._core.next()
        except BaseException:
            self.close()
            raise
        if raw is None:
            self.close()
            return
        rows = shape_rows(self._query, decode(raw), self._mode)
        if self._mode == "models" and self._query._prefetch and rows:
            await prefetch.run_prefetch(self._query, rows, await resolve(self._using, self._client))
        self._pending = rows

    def close(self) -> None:
        """Stop the statement and release its connection (idempotent)."""
        self._done = True
        self._pending, self._index = [], 0
        core, self._core = self._core, None
        if core is not None:
            core.close()

    async def aclose(self) -> None:
        self.close()

    def __del__(self) -> None:
        self.close()


def _open_stream(database: Any, ir: dict[str, Any], batch_size: int) -> Any:
    from oxyde import _core
    from oxyde._codec import pack_ir
    from oxyde.db import querylog

    if not database.connected:
        raise RuntimeError(f"Database '{database.name}' not connected. Call connect() first.")
    querylog.record(ir, database.name, database.backend)
    return _core.open_stream(database.name, pack_ir(ir), batch_size)


async def count(query: Query[Any], *, using: str | None, client: SupportsExecute | None) -> int:
    ir = compile_select(query, count=True)
    result = await run(await resolve(using, client), ir)
    return int(result.rows[0][0]) if result.rows else 0


async def exists(query: Query[Any], *, using: str | None, client: SupportsExecute | None) -> bool:
    ir = compile_select(query, exists=True)
    result = await run(await resolve(using, client), ir)
    return bool(result.rows and result.rows[0][0])


_AGGS = {"sum": Sum, "avg": Avg, "max": Max, "min": Min}


async def aggregate(
    query: Query[Any], func: str, field: str, *, using: str | None, client: SupportsExecute | None
) -> Any:
    alias = f"_{func}"
    q = query._clone()
    q._limit = q._offset = None
    q._order_by = []
    q._fields = None
    q._group_by = []
    q._having = None
    info = model_fields(query.model_class).get(field)
    if info is None:
        info = next((f for f in model_fields(query.model_class).values() if f.column == field), None)
    executor = await resolve(using, client)
    if func == "avg" and info is not None and backend_of(executor) == "mysql" and _base_type(info.python_type) is int:
        # MySQL's AVG of integers is a DECIMAL rounded to 4 places; SUM / COUNT is exact
        q._annotations = {"_sum": Sum(field), "_count": Count(field)}
        row = (await run(executor, compile_select(q))).rows[0]
        return float(row[0]) / int(row[1]) if row[1] else None
    q._annotations = {alias: _AGGS[func](field)}
    result = await run(executor, compile_select(q))
    value = result.rows[0][0] if result.rows else None
    if info is None:
        return value
    return coerce_number(value, info.python_type, avg=func == "avg")


_DIALECTS = {"postgres": "postgres", "postgresql": "postgres", "sqlite": "sqlite", "mysql": "mysql"}


def _type_tag(value: Any) -> str:
    from datetime import date, datetime, time, timedelta
    from decimal import Decimal
    from uuid import UUID

    for tp, tag in (
        (bool, "Bool"), (int, "BigInt"), (float, "Double"), (str, "String"), (bytes, "Bytes"),
        (Decimal, "Decimal"), (UUID, "Uuid"), (datetime, "DateTime"), (date, "Date"),
        (time, "Time"), (timedelta, "Interval"), (list, "Array"), (dict, "Json"),
    ):  # fmt: skip
        if isinstance(value, tp):
            return tag
    return "Null" if value is None else type(value).__name__


def render_sql(query: Query[Any], dialect: str, with_types: bool) -> tuple[str, list[Any]]:
    name = _DIALECTS.get(dialect.lower()) if isinstance(dialect, str) else None
    if name is None:
        raise ValueError(f"Unknown dialect '{dialect}'. Use 'postgres', 'sqlite', or 'mysql'")
    from oxyde import _core
    from oxyde._codec import pack_ir

    sql, params = _core.render(pack_ir(compile_select(query)), name)
    params = list(params)
    if with_types:
        params = [(_type_tag(p), p) for p in params]
    return sql, params


async def _pool_of(using: str | None, client: SupportsExecute | None) -> SupportsExecute:
    """The pool ``explain()`` runs on: never the active transaction (spec §12.3)."""
    if client is not None and using is not None:
        from oxyde.exceptions import ManagerError

        raise ManagerError("Provide either 'client' or 'using', not both")
    if client is not None:
        database = getattr(client, "database", None)  # a transaction names its pool
        return database if database is not None else client
    from oxyde.db.registry import get_connection

    return await get_connection(using or "default")


_MARIADB: dict[str, bool] = {}


async def _is_mariadb(executor: SupportsExecute) -> bool:
    """MariaDB spells ``EXPLAIN ANALYZE`` as ``ANALYZE`` (it runs the statement)."""
    key = f"{getattr(executor, 'name', id(executor))}:{getattr(executor, 'url', '')}"
    if key not in _MARIADB:
        result = await run(executor, {"proto": 1, "op": "raw", "table": "", "sql": "SELECT VERSION()", "params": []})
        version = result.rows[0][0] if result.rows else ""
        _MARIADB[key] = "mariadb" in str(version).lower()
    return _MARIADB[key]


async def explain(
    query: Query[Any], *, using: str | None, client: SupportsExecute | None, analyze: bool, fmt: str
) -> Any:
    executor = await _pool_of(using, client)
    backend = getattr(executor, "backend", None) or "postgres"
    sql, params = render_sql(query, backend, False)
    as_json = isinstance(fmt, str) and fmt.lower() == "json"
    if backend == "sqlite":
        if analyze or as_json:
            raise RuntimeError("SQLite EXPLAIN does not support ANALYZE or JSON format")
        text = f"EXPLAIN QUERY PLAN {sql}"
    elif backend == "mysql":
        fmt_clause = "FORMAT=JSON " if as_json else ""
        if analyze and await _is_mariadb(executor):
            text = f"ANALYZE {fmt_clause}{sql}"
        else:
            text = "EXPLAIN " + ("ANALYZE " if analyze else "") + fmt_clause + sql
    else:
        opts = [o for o, on in (("ANALYZE TRUE", analyze), ("FORMAT JSON", as_json)) if on]
        text = f"EXPLAIN ({', '.join(opts)}) {sql}" if opts else f"EXPLAIN {sql}"
    result = await run(executor, {"proto": 1, "op": "raw", "table": "", "sql": text, "params": params})
    if as_json:
        value = result.rows[0][0] if result.rows else None
        return json.loads(value) if isinstance(value, (str, bytes)) else value
    if backend == "postgres":
        return [row[0] for row in result.rows]
    return [dict(zip(result.columns, row, strict=False)) for row in result.rows]
