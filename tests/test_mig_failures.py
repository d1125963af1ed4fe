"""A migration failing part way: rolled back whole where DDL is transactional,
recorded with its failed step and a recovery hint on MySQL/MariaDB."""

from __future__ import annotations

from pathlib import Path

import pytest

from oxyde import db, execute_raw
from oxyde.migrations import apply_migrations, get_applied_migrations

ALIAS = "mig_fail"


async def q(sql: str) -> list[dict]:
    return await execute_raw(sql, using=ALIAS)


async def test_failure_part_way(database_url: str, dialect: str, tmp_path: Path) -> None:
    mig = tmp_path / "migrations"
    mig.mkdir()
    (mig / "0001_half.py").write_text(
        "def upgrade(ctx):\n"
        '    ctx.create_table("mgf_ok", [{"name": "id", "column_type": {"kind": "big_integer"}, '
        '"nullable": False, "primary_key": True, "unique": False, "auto_increment": True}])\n'
        '    ctx.execute("INSERT INTO mgf_missing VALUES (1)")\n'
    )
    await db.init(**{ALIAS: database_url})
    try:
        for t in ("mgf_ok", "oxyde_migrations", "oxyde_migration_failures"):
            await q(f"DROP TABLE IF EXISTS {t}")
        with pytest.raises(Exception) as info:  # the error class differs per dialect
            await apply_migrations(str(mig), ALIAS)
        assert await get_applied_migrations(ALIAS) == []
        exists = await q(
            "SELECT name FROM sqlite_master WHERE name = 'mgf_ok'"
            if dialect == "sqlite"
            else "SELECT table_name FROM information_schema.tables WHERE table_name = 'mgf_ok'"
            + (" AND table_schema = DATABASE()" if dialect == "mysql" else "")
        )
        if dialect == "mysql":
            assert exists, "MySQL commits DDL statement by statement"
            assert "step 2 of 2" in str(info.value) and "--fake" in str(info.value)
            rows = await q("SELECT name, step, total, hint FROM oxyde_migration_failures")
            assert [(r["name"], r["step"], r["total"]) for r in rows] == [("0001_half", 2, 2)]
        else:
            assert exists == [], "the whole migration is rolled back"
    finally:
        for t in ("mgf_ok", "oxyde_migrations", "oxyde_migration_failures"):
            await q(f"DROP TABLE IF EXISTS {t}")
        await db.close()
