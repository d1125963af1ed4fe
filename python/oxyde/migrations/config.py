"""``oxyde_config.py``: the project file every command reads (spec migrations-cli.md §2)."""

from __future__ import annotations

import importlib
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["OxydeConfig", "generate_config_file", "import_models", "load_config", "save_config"]

CONFIG_FILE = "oxyde_config.py"
DEFAULT_URL = "postgresql://localhost/mydb"


@dataclass
class OxydeConfig:
    models: list[str] = field(default_factory=list)
    dialect: str = "postgres"
    migrations_dir: str = "migrations"
    databases: dict[str, str] = field(default_factory=dict)


def _cwd_on_path() -> None:
    cwd = os.getcwd()
    if cwd not in sys.path:
        sys.path.insert(0, cwd)


def load_config() -> OxydeConfig | None:
    """The config of the current directory; ``None`` when missing or failing to import."""
    try:
        return read_config()
    except Exception:
        return None


def read_config() -> OxydeConfig | None:
    """Like ``load_config`` but lets an error raised while importing the file propagate."""
    if not Path(CONFIG_FILE).is_file():
        return None
    _cwd_on_path()
    if "oxyde_config" in sys.modules:
        module = importlib.reload(sys.modules["oxyde_config"])
    else:
        module = importlib.import_module("oxyde_config")
    return OxydeConfig(
        models=list(getattr(module, "MODELS", []) or []),
        dialect=str(getattr(module, "DIALECT", "postgres")),
        migrations_dir=str(getattr(module, "MIGRATIONS_DIR", "migrations")),
        databases=dict(getattr(module, "DATABASES", {}) or {}),
    )


def import_models(modules: list[str]) -> int:
    """Import each model module; an ``ImportError`` warns and skips. Returns how many imported."""
    _cwd_on_path()
    count = 0
    for name in modules:
        try:
            importlib.import_module(name)
        except ImportError as exc:
            import typer

            typer.secho(f"Warning: cannot import models module '{name}': {exc}", fg="yellow", err=True)
            continue
        count += 1
    return count


def generate_config_file(
    models: list[str],
    dialect: str = "postgres",
    migrations_dir: str = "migrations",
    databases: dict[str, str] | None = None,
) -> str:
    """The text of an ``oxyde_config.py``."""
    if databases is None:
        databases = {"default": DEFAULT_URL}
    return (
        '"""Oxyde project configuration, read by the `oxyde` command line."""\n\n'
        "# Modules defining table models, imported by makemigrations\n"
        f"MODELS = {list(models)!r}\n\n"
        "# SQL dialect migrations are generated and previewed for: postgres, sqlite or mysql\n"
        f"DIALECT = {dialect!r}\n\n"
        "# Directory of migration files, relative to this file's directory\n"
        f"MIGRATIONS_DIR = {migrations_dir!r}\n\n"
        "# Connection URLs by alias; migrate and showmigrations use 'default' unless --db-alias\n"
        f"DATABASES = {dict(databases)!r}\n"
    )


def save_config(
    models: list[str],
    dialect: str = "postgres",
    migrations_dir: str = "migrations",
    databases: dict[str, str] | None = None,
    path: Path | None = None,
) -> Path:
    """Write the config file (``./oxyde_config.py`` by default)."""
    target = Path(path) if path is not None else Path(CONFIG_FILE)
    target.write_text(generate_config_file(models, dialect, migrations_dir, databases), encoding="utf-8")
    return target
