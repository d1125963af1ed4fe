"""``prefetch()``: loading reverse-FK and many-to-many lists (spec relations.md §3, §4, §5.2).

Paths are merged into a tree, so ``prefetch("posts__comments", "posts__tags")``
loads ``posts`` once. Each level runs one SELECT for all parents of that level,
whatever their number: ``<fk> IN (<parent keys>)`` for a reverse FK, and for a
many-to-many the through table inner-joined to the target, so a link and its
target come back in one row. Key lists longer than ``_MAX_KEYS`` are split, the
only case where a level runs more than one statement.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from oxyde.exceptions import FieldLookupError
from oxyde.queries.base import column_fields, column_types, model_fields, pk_info, table_ir, table_name
from oxyde.queries.paths import reverse_relation

if TYPE_CHECKING:
    from oxyde.queries.base import SupportsExecute
    from oxyde.queries.select import Query

__all__ = ["RelationLink", "relation_link", "run_prefetch"]

# Keys bound per statement: below SQLite's 32766 (SQLITE_MAX_VARIABLE_NUMBER),
# PostgreSQL's and MySQL's 65535.
_MAX_KEYS = 30000
_TARGET_ALIAS = "_target"


@dataclass(frozen=True, slots=True)
class RelationLink:
    """How a reverse-FK / M2M relation of ``parent`` reaches its rows."""

    kind: str
    parent_pk: str  # parent PK field name
    parent_column: str  # parent PK column
    child: type  # one-to-many: the child model; many-to-many: the through model
    child_column: str  # column of ``child`` holding the parent key
    child_field: str  # field of ``child`` holding the parent key
    count_column: str  # what ``Count("<relation>")`` counts
    target: type | None = None  # many-to-many: the target model
    target_fk_column: str | None = None  # through column pointing at the target
    target_column: str | None = None  # the target's key column


def _registered(name: str) -> type:
    from oxyde.models.registry import lookup_model

    return lookup_model(name)


def _through(name: str) -> type:
    from oxyde.models.registry import registered_tables

    for key, model in registered_tables().items():
        if key == name or key.endswith(f".{name}") or model.__name__ == name:
            return model
    raise FieldLookupError(f"Through model '{name}' not found in registry")


def _column_field(model: type, column: str) -> str:
    for f in column_fields(model):
        if f.column == column:
            return f.name
    return column


def _fk_to(through: type, class_name: str) -> str | None:
    """The FK column of ``through`` whose target class is named ``class_name``."""
    for name, cm in through._db_meta.field_metadata.items():  # type: ignore[attr-defined]
        fk = cm.foreign_key
        if fk is not None and (fk.target == class_name or fk.target.endswith(f".{class_name}")):
            del name
            return str(fk.column_name)
    return None


def relation_link(model: type, rel: Any) -> RelationLink:
    """Resolve a ``RelationInfo``; errors as relations.md §5.2 words them."""
    pk = pk_info(model)
    if pk is None:
        raise FieldLookupError(f"{model.__name__} has no primary key field")
    if rel.kind == "one_to_many":
        if not rel.remote_field:
            raise FieldLookupError(f"Relation '{rel.name}' is missing a remote_field definition")
        child = _registered(rel.target)
        info = model_fields(child).get(rel.remote_field)
        column = info.column if info is not None else rel.remote_field
        child_pk = pk_info(child)
        return RelationLink(
            "one_to_many",
            pk.name,
            pk.column,
            child,
            column,
            _column_field(child, column),
            child_pk.column if child_pk is not None else column,
        )
    through = _through(rel.through)
    target = _registered(rel.target)
    source_fk, target_fk = _fk_to(through, model.__name__), _fk_to(through, target.__name__)
    if source_fk is None or target_fk is None:
        raise FieldLookupError(
            f"Through model '{rel.through}' must have FK fields to both '{model.__name__}' and '{target.__name__}'"
        )
    target_pk = pk_info(target)
    if target_pk is None:
        raise FieldLookupError(f"{target.__name__} has no primary key field")
    return RelationLink(
        "many_to_many",
        pk.name,
        pk.column,
        through,
        source_fk,
        _column_field(through, source_fk),
        target_fk,
        target,
        target_fk,
        target_pk.column,
    )


def _tree(paths: list[str]) -> dict[str, Any]:
    tree: dict[str, Any] = {}
    for path in paths:
        node = tree
        for segment in path.split("__"):
            node = node.setdefault(segment, {})
    return tree


def _assign(instance: Any, name: str, value: list[Any]) -> None:
    descriptor = getattr(type(instance), name, None)
    if descriptor is not None and hasattr(descriptor, "__set__"):
        setattr(instance, name, value)
    else:
        instance.__dict__[name] = value


async def run_prefetch(query: Query[Any], instances: list[Any], executor: SupportsExecute) -> None:
    """Load every prefetch path of ``query`` onto ``instances``."""
    if query._prefetch and instances:
        await _level(query.model_class, instances, _tree(query._prefetch), executor)


async def _level(model: type, parents: list[Any], tree: dict[str, Any], executor: SupportsExecute) -> None:
    for name, sub in tree.items():
        rel = reverse_relation(model, name)
        if rel is None:
            info = model_fields(model).get(name)
            if info is not None and info.is_fk:
                raise FieldLookupError(f"prefetch('{name}') supports one-to-many and many-to-many only")
            raise FieldLookupError(f"{model.__name__} has no relation '{name}'")
        if rel.kind == "many_to_many" and not rel.through:
            for parent in parents:
                _assign(parent, name, [])
            continue
        link = relation_link(model, rel)
        keys = list(dict.fromkeys(k for p in parents if (k := getattr(p, link.parent_pk, None)) is not None))
        if link.kind == "one_to_many":
            loaded, by_key = await _one_to_many(link, keys, executor)
        else:
            loaded, by_key = await _many_to_many(link, keys, executor)
        for parent in parents:
            _assign(parent, name, list(by_key.get(getattr(parent, link.parent_pk, None), ())))
        if sub and loaded:
            await _level(link.target or link.child, loaded, sub, executor)


def _chunks(keys: list[Any]) -> list[list[Any]]:
    return [keys[i : i + _MAX_KEYS] for i in range(0, len(keys), _MAX_KEYS)] or [[]]


async def _one_to_many(
    link: RelationLink, keys: list[Any], executor: SupportsExecute
) -> tuple[list[Any], dict[Any, list[Any]]]:
    from oxyde.queries.q import Q
    from oxyde.queries.reads import fetch
    from oxyde.queries.select import Query

    children: list[Any] = []
    if keys:
        for chunk in _chunks(keys):
            node = {"type": "condition", "field": link.child_column, "column": link.child_column}
            q: Query[Any] = Query(link.child).filter(Q({**node, "operator": "IN", "value": chunk}))
            children.extend(await fetch(q, using=None, client=executor, force_mode="models"))
    by_key: dict[Any, list[Any]] = {}
    for child in children:
        by_key.setdefault(getattr(child, link.child_field, None), []).append(child)
    return children, by_key


async def _many_to_many(
    link: RelationLink, keys: list[Any], executor: SupportsExecute
) -> tuple[list[Any], dict[Any, list[Any]]]:
    """Through rows inner-joined to their targets, in link (through key) order;
    one target instance per distinct key, shared by every parent linking it."""
    from oxyde.queries.results import Result, rows_to_models, run

    assert link.target is not None and link.target_fk_column and link.target_column
    target, through = link.target, link.child
    fields = column_fields(target)
    by_key: dict[Any, list[Any]] = {}
    targets: dict[Any, Any] = {}
    pending: dict[Any, list[Any]] = {}  # target key -> its column values, one per distinct target
    links: list[tuple[Any, Any]] = []  # (source key, target key) per through row, in order
    target_pk = pk_info(target)
    assert target_pk is not None
    for chunk in _chunks(keys) if keys else []:
        join: dict[str, Any] = {
            **table_ir(target),
            "alias": _TARGET_ALIAS,
            "kind": "inner",
            "on": [[link.target_fk_column, link.target_column]],
            "columns": [f.column for f in fields],
        }
        types = column_types(target)
        if types:
            join["column_types"] = types
        ir: dict[str, Any] = {
            "proto": 1,
            "op": "select",
            **table_ir(through),
            "cols": [link.child_column],
            "joins": [join],
            "filter_tree": {"type": "condition", "field": link.child_column, "operator": "IN", "value": chunk},
        }
        through_types = column_types(through)
        if through_types:
            ir["column_types"] = through_types
        through_pk = pk_info(through)
        if through_pk is not None:
            ir["order_by"] = [[{"type": "column", "table": table_name(through), "name": through_pk.column}, "ASC"]]
        result = await run(executor, ir)
        index = {c: i for i, c in enumerate(result.columns)}
        source_at, key_at = index[link.child_column], index[f"{_TARGET_ALIAS}__{target_pk.column}"]
        value_at = [index[f"{_TARGET_ALIAS}__{f.column}"] for f in fields]
        for row in result.rows:
            key = row[key_at]
            links.append((row[source_at], key))
            if key not in pending:
                pending[key] = [row[i] for i in value_at]
    if pending:
        built = rows_to_models(target, Result([f.column for f in fields], list(pending.values()), None, None))
        targets = dict(zip(pending, built, strict=True))
    for source, key in links:
        by_key.setdefault(source, []).append(targets[key])
    return list(targets.values()), by_key
