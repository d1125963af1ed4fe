"""Writing migration files: readable Python calls on ``ctx`` (spec §5.1, §10)."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

__all__ = ["check_migration_name", "generate_migration_code", "generate_migration_file", "infer_name", "next_number"]

# A migration name becomes a file name and a row of the tracking table: nothing path-like or look-alike.
_NAME = re.compile(r"[A-Za-z0-9_]{1,100}")


def check_migration_name(name: str) -> str:
    """``name`` if it is 1 to 100 ASCII letters, digits and ``_``; else ``ValueError``."""
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise ValueError(f"invalid migration name {str(name)[:60]!r}: use 1 to 100 ASCII letters, digits and '_'")
    return name


def _safe_name(inferred: str) -> str:
    """An inferred name (built from table and column names) reduced to the allowed characters."""
    return re.sub(r"[^A-Za-z0-9_]+", "_", inferred)[:60].strip("_") or "migration"


_FIELD_KEYS = ("column_type", "db_type", "nullable", "default", "unique", "max_length", "max_digits", "decimal_places")


def _lit(value: Any, indent: int = 1) -> str:
    """A Python literal, dicts and lists expanded one item per line."""
    pad, inner = "    " * indent, "    " * (indent + 1)
    if isinstance(value, dict) and value:
        items = [f"{inner}{k!r}: {_lit(v, indent + 1)}," for k, v in value.items()]
        return "{\n" + "\n".join(items) + f"\n{pad}}}"
    if isinstance(value, list) and value and any(isinstance(v, (dict, list)) for v in value):
        items = [f"{inner}{_lit(v, indent + 1)}," for v in value]
        return "[\n" + "\n".join(items) + f"\n{pad}]"
    return repr(value)


def _call(name: str, *args: Any, **kwargs: Any) -> str:
    parts = [_lit(a) for a in args] + [f"{k}={_lit(v)}" for k, v in kwargs.items()]
    return f"ctx.{name}({', '.join(parts)})"


def infer_name(ops: list[dict[str, Any]]) -> str:
    if not ops:
        return "empty"
    op = ops[0]
    t = op["type"]
    names = {
        "create_table": lambda: f"create_{op['table']['name']}_table",
        "drop_table": lambda: f"drop_{op['name']}_table",
        "add_column": lambda: f"add_{op['field']['name']}_to_{op['table']}",
        "drop_column": lambda: f"drop_{op['field']}_from_{op['table']}",
        "rename_table": lambda: f"rename_{op['old_name']}_to_{op['new_name']}",
        "rename_column": lambda: f"rename_column_{op['old_name']}_to_{op['new_name']}",
        "create_enum_type": lambda: f"create_{op['name']}_enum",
        "drop_enum_type": lambda: f"drop_{op['name']}_enum",
        "add_enum_value": lambda: f"add_{op['value']}_to_{op['name']}_enum",
        "alter_enum_type": lambda: f"alter_{op['name']}_enum",
    }
    if t in names:
        return names[t]()
    return "auto" if len(ops) > 1 else "migration"


def _table_call(t: dict[str, Any]) -> str:
    kwargs: dict[str, Any] = {"fields": t["fields"]}
    for key in ("indexes", "foreign_keys", "checks", "schema"):
        if t.get(key):
            kwargs[key] = t[key]
    return _call("create_table", t["name"], **kwargs)


def _field_changes(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    return {k: new.get(k) for k in _FIELD_KEYS if old.get(k) != new.get(k)}


def _manual(name: str, old: list[str], new: list[str]) -> str:
    msg = (
        f"Manual enum migration required for {name}: {old} -> {new}. Replace ctx.require_manual(...) with "
        "ctx.execute(...) statements that convert the stored values, and keep ctx.alter_enum_type(...)."
    )
    return _call("require_manual", msg)


def _enum_values(op: dict[str, Any]) -> list[str] | None:
    """Values of the enum after ``add_enum_value``, read from the widened columns."""
    for ref in op.get("fields") or []:
        spec = ref["field"]["column_type"]
        if spec.get("kind") == "enum" and spec.get("values") and spec["values"][-1] == op["value"]:
            return list(spec["values"])
    return None


def _render(op: dict[str, Any]) -> tuple[list[str], list[str]]:
    """Upgrade lines and downgrade lines of one operation."""
    t = op["type"]
    if t == "create_table":
        return [_table_call(op["table"])], [_call("drop_table", op["table"]["name"])]
    if t == "drop_table":
        back = [_table_call(op["table"])] if op.get("table") else [f"# TODO: recreate table {op['name']!r}"]
        return [_call("drop_table", op["name"])], back
    if t == "rename_table":
        return [_call(t, op["old_name"], op["new_name"])], [_call(t, op["new_name"], op["old_name"])]
    if t == "set_table_schema":
        new, old = op.get("schema"), op.get("old_schema")
        return [_call(t, op["table"], new, old_schema=old)], [_call(t, op["table"], old, old_schema=new)]
    if t == "rename_column":
        return [_call(t, op["table"], op["old_name"], op["new_name"])], [
            _call(t, op["table"], op["new_name"], op["old_name"])
        ]
    if t == "add_column":
        return [_call(t, op["table"], op["field"])], [_call("drop_column", op["table"], op["field"]["name"])]
    if t == "drop_column":
        back = (
            [_call("add_column", op["table"], op["field_def"])]
            if op.get("field_def")
            else [f"# TODO: re-add column {op['field']!r}"]
        )
        return [_call(t, op["table"], op["field"])], back
    if t == "alter_column":
        old, new = op.get("old_field") or {}, op.get("new_field") or {}
        changes = op.get("changes") or _field_changes(old, new)
        up = [_call(t, op["table"], op["column"], **changes)]
        down = [_call(t, op["table"], op["column"], **_field_changes(new, old))] if old else []
        return up, down
    if t == "create_index":
        return [_call(t, op["table"], op["index"])], [_call("drop_index", op["table"], op["index"]["name"])]
    if t == "drop_index":
        d = op.get("index_def")
        return [_call(t, op["table"], op["name"])], (
            [_call("create_index", op["table"], d)] if d else [f"# TODO: recreate index {op['name']!r}"]
        )
    if t == "add_foreign_key":
        fk = op["fk"]
        up = _call(
            t,
            op["table"],
            fk["name"],
            fk["columns"],
            fk["ref_table"],
            fk["ref_columns"],
            on_delete=fk.get("on_delete") or "NO ACTION",
            on_update=fk.get("on_update") or "NO ACTION",
        )
        return [up], [_call("drop_foreign_key", op["table"], fk["name"])]
    if t == "drop_foreign_key":
        fk = op.get("fk_def")
        back = (
            [
                _call(
                    "add_foreign_key",
                    op["table"],
                    fk["name"],
                    fk["columns"],
                    fk["ref_table"],
                    fk["ref_columns"],
                    on_delete=fk.get("on_delete") or "NO ACTION",
                    on_update=fk.get("on_update") or "NO ACTION",
                )
            ]
            if fk
            else [f"# TODO: re-add foreign key {op['name']!r}"]
        )
        return [_call(t, op["table"], op["name"])], back
    if t == "add_check":
        c = op["check"]
        return [_call(t, op["table"], c["name"], c["expression"])], [_call("drop_check", op["table"], c["name"])]
    if t == "drop_check":
        c = op.get("check_def")
        back = (
            [_call("add_check", op["table"], c["name"], c["expression"])]
            if c
            else [f"# TODO: re-add check {op['name']!r}"]
        )
        return [_call(t, op["table"], op["name"])], back
    if t == "create_enum_type":
        return [_call(t, op["name"], op["values"])], [_call("drop_enum_type", op["name"])]
    if t == "drop_enum_type":
        vals = op.get("values")
        back = (
            [_call("create_enum_type", op["name"], vals)]
            if vals
            else [f"raise RuntimeError({'Cannot recreate enum type ' + op['name'] + ': its values are unknown'!r})"]
        )
        return [_call(t, op["name"])], back
    if t == "add_enum_value":
        # The value stays in the database type (removing one is a manual step); only the
        # replayed schema forgets it, so rolling back further still works.
        values = _enum_values(op)
        up = [_call(t, op["name"], op["value"], fields=op.get("fields") or [])]
        if values is None:
            msg = f"Cannot automatically remove enum value {op['value']!r} from {op['name']!r}"
            return up, [f"raise RuntimeError({msg!r})"]
        note = f"# {op['value']!r} stays in the database type; rows holding it are not converted"
        return up, [note, _call("alter_enum_type", op["name"], old_values=values, new_values=values[:-1])]
    if t == "alter_enum_type":
        n, old, new = op["name"], op["old_values"], op["new_values"]
        return [_call(t, n, old_values=old, new_values=new), _manual(n, old, new)], [
            _call(t, n, old_values=new, new_values=old),
            _manual(n, new, old),
        ]
    if t == "execute":
        return [_call(t, op["sql"])], ["# TODO: undo raw SQL"]
    return [f"# unsupported operation: {t}"], []


def generate_migration_code(ops: list[dict[str, Any]], depends_on: str | None) -> str:
    ups: list[str] = []
    downs: list[list[str]] = []
    for op in ops:
        up, down = _render(op)
        ups.extend(up)
        downs.append(down)
    down_lines = [line for block in reversed(downs) for line in block]

    def body(lines: list[str]) -> str:
        if not lines:
            return "    pass\n"
        return "".join("    " + line.replace("\n", "\n    ") + "\n" for line in lines)

    stamp = datetime.now().isoformat(timespec="seconds")
    return (
        f'"""Auto-generated migration.\n\nCreated: {stamp}\n"""\n\n'
        f"depends_on = {depends_on!r}\n\n\n"
        f"def upgrade(ctx):\n{body(ups)}\n\n"
        f"def downgrade(ctx):\n{body(down_lines)}"
    )


def next_number(migrations_dir: Path) -> tuple[int, str | None]:
    """The next file number and the stem of the last file (lexicographically)."""
    files = sorted(p.stem for p in migrations_dir.glob("[0-9]*.py")) if migrations_dir.is_dir() else []
    if not files:
        return 1, None
    digits = ""
    for ch in files[-1]:
        if not ch.isdigit():
            break
        digits += ch
    return (int(digits) + 1 if digits else 1), files[-1]


def generate_migration_file(
    operations: list[dict[str, Any]], migrations_dir: str | Path = "migrations", name: str | None = None
) -> Path:
    """Write the next numbered migration file for ``operations``."""
    root = Path(migrations_dir)
    root.mkdir(parents=True, exist_ok=True)
    number, last = next_number(root)
    stem = check_migration_name(name) if name else _safe_name(infer_name(operations))
    path = root / f"{number:04d}_{stem}.py"
    path.write_text(generate_migration_code(operations, last), encoding="utf-8")
    return path
