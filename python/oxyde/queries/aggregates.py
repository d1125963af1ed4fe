"""Aggregate and expression classes for ``annotate()`` and the terminal aggregates."""

from __future__ import annotations

from typing import Any

__all__ = ["Aggregate", "Avg", "Coalesce", "Concat", "Count", "Max", "Min", "RawSQL", "Sum"]


def _col(model: type | None, name: str) -> dict[str, Any]:
    from oxyde.queries.expressions import F

    return F(name).to_ir(model)


class Aggregate:
    """``FUNC([DISTINCT] field)``; ``func_name`` is the lower-cased class name."""

    func_name: str = "aggregate"

    def __init__(self, field: str, *, distinct: bool = False) -> None:
        self.field = field
        self.distinct = distinct

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "func_name" not in cls.__dict__:
            cls.func_name = cls.__name__.lower()

    def to_ir(self) -> dict[str, Any]:
        out: dict[str, Any] = {"func": self.func_name, "field": self.field}
        if self.distinct:
            out["distinct"] = True
        return out

    def to_expr(self, model: type | None = None) -> dict[str, Any]:
        """The IR expression node (``{"type": "agg", ...}``)."""
        node: dict[str, Any] = {"type": "agg", "func": self.func_name}
        if self.field != "*":
            node["arg"] = _col(model, self.field)
            if self.distinct and self.func_name in ("count", "sum", "avg"):
                node["distinct"] = True
        return node

    def __repr__(self) -> str:
        extra = ", distinct=True" if self.distinct else ""
        return f"{type(self).__name__}({self.field!r}{extra})"


class Count(Aggregate):
    def __init__(self, field: str = "*", *, distinct: bool = False) -> None:
        super().__init__(field, distinct=distinct)


class Sum(Aggregate):
    pass


class Avg(Aggregate):
    pass


class Max(Aggregate):
    pass


class Min(Aggregate):
    pass


class Concat(Aggregate):
    """Columns joined by ``separator``; a NULL part counts as an empty string."""

    func_name = "concat"

    def __init__(self, *fields: str, separator: str = "") -> None:
        super().__init__(fields[0] if fields else "")
        self.fields = list(fields)
        self.separator = separator

    def to_ir(self) -> dict[str, Any]:
        return {"func": "concat", "fields": list(self.fields), "separator": self.separator}

    def to_expr(self, model: type | None = None) -> dict[str, Any]:
        args: list[Any] = []
        for i, f in enumerate(self.fields):
            if i and self.separator:
                args.append(self.separator)
            args.append(_col(model, f))  # the core's concat reads NULL as ''
        return {"type": "func", "name": "concat", "args": args}

    def __repr__(self) -> str:
        return f"Concat({', '.join(map(repr, self.fields))}, separator={self.separator!r})"


class Coalesce(Aggregate):
    """The first non-NULL of the given columns."""

    func_name = "coalesce"

    def __init__(self, *fields: str) -> None:
        super().__init__(fields[0] if fields else "")
        self.fields = list(fields)

    def to_ir(self) -> dict[str, Any]:
        return {"func": "coalesce", "fields": list(self.fields)}

    def to_expr(self, model: type | None = None) -> dict[str, Any]:
        return {"type": "func", "name": "coalesce", "args": [_col(model, f) for f in self.fields]}

    def __repr__(self) -> str:
        return f"Coalesce({', '.join(map(repr, self.fields))})"


class RawSQL:
    """SQL text inserted verbatim as a SELECT expression; never build it from user input."""

    def __init__(self, sql: str) -> None:
        self.sql = sql

    def to_ir(self) -> dict[str, Any]:
        return {"type": "raw", "sql": self.sql}

    def to_expr(self, model: type | None = None) -> dict[str, Any]:
        return {"type": "raw", "sql": self.sql, "params": []}

    def __repr__(self) -> str:
        return f"RawSQL({self.sql!r})"
