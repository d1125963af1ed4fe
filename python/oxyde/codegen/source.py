"""The user's model module turned into stub text with ``ast``: imports kept
(``__future__`` dropped, relative ones as written, so they resolve next to the
source), top-level functions and classes kept with ``...`` bodies."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable

# a class body line added per table model, e.g. "objects: ClassVar[UserManager]"
ClassExtra = Callable[[str], list[str]]


def module_stub(source: str, extra: ClassExtra) -> tuple[list[str], list[str]]:
    """(import lines, body lines) of the stub of ``source``."""
    tree = ast.parse(source)
    imports: list[str] = []
    body: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module == "__future__":
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            imports.append(ast.unparse(node))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            body.extend(["", *_function(node, "")])
        elif isinstance(node, ast.ClassDef):
            body.extend(["", *_class(node, "", extra)])
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            body.extend(_assign(node, ""))
    return imports, body


def _function(node: ast.FunctionDef | ast.AsyncFunctionDef, indent: str) -> list[str]:
    lines = [f"{indent}@{ast.unparse(d)}" for d in node.decorator_list]
    prefix = "async def" if isinstance(node, ast.AsyncFunctionDef) else "def"
    returns = f" -> {ast.unparse(node.returns)}" if node.returns is not None else ""
    lines.append(f"{indent}{prefix} {node.name}({ast.unparse(node.args)}){returns}: ...")
    return lines


def _is_overload(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    return any(ast.unparse(d).split(".")[-1] == "overload" for d in node.decorator_list)


def _class(node: ast.ClassDef, indent: str, extra: ClassExtra) -> list[str]:
    lines = [f"{indent}@{ast.unparse(d)}" for d in node.decorator_list]
    bases = [ast.unparse(b) for b in node.bases] + [ast.unparse(k) for k in node.keywords]
    lines.append(f"{indent}class {node.name}" + (f"({', '.join(bases)})" if bases else "") + ":")
    inner = indent + "    "
    overloaded = {
        n.name for n in node.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and _is_overload(n)
    }
    body: list[str] = []
    for child in node.body:
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
            # of an overloaded method only its @overload variants are kept
            if child.name in overloaded and not _is_overload(child):
                continue
            body.extend(_function(child, inner))
        elif isinstance(child, ast.ClassDef) and child.name == "Meta" and extra(node.name):
            body.extend(_meta(child, inner))
        elif isinstance(child, ast.ClassDef):
            body.extend(_class(child, inner, lambda _name: []))
        elif isinstance(child, (ast.Assign, ast.AnnAssign)):
            body.extend(_assign(child, inner))
    body.extend(inner + line for line in extra(node.name))
    lines.extend(body or [f"{inner}..."])
    return lines


_META_KEYS = frozenset({"is_table", "table_name", "schema", "database"})


def _meta(node: ast.ClassDef, indent: str) -> list[str]:
    """A table model's ``Meta``: only the keys a type checker may read."""
    kept = [
        child
        for child in node.body
        if isinstance(child, ast.Assign) and any(isinstance(t, ast.Name) and t.id in _META_KEYS for t in child.targets)
    ]
    lines = [f"{indent}class Meta:"]
    for child in kept:
        lines.extend(_assign(child, indent + "    "))
    return lines if kept else [*lines, f"{indent}    ..."]


def used_imports(imports: list[str], text: str) -> list[str]:
    """``imports`` trimmed to the names ``text`` still uses: a strict checker
    reports an unused import in a stub (``Field`` once the calls are gone)."""
    used = set(re.findall(r"[A-Za-z_]\w*", text))
    kept: list[str] = []
    for line in imports:
        node = ast.parse(line).body[0]
        assert isinstance(node, (ast.Import, ast.ImportFrom))
        names = [a for a in node.names if a.name == "*" or (a.asname or a.name).split(".")[0] in used]
        if names:
            node.names = names
            kept.append(ast.unparse(node))
    return kept


# ``Field(...)`` keywords that make the field optional in the constructor
# (virtual relation lists default to empty)
_DEFAULT_KEYWORDS = frozenset({"default", "default_factory", "db_reverse_fk", "db_m2m"})


def _required_field(value: ast.expr) -> bool:
    """A ``Field(...)`` call without a default: the stub declares no ``= ...``."""
    if not isinstance(value, ast.Call) or ast.unparse(value.func).split(".")[-1] != "Field":
        return False
    if value.args and not (isinstance(value.args[0], ast.Constant) and value.args[0].value is Ellipsis):
        return False
    return not any(k.arg in _DEFAULT_KEYWORDS for k in value.keywords)


def _assign(node: ast.Assign | ast.AnnAssign, indent: str) -> list[str]:
    if isinstance(node, ast.AnnAssign):
        target = ast.unparse(node.target)
        default = "" if node.value is None or _required_field(node.value) else " = ..."
        return [f"{indent}{target}: {ast.unparse(node.annotation)}{default}"]
    names = [ast.unparse(t) for t in node.targets if isinstance(t, ast.Name)]
    if not names:
        return []
    # kept as written: enum members, Meta values and type aliases need their value
    value = ast.unparse(node.value)
    return [f"{indent}{' = '.join(names)} = {value}"]
