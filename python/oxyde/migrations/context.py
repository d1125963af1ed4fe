"""``MigrationContext``: the ``ctx`` a migration's ``upgrade``/``downgrade`` calls.

Both modes record operation dicts; execute mode also keeps ``ctx.execute``
SQL and refuses ``require_manual``. The executor renders the recorded list
against the schema at that step, after the function returns.
"""

from __future__ import annotations

from typing import Any

from oxyde.migrations.utils import normalize_field_dict

__all__ = ["MigrationContext"]

_CHANGE_KEYS = ("column_type", "db_type", "nullable", "default", "unique", "max_length", "max_digits", "decimal_places")


class MigrationContext:
    def __init__(
        self,
        mode: str = "execute",
        db_alias: str | None = None,
        dialect: str | None = None,
        db_conn: Any = None,
        schema_state: Any = None,
    ) -> None:
        if mode not in ("collect", "execute"):
            raise ValueError(f"mode must be 'collect' or 'execute', not {mode!r}")
        self.mode = mode
        self.db_alias = db_alias
        self._dialect = dialect or "sqlite"
        self.db_conn = db_conn
        self.schema_state = schema_state
        self._ops: list[dict[str, Any]] = []
        self._has_raw_sql = False

    @property
    def dialect(self) -> str:
        return self._dialect

    @property
    def has_raw_sql(self) -> bool:
        return self._has_raw_sql

    def get_collected_operations(self) -> list[dict[str, Any]]:
        """Schema operations recorded so far (raw SQL left out in collect mode)."""
        if self.mode == "collect":
            return [op for op in self._ops if op["type"] != "execute"]
        return list(self._ops)

    def all_operations(self) -> list[dict[str, Any]]:
        """Every recorded operation, raw SQL included, in call order."""
        return list(self._ops)

    def _add(self, op: dict[str, Any]) -> None:
        self._ops.append(op)

    def create_table(
        self,
        name: str,
        fields: list[dict[str, Any]],
        indexes: list[dict[str, Any]] | None = None,
        foreign_keys: list[dict[str, Any]] | None = None,
        checks: list[dict[str, Any]] | None = None,
        schema: str | None = None,
    ) -> None:
        table: dict[str, Any] = {"name": name, **({"schema": schema} if schema else {})}
        table |= {
            "fields": [normalize_field_dict(f) for f in fields],
            "indexes": list(indexes or []),
            "foreign_keys": list(foreign_keys or []),
            "checks": list(checks or []),
            "comment": None,
        }
        self._add({"type": "create_table", "table": table})

    def drop_table(self, name: str) -> None:
        self._add({"type": "drop_table", "name": name})

    def rename_table(self, old_name: str, new_name: str) -> None:
        self._add({"type": "rename_table", "old_name": old_name, "new_name": new_name})

    def set_table_schema(self, table: str, schema: str | None, old_schema: str | None = None) -> None:
        """Move ``table`` into ``schema`` (``None``: the default one), from ``old_schema``."""
        self._add({"type": "set_table_schema", "table": table, "schema": schema, "old_schema": old_schema})

    def add_column(self, table: str, field: dict[str, Any]) -> None:
        self._add({"type": "add_column", "table": table, "field": normalize_field_dict(field)})

    def drop_column(self, table: str, field_name: str) -> None:
        self._add({"type": "drop_column", "table": table, "field": field_name})

    def rename_column(self, table: str, old_name: str, new_name: str) -> None:
        self._add({"type": "rename_column", "table": table, "old_name": old_name, "new_name": new_name})

    def alter_column(self, table: str, field_name: str, **changes: Any) -> None:
        legacy = changes.pop("type", None) or changes.pop("python_type", None)
        if legacy is not None and "column_type" not in changes:
            changes["column_type"] = (
                legacy
                if isinstance(legacy, dict)
                else normalize_field_dict({"name": field_name, "python_type": legacy})["column_type"]
            )
        unknown = set(changes) - set(_CHANGE_KEYS)
        if unknown:
            raise TypeError(f"alter_column got unknown keys: {', '.join(sorted(unknown))}")
        self._add({"type": "alter_column", "table": table, "column": field_name, "changes": changes})

    def create_index(self, table: str, index: dict[str, Any]) -> None:
        self._add({"type": "create_index", "table": table, "index": index})

    def drop_index(self, table: str, index_name: str) -> None:
        self._add({"type": "drop_index", "table": table, "name": index_name})

    def add_foreign_key(
        self,
        table: str,
        name: str,
        columns: list[str],
        ref_table: str,
        ref_columns: list[str],
        on_delete: str = "NO ACTION",
        on_update: str = "NO ACTION",
    ) -> None:
        fk = {
            "name": name,
            "columns": list(columns),
            "ref_table": ref_table,
            "ref_columns": list(ref_columns),
            "on_delete": on_delete,
            "on_update": on_update,
        }
        self._add({"type": "add_foreign_key", "table": table, "fk": fk})

    def drop_foreign_key(self, table: str, name: str) -> None:
        self._add({"type": "drop_foreign_key", "table": table, "name": name})

    def add_check(self, table: str, name: str, expression: str) -> None:
        self._add({"type": "add_check", "table": table, "check": {"name": name, "expression": expression}})

    def drop_check(self, table: str, name: str) -> None:
        self._add({"type": "drop_check", "table": table, "name": name})

    def create_enum_type(self, name: str, values: list[str]) -> None:
        self._add({"type": "create_enum_type", "name": name, "values": list(values)})

    def drop_enum_type(self, name: str) -> None:
        self._add({"type": "drop_enum_type", "name": name})

    def add_enum_value(self, name: str, value: str, fields: list[dict[str, Any]] | None = None) -> None:
        self._add({"type": "add_enum_value", "name": name, "value": value, "fields": list(fields or [])})

    def alter_enum_type(self, name: str, old_values: list[str], new_values: list[str]) -> None:
        self._add(
            {"type": "alter_enum_type", "name": name, "old_values": list(old_values), "new_values": list(new_values)}
        )

    def require_manual(self, message: str) -> None:
        if self.mode == "execute":
            raise RuntimeError(message)

    def execute(self, sql: str) -> None:
        if self.mode == "collect":
            self._has_raw_sql = True
        self._add({"type": "execute", "sql": sql})
