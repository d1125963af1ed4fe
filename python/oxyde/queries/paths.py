"""Relation paths: ``"author__company"`` resolved to the chain of FK joins it needs.

A path is a ``__``-separated chain of FK fields starting at a query's model
(spec relations.md §5.1, §6). Each step joins the related table under an
alias: the path with ``__`` replaced by ``_`` (``author_company``), made unique
within the query by a numeric suffix when two paths (or the base table) would
share it. Aliases depend only on the query's ordered path list, which only
grows, so an alias handed out once never changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from oxyde.exceptions import FieldError, FieldLookupError
from oxyde.queries.base import FieldInfo, model_fields, pk_info, table_name

__all__ = [
    "JoinStep",
    "add_path",
    "alias_map",
    "fk_target",
    "join_steps",
    "resolve_field_path",
    "reverse_relation",
]


@dataclass(frozen=True, slots=True)
class JoinStep:
    """One FK hop: ``model.field`` → ``target`` (its PK, or the ``db_fk`` field)."""

    path: str
    parent_path: str | None
    model: type
    field: str
    target: type
    fk_column: str
    target_column: str


def fk_target(model: type, field: str) -> type:
    """The registered model an FK field points at."""
    from oxyde.models.registry import lookup_model

    cm = model._db_meta.field_metadata[field]  # type: ignore[attr-defined]
    target: str = cm.foreign_key.target
    return lookup_model(target)


def _target_column(target: type, target_field: str) -> str:
    fields = model_fields(target)
    info = fields.get(target_field)
    return info.column if info is not None else target_field


def _step(model: type, segment: str, parent: str | None) -> JoinStep:
    cm = model._db_meta.field_metadata[segment]  # type: ignore[attr-defined]
    target = fk_target(model, segment)
    path = segment if parent is None else f"{parent}__{segment}"
    return JoinStep(
        path=path,
        parent_path=parent,
        model=model,
        field=segment,
        target=target,
        fk_column=cm.foreign_key.column_name,
        target_column=_target_column(target, cm.foreign_key.target_field),
    )


def join_steps(model: type, path: str) -> list[JoinStep]:
    """The steps of a ``join()`` path; errors as relations.md §5.1 names them."""
    if not isinstance(path, str) or not path or any(not s for s in path.split("__")):
        raise ValueError(f"join() received an empty relation path: {path!r}")
    steps: list[JoinStep] = []
    current, parent = model, None
    for segment in path.split("__"):
        info = model_fields(current).get(segment)
        if info is None or not info.is_fk:
            hint = ""
            if info is not None and info.virtual:
                hint = " (a reverse or many-to-many relation: load it with prefetch())"
            raise FieldLookupError(f"{current.__name__}.{segment} is not a joinable relation{hint} in path '{path}'")
        step = _step(current, segment, parent)
        if pk_info(step.target) is None:
            raise FieldLookupError(f"{step.target.__name__} has no primary key field")
        steps.append(step)
        current, parent = step.target, step.path
    return steps


def resolve_field_path(model: type, segments: list[str]) -> tuple[list[JoinStep], FieldInfo]:
    """``["author", "company", "name"]`` → the FK steps and the final field
    (spec relations.md §6: every segment but the last is a forward FK)."""
    dotted = ".".join(segments)
    steps: list[JoinStep] = []
    current, parent = model, None
    for i, segment in enumerate(segments):
        info = model_fields(current).get(segment)
        if info is None or info.virtual:
            raise FieldError(f"{current.__name__} has no field '{segment}'")
        if i == len(segments) - 1:
            return steps, info
        if not info.is_fk:
            raise FieldLookupError(f"Cannot traverse '{segment}' in path '{dotted}': not a foreign key")
        step = _step(current, segment, parent)
        steps.append(step)
        current, parent = step.target, step.path
    raise FieldError(f"{model.__name__} has no field ''")


def add_path(paths: list[str], path: str) -> None:
    """Append ``path`` and its prefixes (parents first), skipping known ones."""
    parts = path.split("__")
    for n in range(1, len(parts) + 1):
        prefix = "__".join(parts[:n])
        if prefix not in paths:
            paths.append(prefix)


def alias_map(base_table: str, paths: Iterable[str]) -> dict[str, str]:
    """Path → SQL alias, in order: ``a__b`` → ``a_b``, suffixed when taken."""
    taken = {base_table}
    out: dict[str, str] = {}
    for path in paths:
        if path in out:
            continue
        alias = candidate = path.replace("__", "_")
        n = 2
        while alias in taken:
            alias = f"{candidate}_{n}"
            n += 1
        taken.add(alias)
        out[path] = alias
    return out


def query_alias(model: type, paths: list[str], path: str) -> str:
    """The alias ``path`` has in a query over ``model`` whose paths are ``paths``."""
    return alias_map(table_name(model), paths)[path]


def reverse_relation(model: type, name: str) -> Any:
    """The ``RelationInfo`` of a reverse-FK / M2M field, or ``None``."""
    relations = getattr(getattr(model, "_db_meta", None), "relations", None) or {}
    return relations.get(name)
