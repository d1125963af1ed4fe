"""Leaf filter objects: one ``key=value`` lookup, compiled against a model on demand."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from oxyde.queries.lookups import compile_lookup, split_key

__all__ = ["Condition"]


@dataclass(frozen=True, slots=True)
class Condition:
    """``key=value`` as written by the user (``age__gte=18``)."""

    key: str
    value: Any

    @property
    def field(self) -> str:
        return "__".join(split_key(self.key)[0])

    @property
    def lookup(self) -> str:
        return split_key(self.key)[1]

    def to_ir(self, model: type, joins: list[str] | None = None) -> dict[str, Any]:
        from oxyde.queries.expressions import F, _Expression
        from oxyde.queries.filter_values import check_value_type, expression_condition

        if isinstance(self.value, (F, _Expression)):
            return expression_condition(model, self.key, self.value, joins)
        node = compile_lookup(model, self.key, self.value, joins)
        check_value_type(model, self.key, self.value)
        return node

    def __repr__(self) -> str:
        return f"Q({self.key}={self.value!r})"
