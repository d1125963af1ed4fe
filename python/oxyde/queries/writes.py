"""Write operations: create, bulk_create, bulk_update, update, delete (queries.md §10)."""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from enum import Enum
from typing import TYPE_CHECKING, Any

from pydantic import TypeAdapter

from oxyde import exceptions as exc_mod
from oxyde.exceptions import ManagerError
from oxyde.queries.base import SupportsExecute, column_types, model_fields, pk_info, resolve_column, table_ir
from oxyde.queries.compiler import IR_PROTO, model_columns
from oxyde.queries.expressions import F, _Expression, expression_to_ir
from oxyde.queries.lookups import _base_type
from oxyde.queries.payload import db_value, derive_fk_columns, insert_payload
from oxyde.queries.results import Result, backend_of, resolve, rows_to_models, run

if TYPE_CHECKING:
    from oxyde.queries.select import Query

__all__ = ["bulk_create", "bulk_update", "construct", "create", "delete", "translate_error", "update"]

_CONSTRAINT_CLASSES = (
    "UniqueViolationError",
    "ForeignKeyViolationError",
    "NotNullViolationError",
    "CheckViolationError",
    "IntegrityError",
)


def _is_transaction_timeout(exc: BaseException) -> bool:
    return any(c.__name__ == "TransactionTimeoutError" for c in type(exc).__mro__)


def translate_error(exc: Exception) -> BaseException:
    """Core constraint errors → the plain ``oxyde.exceptions`` class; other failures → ``ManagerError``."""
    if _is_transaction_timeout(exc):
        return exc  # spec defect fix: a timeout stays a timeout
    for name in _CONSTRAINT_CLASSES:
        if isinstance(exc, getattr(exc_mod, name)):
            return getattr(exc_mod, name)(str(exc))  # type: ignore[no-any-return]
    if isinstance(exc, ManagerError):
        return exc
    return ManagerError(str(exc))


async def _run_translated(executor: SupportsExecute, ir: dict[str, Any]) -> Result:
    try:
        return await run(executor, ir)
    except Exception as exc:
        new = translate_error(exc)
        if new is exc:
            raise
        raise new from exc


def construct(model: type, data: dict[str, Any]) -> Any:
    """A model from field values keyed by field name or by alias (spec
    models.md §10: filter kwargs of get_or_create name fields, JSON names aliases)."""
    try:
        return model.model_validate(data, by_alias=True, by_name=True)  # type: ignore[attr-defined]
    except TypeError:  # pydantic < 2.11: no by_alias / by_name
        return model(**data)


def _insert_ir(model: type, cols: list[str], rows: list[list[Any]], returning: Any) -> dict[str, Any]:
    ir: dict[str, Any] = {"proto": IR_PROTO, "op": "insert", **table_ir(model), "cols": cols, "rows": rows}
    if returning:
        ir["returning"] = returning
    types = column_types(model)
    if types:
        ir["column_types"] = types
    return ir


async def create(
    model: type,
    *,
    instance: Any = None,
    data: dict[str, Any],
    using: str | None,
    client: SupportsExecute | None,
    skip_hooks: bool = False,
) -> Any:
    if instance is not None and data:
        raise ManagerError("create() accepts either 'instance' or field values, not both")
    if instance is None and not data:
        raise ManagerError("create() requires an instance or field values")
    given = instance is not None
    if instance is None:
        instance = construct(model, data)
    if not skip_hooks:
        await instance.pre_save(is_create=True, update_fields=None)
    payload = insert_payload(instance)
    if not payload:
        raise ManagerError("create() requires at least one value")
    executor = await resolve(using, client)
    mysql = backend_of(executor) == "mysql"
    # the model's own columns, not RETURNING *: a fixed column list lets the
    # statement be prepared once per connection
    ir = _insert_ir(model, list(payload), [list(payload.values())], None if mysql else model_columns(model))
    result = await _run_translated(executor, ir)
    if not mysql and result.rows:
        new = rows_to_models(model, result)[0]
    else:
        # MySQL: no RETURNING, so the new instance is the input plus what the insert
        # derived; a given instance stays untouched (spec), one built here is ours
        new = instance.model_copy(deep=True) if given else instance
        for name, value in derive_fk_columns(instance, set(instance.model_fields_set)).items():
            setattr(new, name, value)
        pk = pk_info(model)
        if pk is not None and getattr(new, pk.name, None) is None and result.last_insert_id:
            setattr(new, pk.name, result.last_insert_id)
    if not skip_hooks:
        await new.post_save(is_create=True, update_fields=None)
    return new


def _chunks(items: list[Any], size: int | None) -> list[list[Any]]:
    if size is None:
        return [items]
    return [items[i : i + size] for i in range(0, len(items), size)]


async def bulk_create(
    model: type,
    objects: Iterable[Any],
    *,
    using: str | None,
    client: SupportsExecute | None,
    batch_size: int | None,
) -> list[Any]:
    if batch_size is not None and batch_size <= 0:
        raise ValueError("batch_size must be a positive integer")
    instances: list[Any] = []
    for obj in objects:
        if isinstance(obj, model):
            instances.append(obj)
        elif isinstance(obj, dict):
            instances.append(construct(model, obj))
        else:
            raise ManagerError(f"Unsupported payload type for {model.__name__}: {type(obj).__name__}")
    if not instances:
        return []
    payloads = [insert_payload(i) for i in instances]
    if any(not p for p in payloads):
        raise ManagerError("bulk_create() encountered an empty payload")
    executor = await resolve(using, client)
    mysql = backend_of(executor) == "mysql"
    pk = pk_info(model)
    for chunk in _chunks(list(range(len(instances))), batch_size):
        # rows with different column sets go in separate statements, so no value is dropped
        groups: dict[tuple[str, ...], list[int]] = {}
        for i in chunk:
            groups.setdefault(tuple(payloads[i]), []).append(i)
        for cols, idxs in groups.items():
            rows = [[payloads[i][c] for c in cols] for i in idxs]
            returning = None if mysql or pk is None else [pk.column]
            result = await _run_translated(executor, _insert_ir(model, list(cols), rows, returning))
            if pk is None:
                continue
            if not mysql:
                for i, row in zip(idxs, result.rows, strict=False):
                    setattr(instances[i], pk.name, row[0])
            elif result.last_insert_id and all(getattr(instances[i], pk.name, None) is None for i in idxs):
                if result.rows_affected and result.rows_affected != len(idxs):
                    warnings.warn(
                        f"bulk_create: MySQL reported {result.rows_affected} rows for a batch of {len(idxs)}",
                        RuntimeWarning,
                        stacklevel=3,
                    )
                for n, i in enumerate(idxs):
                    setattr(instances[i], pk.name, result.last_insert_id + n)
    return instances


def _update_value(model: type, name: str, column: str, value: Any) -> Any:
    if isinstance(value, (F, _Expression)):
        return expression_to_ir(value, model)
    info = model_fields(model).get(name)
    tp = _base_type(info.python_type) if info is not None else None
    if isinstance(tp, type) and issubclass(tp, Enum) and value is not None:
        value = TypeAdapter(tp).validate_python(value)
    return db_value(model, column, value)


def _update_ir(query: Query[Any], values: dict[str, Any]) -> dict[str, Any]:
    if not values:
        raise ValueError("UPDATE requires either 'values' or 'bulk_update'")
    model = query.model_class
    set_map: dict[str, Any] = {}
    for name, value in values.items():
        column = resolve_column(model, name)
        set_map[column] = _update_value(model, name, column, value)
    ir: dict[str, Any] = {"proto": IR_PROTO, "op": "update", **table_ir(model), "values": set_map}
    if query._filter is not None:
        ir["filter_tree"] = query._filter
    types = column_types(model)
    if types:
        ir["column_types"] = types
    return ir


async def update(
    query: Query[Any],
    values: dict[str, Any],
    *,
    returning: bool,
    using: str | None,
    client: SupportsExecute | None,
) -> Any:
    ir = _update_ir(query, values)  # bad values raise before anything runs
    model = query.model_class
    executor = await resolve(using, client)
    if query._joins:
        query = await _keys_for_joined_filter(query, executor)
        ir = _update_ir(query, values)
    if not returning:
        return (await run(executor, ir)).rows_affected
    if backend_of(executor) != "mysql":
        result = await run(executor, {**ir, "returning": model_columns(model)})
        return rows_to_models(model, result)
    return await _mysql_update_returning(query, ir, using=using, client=client)


async def _mysql_update_returning(
    query: Query[Any], ir: dict[str, Any], *, using: str | None, client: SupportsExecute | None
) -> list[Any]:
    """MySQL has no RETURNING: lock the matching keys, update them, read them back."""
    pk = pk_info(query.model_class)
    if pk is None:
        raise ManagerError("update(returning=True) requires a primary key")
    if client is not None:
        return await _locked_update(query, ir, pk.name, client)
    from oxyde.db.transaction import atomic

    async with atomic(using=using or "default"):
        return await _locked_update(query, ir, pk.name, await resolve(using, None))


async def _locked_update(query: Query[Any], ir: dict[str, Any], pk_name: str, executor: SupportsExecute) -> list[Any]:
    from oxyde.queries.compiler import compile_select

    keys_query = query.values_list(pk_name, flat=True).for_update()
    keys = [row[0] for row in (await run(executor, compile_select(keys_query))).rows]
    if not keys:
        return []
    key_filter = type(query)(query.model_class).filter(**{f"{pk_name}__in": keys})
    await run(executor, {**ir, "filter_tree": key_filter._filter})
    result = await run(executor, compile_select(key_filter))
    return rows_to_models(query.model_class, result)


async def delete(query: Query[Any], *, using: str | None, client: SupportsExecute | None) -> int:
    model = query.model_class
    executor = await resolve(using, client)
    query = await _keys_for_joined_filter(query, executor)
    ir: dict[str, Any] = {"proto": IR_PROTO, "op": "delete", **table_ir(model)}
    if query._filter is not None:
        ir["filter_tree"] = query._filter
    return (await run(executor, ir)).rows_affected


async def _keys_for_joined_filter(query: Query[Any], executor: SupportsExecute) -> Query[Any]:
    """Spec defect fix (queries.md §6.5): UPDATE/DELETE cannot join, so a filter
    through an FK path first selects the matching keys (on the same executor),
    and the write targets ``pk IN (...)``."""
    if not query._joins or query._filter is None:
        return query
    model = query.model_class
    pk = pk_info(model)
    if pk is None:
        raise ManagerError("update()/delete() with a relation-path filter requires a primary key")
    keys_query = query.values_list(pk.name, flat=True)
    keys_query._order_by, keys_query._limit, keys_query._offset = [], None, None
    keys = await keys_query.all(client=executor)
    return type(query)(model).filter(**{f"{pk.name}__in": keys})


# Parameters per statement stay below every bundled dialect's limit (SQLite:
# 32766, SQLITE_MAX_VARIABLE_NUMBER; PostgreSQL and MySQL: 65535).
_BULK_UPDATE_MAX_PARAMS = 30000


def _bulk_update_ir(model: type, pk_column: str, rows: list[tuple[Any, dict[str, Any]]]) -> dict[str, Any]:
    """One UPDATE for ``rows`` of (key, {column: value}): each column is a CASE over the keys."""
    set_map: dict[str, Any] = {}
    for _, values in rows:
        for column in values:
            set_map.setdefault(column, None)
    for column in set_map:
        whens = [
            [{"type": "condition", "field": pk_column, "operator": "=", "value": key}, values[column]]
            for key, values in rows
            if column in values
        ]
        set_map[column] = {"type": "case", "whens": whens, "else": {"type": "column", "name": column}}
    keys = [key for key, _ in rows]
    ir: dict[str, Any] = {
        "proto": IR_PROTO,
        "op": "update",
        **table_ir(model),
        "values": set_map,
        "filter_tree": {"type": "condition", "field": pk_column, "operator": "IN", "value": keys},
    }
    types = column_types(model)
    if types:
        ir["column_types"] = types
    return ir


async def bulk_update(
    model: type,
    objects: Iterable[Any],
    fields: Iterable[str],
    *,
    using: str | None,
    client: SupportsExecute | None,
) -> int:
    objs = list(objects)
    if not objs:
        return 0
    names = list(fields)
    if not names:
        raise ManagerError("bulk_update() requires at least one field")
    pk = pk_info(model)
    if pk is None:
        raise ManagerError("bulk_update() requires a primary key")
    # key -> {column: value}; a key given twice keeps its last object, as
    # successive per-row updates would
    by_key: dict[Any, dict[str, Any]] = {}
    for obj in objs:
        key = getattr(obj, pk.name, None)
        if key is None:
            continue
        dump = obj.model_dump()
        values = {
            resolve_column(model, n): _update_value(model, n, resolve_column(model, n), dump[n])
            for n in names
            if n in dump and n != pk.name
        }
        if values:
            by_key[db_value(model, pk.column, key)] = values
    if not by_key:
        return 0
    executor = await resolve(using, client)
    # per row: the key and value of each CASE branch, plus the key in IN
    per_row = 2 * max(len(v) for v in by_key.values()) + 1
    size = max(1, _BULK_UPDATE_MAX_PARAMS // per_row)
    rows = list(by_key.items())
    total = 0
    for chunk in _chunks(rows, size):
        total += (await run(executor, _bulk_update_ir(model, pk.column, chunk))).rows_affected
    return total
