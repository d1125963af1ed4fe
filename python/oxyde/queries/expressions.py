"""``F`` column references and the arithmetic trees built from them."""

from __future__ import annotations

from typing import Any

__all__ = ["F", "_Expression", "expression_to_ir"]


class _Arith:
    """Arithmetic operators shared by ``F`` and ``_Expression``."""

    __slots__ = ()

    def __add__(self, other: Any) -> _Expression:
        return _Expression("+", self, other)

    def __radd__(self, other: Any) -> _Expression:
        return _Expression("+", other, self)

    def __sub__(self, other: Any) -> _Expression:
        return _Expression("-", self, other)

    def __rsub__(self, other: Any) -> _Expression:
        return _Expression("-", other, self)

    def __mul__(self, other: Any) -> _Expression:
        return _Expression("*", self, other)

    def __rmul__(self, other: Any) -> _Expression:
        return _Expression("*", other, self)

    def __truediv__(self, other: Any) -> _Expression:
        return _Expression("/", self, other)

    def __rtruediv__(self, other: Any) -> _Expression:
        return _Expression("/", other, self)

    def __mod__(self, other: Any) -> _Expression:
        return _Expression("%", self, other)

    def __neg__(self) -> _Expression:
        # 0 - x keeps the IR small: no unary node needed
        return _Expression("-", 0, self)


class F(_Arith):
    """A column, by field name (mapped to its ``db_column``) or raw column name."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def to_ir(self, model: type | None = None) -> dict[str, Any]:
        return {"type": "column", "name": _column(model, self.name)}

    def __repr__(self) -> str:
        return f"F({self.name!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, F) and other.name == self.name

    def __hash__(self) -> int:
        return hash(("F", self.name))


class _Expression(_Arith):
    """``left <op> right``; operands are ``F``, ``_Expression`` or literals."""

    __slots__ = ("left", "op", "right")

    def __init__(self, op: str, left: Any, right: Any) -> None:
        self.op = op
        self.left = left
        self.right = right

    def to_ir(self, model: type | None = None) -> dict[str, Any]:
        return {
            "type": "binary",
            "op": self.op,
            "left": expression_to_ir(self.left, model),
            "right": expression_to_ir(self.right, model),
        }

    def __repr__(self) -> str:
        return f"({self.left!r} {self.op} {self.right!r})"


def _column(model: type | None, name: str) -> str:
    if model is None:
        return name
    from oxyde.queries.base import model_fields

    info = model_fields(model).get(name)
    return info.column if info is not None and not info.virtual else name


def expression_to_ir(value: Any, model: type | None = None) -> Any:
    """An operand as IR: expressions become nodes, literals stay values."""
    if isinstance(value, (F, _Expression)):
        return value.to_ir(model)
    from oxyde.queries.base import plain_value

    return plain_value(value)
