"""``squash_migrations``: every file replaced by one that builds the final schema (spec §13)."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from oxyde.migrations.files import collect_operations, get_migration_files
from oxyde.migrations.utils import apply_ops, compute_diff, empty_snapshot, op_uses_legacy_fields
from oxyde.migrations.writer import check_migration_name, generate_migration_code

__all__ = ["SquashResult", "squash_migrations"]


@dataclass
class SquashResult:
    new_file: Path | None
    deleted_files: list[str] = field(default_factory=list)
    raw_sql_files: list[str] = field(default_factory=list)
    legacy_files: list[str] = field(default_factory=list)
    table_count: int = 0


def squash_migrations(migrations_dir: str | Path, name: str = "squashed") -> SquashResult:
    check_migration_name(name)
    root = Path(migrations_dir)
    files = get_migration_files(root)
    if not files:
        return SquashResult(new_file=None)
    snapshot = empty_snapshot()
    raw_files: list[str] = []
    legacy: list[str] = []
    for path in files:
        ctx = collect_operations(path)
        ops = ctx.get_collected_operations()
        if ctx.has_raw_sql:
            raw_files.append(path.name)
        if any(op_uses_legacy_fields(op) for op in ops):
            legacy.append(path.name)
        snapshot = apply_ops(snapshot, ops)
    ops = compute_diff(empty_snapshot(), snapshot)
    code = generate_migration_code(ops, None)
    new_path = root / f"0001_{name}.py"
    with tempfile.TemporaryDirectory() as tmp:
        staged = Path(tmp) / new_path.name
        staged.write_text(code, encoding="utf-8")
        compile(code, str(staged), "exec")  # a broken render deletes nothing
        for path in files:
            path.unlink()
        new_path.write_text(code, encoding="utf-8")
    return SquashResult(
        new_file=new_path,
        deleted_files=[p.name for p in files if p.name != new_path.name],
        raw_sql_files=raw_files,
        legacy_files=legacy,
        table_count=len(snapshot["tables"]),
    )
