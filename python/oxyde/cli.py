"""The ``oxyde`` command line (spec migrations-cli.md §3). Exit 0 on success or
user abort, 1 on any error, with one red line saying what went wrong
(``--traceback`` adds the Python traceback; ``--verbose`` prints the SQL)."""

from __future__ import annotations

import asyncio
import logging
import sys
import traceback
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, NoReturn

import typer

from oxyde.migrations.config import OxydeConfig, import_models, read_config, save_config

app = typer.Typer(
    name="oxyde",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Oxyde: schema migrations and project tools. Settings come from oxyde_config.py in the current directory.",
    epilog="Start with `oxyde init`, then `oxyde makemigrations` and `oxyde migrate`. "
    "`oxyde COMMAND --help` describes each command.",
)
migrations_app = typer.Typer(help="Migration maintenance commands", no_args_is_help=True)
app.add_typer(migrations_app, name="migrations")

_DIALECTS = ("postgres", "sqlite", "mysql")


class _Options:
    """Global flags, set by the callback before any command runs."""

    traceback = False


@app.callback()
def _global_options(
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Print each SQL statement sent to the database."),
    show_traceback: bool = typer.Option(
        False, "--traceback", help="On an error, also print the Python traceback (for bug reports)."
    ),
) -> None:
    _Options.traceback = show_traceback
    if verbose:
        _print_sql()


def _print_sql() -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("SQL: %(message)s"))
    sql_logger = logging.getLogger("oxyde.sql")
    sql_logger.addHandler(handler)
    sql_logger.setLevel(logging.DEBUG)


def main() -> None:
    """Console entry point: an unexpected error is one red line and exit 1, unless ``--traceback``."""
    try:
        app()
    except Exception as exc:  # SystemExit and KeyboardInterrupt pass through
        if _Options.traceback:
            raise
        typer.secho(f"Error: {type(exc).__name__}: {exc}", fg="red", err=True)
        typer.echo("Run again with --traceback to see where it happened.", err=True)
        sys.exit(1)


def _fail(message: str, hint: str | None = None) -> NoReturn:
    if _Options.traceback and sys.exc_info()[1] is not None:
        traceback.print_exc()
    typer.secho(message, fg="red", err=True)
    if hint:
        typer.echo(hint, err=True)
    raise typer.Exit(1)


def _warn(message: str) -> None:
    typer.secho(message, fg="yellow", err=True)


def _config() -> OxydeConfig:
    try:
        config = read_config()
    except Exception as exc:
        _fail(f"oxyde_config.py failed to import: {type(exc).__name__}: {exc}")
    if config is None:
        _fail("No oxyde_config.py found in the current directory.", "Run `oxyde init` to create one.")
    if not config.models:
        _fail("oxyde_config.py lists no MODELS.", 'Add the modules of your table models, e.g. MODELS = ["app.models"].')
    return config


def _models(config: OxydeConfig) -> None:
    if import_models(config.models) == 0:
        _fail("No models module could be imported; check MODELS in oxyde_config.py.")


def _with_database(config: OxydeConfig, alias: str, work: Callable[[], Awaitable[Any]]) -> Any:
    if not config.databases:
        _fail("oxyde_config.py has no DATABASES.", 'Add e.g. DATABASES = {"default": "sqlite:///app.db"}.')
    if alias not in config.databases:
        _fail(f"Database alias '{alias}' is not in DATABASES; available: {', '.join(sorted(config.databases))}.")
    from oxyde.db.pool import AsyncDatabase

    async def run() -> Any:
        database = AsyncDatabase(config.databases[alias], name=alias, overwrite=True)
        try:
            await database.connect()
        except Exception as exc:
            raise _Unreachable(f"Cannot connect to database '{alias}': {exc}") from exc
        try:
            return await work()
        finally:
            await database.disconnect()

    try:
        return asyncio.run(run())
    except _Unreachable as exc:
        _fail(str(exc))


class _Unreachable(Exception):
    pass


@app.command()
def init() -> None:
    """Create oxyde_config.py (interactive)."""
    path = Path("oxyde_config.py")
    if path.exists():
        typer.echo(path.read_text(encoding="utf-8"))
        if not typer.confirm("oxyde_config.py exists. Overwrite it?", default=False):
            raise typer.Exit(0)
    models = typer.prompt("Model module(s)", default="models")
    dialect = typer.prompt("Dialect (postgres, sqlite, mysql)", default="postgres")
    if dialect not in _DIALECTS:
        _warn(f"Unknown dialect '{dialect}'; expected one of {', '.join(_DIALECTS)}.")
    url = typer.prompt("Database URL", default="postgresql://localhost/mydb")
    migrations_dir = typer.prompt("Migrations directory", default="migrations")
    modules = [m for m in models.replace(",", " ").split() if m]
    save_config(modules, dialect, migrations_dir, {"default": url})
    typer.secho("Created oxyde_config.py", fg="green")
    typer.echo("Next: declare table models, then run `oxyde makemigrations` and `oxyde migrate`.")


def _describe(op: dict[str, Any]) -> str:
    t = op["type"]
    if t == "create_table":
        return f"Create table {op['table']['name']}"
    if t == "drop_table":
        return f"Drop table {op['name']}"
    if t == "add_column":
        return f"Add column {op['table']}.{op['field']['name']}"
    if t == "drop_column":
        return f"Drop column {op['table']}.{op['field']}"
    if t == "alter_column":
        return f"Alter column {op['table']}.{op['column']}"
    return t.replace("_", " ").capitalize() + (f" {op['table']}" if isinstance(op.get("table"), str) else "")


@app.command()
def makemigrations(
    name: str | None = typer.Option(None, "--name", help="Migration name (default: inferred)."),
    dry_run: bool = typer.Option(False, "--dry-run/--no-dry-run", help="Show what would be created."),
) -> None:
    """Diff the models against the migrations and write the next migration file."""
    from oxyde.migrations import compute_diff, extract_current_schema, generate_migration_file, replay_migrations

    config = _config()
    _models(config)
    try:
        current = extract_current_schema(dialect=config.dialect)
    except Exception as exc:
        _fail(f"Cannot map the models to a schema: {exc}")
    if not current["tables"]:
        _warn("No table models are registered (Meta.is_table = True).")
    directory = Path(config.migrations_dir)
    if not dry_run:
        directory.mkdir(parents=True, exist_ok=True)
    try:
        previous = replay_migrations(directory)
    except Exception as exc:
        _fail(f"Cannot replay existing migrations: {exc}")
    try:
        ops = compute_diff(previous, current)
    except ValueError as exc:
        _fail(f"Cannot compute the migration: {exc}")
    if not ops:
        typer.echo("No changes detected")
        return
    for op in ops:
        if op["type"] == "alter_enum_type":
            typer.secho(f"  ! Alter enum {op['name']} (manual migration required)", fg="yellow")
        else:
            typer.echo(f"  - {_describe(op)}")
    if any(op["type"] == "alter_enum_type" for op in ops):
        _warn("An enum lost or reordered values: edit the generated require_manual(...) before migrating.")
    if dry_run:
        typer.echo(f"Would create migration '{name or 'auto'}' with {len(ops)} operation(s) (dry run)")
        return
    path = generate_migration_file(ops, directory, name)
    typer.secho(f"Created {path}", fg="green")
    try:
        _write_stubs()
    except Exception as exc:
        _warn(f"Type stubs not regenerated: {exc}")


@app.command()
def migrate(
    target: str | None = typer.Argument(None, help="Migration name or number, or 'zero'."),
    fake: bool = typer.Option(False, "--fake/--no-fake", help="Record without running SQL."),
    db_alias: str = typer.Option("default", "--db-alias", help="Database alias from DATABASES."),
) -> None:
    """Apply pending migrations, migrate to TARGET, or roll back to zero."""
    from oxyde.migrations import apply_migrations, get_applied_migrations, get_migration_files, rollback_migrations

    config = _config()
    directory = config.migrations_dir

    apply_step, rollback_step = _progress("Applying"), _progress("Rolling back")

    async def work() -> tuple[str, list[str]]:
        applied = await get_applied_migrations(db_alias)
        files = [p.stem for p in get_migration_files(directory)]
        if target is not None and target.lower() == "zero":
            return "rolled", await rollback_migrations(len(applied), directory, db_alias, fake, rollback_step)
        if target is not None:
            match = next((n for n in files if n == target or n.startswith(target)), None)
            if match is None:
                raise LookupError(f"Migration '{target}' not found")
            last = max((files.index(n) for n in applied if n in files), default=-1)
            idx = files.index(match)
            if idx < last:
                return "rolled", await rollback_migrations(last - idx, directory, db_alias, fake, rollback_step)
            if match in applied:
                # spec §3.3 lets the last applied target be a no-op rather than an error
                return f"Already at {match}; nothing to do", []
            return "applied", await apply_migrations(directory, db_alias, match, fake, apply_step)
        return "applied", await apply_migrations(directory, db_alias, None, fake, apply_step)

    try:
        kind, names = _with_database(config, db_alias, work)
    except typer.Exit:
        raise
    except LookupError as exc:
        _fail(str(exc.args[0]))
    except Exception as exc:
        _fail(f"Error applying migrations: {exc}")
    if not names:
        messages = {"rolled": "Nothing to roll back", "applied": "No pending migrations"}
        typer.echo(messages.get(kind, kind))
        return
    verb = "Rolled back" if kind == "rolled" else "Applied"
    typer.secho(f"{verb} {len(names)} migration(s):", fg="green")
    for n in names:
        typer.echo(f"  {n}")


def _progress(verb: str) -> Callable[[int, int, str], None]:
    """A line per migration as it starts, so a long run shows where it is."""

    def step(number: int, total: int, name: str) -> None:
        typer.echo(f"  [{number}/{total}] {verb} {name} ...", err=True)

    return step


@app.command()
def showmigrations(db_alias: str = typer.Option("default", "--db-alias", help="Database alias.")) -> None:
    """List migrations and whether each is applied."""
    from oxyde.migrations import get_applied_migrations, get_migration_files

    config = _config()

    async def work() -> list[str]:
        return await get_applied_migrations(db_alias)

    try:
        applied = _with_database(config, db_alias, work)
        files = get_migration_files(config.migrations_dir)
    except typer.Exit:
        raise
    except Exception as exc:
        _fail(f"Error reading migrations: {exc}")
    if not files:
        typer.echo("No migrations found")
        return
    for p in files:
        if p.stem in applied:
            typer.secho(f"  [✓] {p.stem}", fg="green")
        else:
            typer.echo(f"  [ ] {p.stem}")
    typer.echo(f"Total: {len(files)}  Applied: {len(applied)}  Pending: {len(files) - len(applied)}")


@app.command()
def sqlmigrate(name: str = typer.Argument(..., help="Migration file name (without .py).")) -> None:
    """Print the SQL a migration would run, without touching the database."""
    from oxyde.migrations.executor import migration_sql
    from oxyde.migrations.files import collect_operations, replay_migrations

    config = _config()
    path = Path(config.migrations_dir) / f"{name}.py"
    if not path.is_file():
        _fail(f"Migration '{name}' not found in {config.migrations_dir}")
    try:
        ops = collect_operations(path, config.dialect).get_collected_operations()
        stmts = migration_sql(path, config.dialect, schema=replay_migrations(config.migrations_dir, upto=name))
    except Exception as exc:
        _fail(f"Cannot render migration '{name}': {exc}")
    typer.echo(f"-- Generated SQL ({config.dialect}):")
    for op in ops:
        if op["type"] == "alter_enum_type":
            typer.echo(f"-- manual migration required: enum {op['name']} {op['old_values']} -> {op['new_values']}")
    if not stmts:
        typer.echo("-- No operations (empty migration)")
    for sql in stmts:
        typer.echo(f"{sql};\n")


@app.command("generate-stubs")
def generate_stubs() -> None:
    """Write a .pyi stub next to each module of table models."""
    config = _config()
    _models(config)
    try:
        _write_stubs()
    except Exception as exc:
        _fail(f"Cannot generate stubs: {exc}")


def _write_stubs() -> None:
    from oxyde.codegen import generate_stubs_for_models, write_stubs

    stubs = generate_stubs_for_models()
    if not stubs:
        _warn("No table models are registered (Meta.is_table = True); no stubs written.")
    write_stubs(stubs)


@migrations_app.command("squash")
def squash(
    name: str = typer.Option("squashed", "--name", help="Name of the new file."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation."),
) -> None:
    """Replace every migration file by one building the final schema."""
    from oxyde.migrations import get_migration_files, squash_migrations

    config = _config()
    files = get_migration_files(config.migrations_dir)
    if not files:
        typer.echo("Nothing to squash")
        return
    typer.echo("Files to replace:")
    for p in files:
        typer.echo(f"  {p.name}")
    if not yes and not typer.confirm("Squash these migrations?", default=False):
        raise typer.Exit(0)
    try:
        result = squash_migrations(config.migrations_dir, name=name)
    except Exception as exc:
        _fail(f"Squash failed (nothing deleted): {exc}")
    typer.secho(
        f"Created {result.new_file} ({result.table_count} tables); deleted {len(result.deleted_files)} files",
        fg="green",
    )
    for f in result.raw_sql_files:
        _warn(f"Raw SQL of {f} was not carried over")
    typer.echo("Next: `oxyde migrate` on fresh databases, `oxyde migrate --fake` on deployed ones.")
