"""Python types as annotation text for a stub, with the imports they need.

Types defined in the stubbed module itself are written bare (the stub defines
them too); any other module is imported under a private alias
(``import uuid as _m_uuid``) so no user name can shadow it or be shadowed.
"""

from __future__ import annotations

import builtins
import enum
import types
import typing
from typing import Any


class TypeWriter:
    """Collects the module imports the annotations it writes depend on."""

    def __init__(self, own_module: str) -> None:
        self.own_module = own_module
        self.modules: set[str] = set()

    def alias(self, module: str) -> str:
        self.modules.add(module)
        return "_m_" + module.replace(".", "_")

    def import_lines(self) -> list[str]:
        return [f"import {m} as {self.alias(m)}" for m in sorted(self.modules)]

    def text(self, tp: Any) -> str:
        if tp is None or tp is type(None):
            return "None"
        if tp is Any or tp is typing.Any:
            return "Any"
        if isinstance(tp, str):
            return "Any"  # an unresolved forward reference
        origin = typing.get_origin(tp)
        args = typing.get_args(tp)
        if origin is typing.Annotated:
            return self.text(args[0])
        if origin is typing.Union or isinstance(tp, types.UnionType):
            return " | ".join(self.text(a) for a in args)
        if origin is typing.Literal:
            if any(isinstance(a, enum.Enum) for a in args):
                return " | ".join(dict.fromkeys(self.text(type(a)) for a in args))
            return "Literal[" + ", ".join(repr(a) for a in args) + "]"
        if origin is not None:
            base = self.text(origin)
            if not args:
                return base
            inner = ", ".join("..." if a is Ellipsis else self.text(a) for a in args)
            return f"{base}[{inner}]"
        if isinstance(tp, type):
            return self._class(tp)
        return "Any"

    def _class(self, cls: type) -> str:
        module = getattr(cls, "__module__", "builtins")
        qualname = getattr(cls, "__qualname__", cls.__name__)
        if "<locals>" in qualname:
            return "Any"
        if module == "builtins" and getattr(builtins, qualname, None) is cls:
            return qualname
        if module == self.own_module:
            return qualname
        if module == "typing":
            return "Any"
        return f"{self.alias(module)}.{qualname}"
