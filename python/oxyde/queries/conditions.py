"""Leaf filter objects: one ``key=value`` lookup, compiled against a model on demand."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from oxyde.queries.base import model_fields
from oxyde.queries.lookups import allowed_lookups, compile_lookup, split_key

__all__ = ["Condition", "condition_ir", "conditions_ir", "plain_lookup"]

_OPERATORS = {"exact": "=", "gt": ">", "gte": ">=", "lt": "<", "lte": "<="}
# values whose IR is the value itself: no enum, model, JSON map or expression to unwrap
_PLAIN = frozenset({int, str, float, bool})


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
        return condition_ir(model, self.key, self.value, joins)

    def __repr__(self) -> str:
        return f"Q({self.key}={self.value!r})"


def condition_ir(model: type, key: str, value: Any, joins: list[str] | None = None) -> dict[str, Any]:
    """The IR node of ``key=value`` on ``model``; FK paths add their joins to ``joins``."""
    plan = _plain_plan(model, key, value)
    if plan is not None:
        return {"type": "condition", "field": plan[0], "column": plan[1], "operator": plan[3], "value": value}
    from oxyde.queries.expressions import F, _Expression
    from oxyde.queries.filter_values import check_value_type, expression_condition

    if isinstance(value, (F, _Expression)):
        return expression_condition(model, key, value, joins)
    node = compile_lookup(model, key, value, joins)
    check_value_type(model, key, value)
    return node


def plain_lookup(model: type, key: str, value: Any) -> bool:
    """Whether ``key=value`` compiles to a comparison with the value as it is."""
    return _plain_plan(model, key, value) is not None


def _plain_plan(model: type, key: str, value: Any) -> tuple[str, str, tuple[type, ...] | None, str] | None:
    # a value of the field's own kind compares as it is: the general path's
    # checks (lookup allowed, value type) were made once for this key
    if type(value) not in _PLAIN:
        return None
    plan = _plan(model, key)
    if plan is not None and (plan[2] is None or isinstance(value, plan[2])):
        return plan
    return None


def conditions_ir(model: type, lookups: dict[str, Any], joins: list[str] | None) -> dict[str, Any] | None:
    """``filter(**lookups)``: the lookups ANDed, ``None`` when there are none."""
    parts = [condition_ir(model, key, value, joins) for key, value in lookups.items()]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else {"type": "and", "conditions": parts}


# (model, key) -> (fields dict it was read from, plan): a plan is
# (field name, column, accepted value types or None, SQL operator), made only
# for a plain field with a comparison lookup; None marks keys that need the full path
_PLANS: dict[tuple[type, str], tuple[Any, tuple[str, str, tuple[type, ...] | None, str] | None]] = {}
_PLANS_MAX = 4096  # keys are the program's lookups; bounded all the same


def _plan(model: type, key: str) -> tuple[str, str, tuple[type, ...] | None, str] | None:
    fields = model_fields(model)
    cached = _PLANS.get((model, key))
    if cached is not None and cached[0] is fields:
        return cached[1]
    plan = _make_plan(fields, key)
    if len(_PLANS) >= _PLANS_MAX:
        _PLANS.clear()
    _PLANS[(model, key)] = (fields, plan)
    return plan


def _make_plan(fields: dict[str, Any], key: str) -> tuple[str, str, tuple[type, ...] | None, str] | None:
    from oxyde.queries.filter_values import accepted_types

    if key.startswith("__"):
        return None
    path, lookup = split_key(key)
    info = fields.get(path[0]) if len(path) == 1 else None
    if info is None or info.virtual or lookup not in _OPERATORS or lookup not in allowed_lookups(info):
        return None
    return info.name, info.column, accepted_types(info), _OPERATORS[lookup]
