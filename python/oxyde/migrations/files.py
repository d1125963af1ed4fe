"""Migration files on disk: discovery, dependency order, replay (spec §5)."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

from oxyde.migrations.context import MigrationContext
from oxyde.migrations.utils import apply_ops, empty_snapshot, load_migration_module, op_uses_legacy_fields

__all__ = [
    "SchemaState",
    "collect_operations",
    "get_migration_files",
    "get_pending_migrations",
    "replay_migrations",
]


def _depends_on(path: Path) -> str | None:
    dep = getattr(load_migration_module(path), "depends_on", None)
    return str(dep) if dep else None


def get_migration_files(migrations_dir: str | Path = "migrations") -> list[Path]:
    """Migration files in dependency order (by name, then topologically on ``depends_on``)."""
    root = Path(migrations_dir)
    if not root.is_dir():
        return []
    files = sorted(p for p in root.glob("[0-9]*.py") if p.is_file())
    by_name = {p.stem: p for p in files}
    deps = {p.stem: _depends_on(p) for p in files}
    remaining = {n: ({d} if d in by_name else set()) for n, d in deps.items()}
    ordered: list[Path] = []
    while remaining:
        ready = sorted(n for n, d in remaining.items() if not d)
        if not ready:
            raise ValueError(f"Circular dependency detected in migrations: {set(remaining)}")
        name = ready[0]
        del remaining[name]
        for d in remaining.values():
            d.discard(name)
        ordered.append(by_name[name])
    return ordered


def get_pending_migrations(migrations_dir: str | Path = "migrations", applied: list[str] | None = None) -> list[Path]:
    done = set(applied or [])
    return [p for p in get_migration_files(migrations_dir) if p.stem not in done]


def collect_operations(path: Path, dialect: str = "sqlite", func: str = "upgrade") -> MigrationContext:
    """Run ``upgrade`` (or ``downgrade``) of a file in collect mode."""
    module = load_migration_module(path)
    fn = getattr(module, func, None)
    if fn is None:
        raise RuntimeError(f"Migration '{path.stem}' has no {func}()")
    ctx = MigrationContext(mode="collect", dialect=dialect)
    fn(ctx)
    return ctx


class SchemaState:
    """The schema replayed in memory."""

    def __init__(self, snapshot: dict[str, Any] | None = None) -> None:
        self._snapshot = snapshot or empty_snapshot()

    @property
    def tables(self) -> dict[str, dict[str, Any]]:
        tables: dict[str, dict[str, Any]] = self._snapshot["tables"]
        return tables

    def apply_operation(self, op: dict[str, Any]) -> None:
        self.apply_operations([op])

    def apply_operations(self, ops: list[dict[str, Any]]) -> None:
        self._snapshot = apply_ops(self._snapshot, ops)

    def to_snapshot(self) -> dict[str, Any]:
        return {"version": 1, "tables": dict(self.tables)}


def replay_migrations(migrations_dir: str | Path = "migrations", upto: str | None = None) -> dict[str, Any]:
    """Snapshot after every file (or only the files before ``upto``), replayed in collect mode."""
    state = SchemaState()
    for path in get_migration_files(migrations_dir):
        if path.stem == upto:
            break
        module = load_migration_module(path)
        if getattr(module, "upgrade", None) is None:
            continue
        ctx = collect_operations(path)
        ops = ctx.get_collected_operations()
        if any(op_uses_legacy_fields(op) for op in ops):
            warnings.warn(
                f"migration {path.name} uses the legacy field format; run `oxyde migrations squash`",
                FutureWarning,
                stacklevel=2,
            )
        try:
            state.apply_operations(ops)
        except ValueError as exc:
            raise ValueError(f"replaying {path.name}: {exc}") from exc
    return state.to_snapshot()
