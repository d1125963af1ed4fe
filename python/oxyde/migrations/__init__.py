"""Schema migrations: snapshots of the models, generated migration files, and
applying them with a tracking table (spec migrations-cli.md)."""

from oxyde.migrations.context import MigrationContext
from oxyde.migrations.executor import apply_migrations, migration_sql, rollback_migration, rollback_migrations
from oxyde.migrations.extract import extract_current_schema
from oxyde.migrations.files import (
    SchemaState,
    get_migration_files,
    get_pending_migrations,
    replay_migrations,
)
from oxyde.migrations.squash import SquashResult, squash_migrations
from oxyde.migrations.tracker import (
    ensure_migrations_table,
    get_applied_migrations,
    record_migration,
    remove_migration,
)
from oxyde.migrations.utils import compute_diff
from oxyde.migrations.writer import generate_migration_file

__all__ = [
    "MigrationContext",
    "SchemaState",
    "SquashResult",
    "apply_migrations",
    "compute_diff",
    "ensure_migrations_table",
    "extract_current_schema",
    "generate_migration_file",
    "get_applied_migrations",
    "get_migration_files",
    "get_pending_migrations",
    "migration_sql",
    "record_migration",
    "remove_migration",
    "replay_migrations",
    "rollback_migration",
    "rollback_migrations",
    "squash_migrations",
]
