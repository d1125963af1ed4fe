"""Table-level ``Index`` and ``Check`` value objects (spec models.md §7)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["Check", "Index"]

IndexMethod = Literal["btree", "hash", "gin", "gist"]


@dataclass
class Index:
    """A table index over raw column names (not a decorator)."""

    fields: tuple[str, ...]
    method: IndexMethod | None = None
    name: str | None = None
    unique: bool = False
    where: str | None = None

    def __init__(
        self,
        fields: tuple[str, ...] | list[str] | str,
        method: IndexMethod | None = None,
        name: str | None = None,
        unique: bool = False,
        where: str | None = None,
        **kwargs: Any,
    ) -> None:
        # ``condition=`` appears in one old release note; accept it as an alias
        if where is None and "condition" in kwargs:
            where = kwargs.pop("condition")
        if kwargs:
            raise TypeError(f"Index() got unexpected keyword arguments: {', '.join(sorted(kwargs))}")
        # a bare string is one column, not a sequence of characters
        cols = (fields,) if isinstance(fields, str) else tuple(fields)
        if not cols:
            raise ValueError("Index requires at least one field")
        self.fields = cols
        self.method = method
        self.name = name
        self.unique = unique
        stripped = where.strip() if isinstance(where, str) else where
        self.where = stripped or None

    def index_name(self, table: str) -> str:
        return self.name or f"{table}_{'_'.join(self.fields)}_idx"


@dataclass
class Check:
    """A CHECK constraint: a raw SQL boolean expression over columns."""

    expression: str
    name: str | None = None

    def constraint_name(self, table: str, position: int) -> str:
        return self.name or f"chk_{table}_{position}"
