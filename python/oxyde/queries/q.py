"""``Q``: composable boolean filters (``&``, ``|``, ``~``)."""

from __future__ import annotations

from typing import Any, Literal

from oxyde.queries.conditions import Condition

__all__ = ["Q"]

_Kind = Literal["and", "or", "not", "node"]


class Q:
    """A filter expression; resolved against a model when a query receives it."""

    __slots__ = ("children", "kind", "node")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.node: dict[str, Any] | None = None
        self.children: list[Q | Condition] = []
        self.kind: _Kind = "and"
        if args:
            if kwargs:
                raise ValueError("Q() accepts either positional FilterNode or keyword lookups, not both")
            if len(args) != 1 or not isinstance(args[0], dict):
                raise ValueError("Q() with positional args must receive a single FilterNode dict")
            self.kind = "node"
            self.node = args[0]
            return
        self.children = [Condition(k, v) for k, v in kwargs.items()]

    @classmethod
    def _make(cls, kind: _Kind, children: list[Q | Condition]) -> Q:
        q = cls()
        q.kind = kind
        q.children = children
        return q

    def is_empty(self) -> bool:
        if self.kind == "node":
            return False
        return all(isinstance(c, Q) and c.is_empty() for c in self.children)

    def __and__(self, other: object) -> Q:
        if not isinstance(other, Q):
            raise TypeError(f"Cannot AND Q with {type(other).__name__}")
        return Q._make("and", [self, other])

    def __or__(self, other: object) -> Q:
        if not isinstance(other, Q):
            raise TypeError(f"Cannot OR Q with {type(other).__name__}")
        return Q._make("or", [self, other])

    def __invert__(self) -> Q:
        return Q._make("not", [self])

    def to_ir(self, model: type, joins: list[str] | None = None) -> dict[str, Any] | None:
        """The IR filter node for ``model``, or ``None`` when empty; FK paths
        add their relation paths to ``joins`` (the receiving query's)."""
        if self.kind == "node":
            return self.node
        parts = [p for p in (c.to_ir(model, joins) for c in self.children) if p is not None]
        if not parts:
            return None
        if self.kind == "not":
            inner = parts[0] if len(parts) == 1 else {"type": "and", "conditions": parts}
            return {"type": "not", "condition": inner}
        if len(parts) == 1:
            return parts[0]
        return {"type": self.kind, "conditions": parts}

    def __repr__(self) -> str:
        if self.kind == "node":
            return f"Q({self.node!r})"
        if self.kind == "not":
            return f"~{self.children[0]!r}" if self.children else "~Q()"
        if not self.children:
            return "Q()"
        if self.kind == "and" and all(isinstance(c, Condition) for c in self.children):
            return " AND ".join(repr(c) for c in self.children) if len(self.children) > 1 else repr(self.children[0])
        joined = f" {self.kind.upper()} ".join(repr(c) for c in self.children)
        return f"({joined})"


def combine(kind: Literal["and", "or"], nodes: list[dict[str, Any] | None]) -> dict[str, Any] | None:
    """AND/OR IR nodes, dropping empties and flattening one level of the same kind."""
    parts: list[dict[str, Any]] = []
    for n in nodes:
        if n is None:
            continue
        if n.get("type") == kind:
            parts.extend(n["conditions"])
        else:
            parts.append(n)
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    return {"type": kind, "conditions": parts}
