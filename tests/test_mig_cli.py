"""The real ``oxyde`` console script in a temporary project directory."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

OXYDE = Path(sys.executable).parent / "oxyde"

MODELS_V1 = """
from oxyde import Model, Field

class CliUser(Model):
    id: int | None = Field(default=None, db_pk=True)
    name: str = Field(max_length=40)
    class Meta:
        is_table = True
        table_name = "cli_user"
"""


def run(project: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(OXYDE), *args], cwd=project, input=stdin, capture_output=True, text=True, timeout=60, check=False
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "app_models.py").write_text(MODELS_V1)
    (tmp_path / "oxyde_config.py").write_text(
        'MODELS = ["app_models"]\nDIALECT = "sqlite"\nMIGRATIONS_DIR = "migrations"\n'
        f'DATABASES = {{"default": "sqlite:///{tmp_path}/app.db"}}\n'
    )
    return tmp_path


def test_no_config_is_one_clear_error(tmp_path: Path) -> None:
    result = run(tmp_path, "makemigrations")
    assert result.returncode == 1
    assert "No oxyde_config.py found" in result.stderr


def test_init_writes_the_config(tmp_path: Path) -> None:
    result = run(tmp_path, "init", stdin="app.models\nsqlite\nsqlite:///app.db\nmigs\n")
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "oxyde_config.py").read_text()
    assert "MODELS = ['app.models']" in text and "DIALECT = 'sqlite'" in text
    assert "MIGRATIONS_DIR = 'migs'" in text and "'default': 'sqlite:///app.db'" in text
    # declining the overwrite exits 0 and keeps the file
    assert run(tmp_path, "init", stdin="n\n").returncode == 0
    assert (tmp_path / "oxyde_config.py").read_text() == text


def test_makemigrations_migrate_show_sql_squash(project: Path) -> None:
    dry = run(project, "makemigrations", "--dry-run")
    assert dry.returncode == 0 and "Would create" in dry.stdout
    assert not (project / "migrations").exists()
    first = run(project, "makemigrations", "--name", "initial")
    assert first.returncode == 0, first.stderr
    assert (project / "migrations" / "0001_initial.py").is_file()
    again = run(project, "makemigrations")
    assert again.returncode == 0 and "No changes detected" in again.stdout
    assert len(list((project / "migrations").glob("*.py"))) == 1
    (project / "app_models.py").write_text(
        MODELS_V1.replace("    class Meta:", "    age: int | None = None\n    class Meta:")
    )
    second = run(project, "makemigrations")
    assert second.returncode == 0 and "0002_add_age_to_cli_user" in second.stdout
    sql = run(project, "sqlmigrate", "0002_add_age_to_cli_user")
    assert sql.returncode == 0 and 'ALTER TABLE "cli_user" ADD COLUMN "age" INTEGER' in sql.stdout
    up = run(project, "migrate")
    assert up.returncode == 0 and "Applied 2 migration(s)" in up.stdout, up.stderr
    assert run(project, "migrate").stdout.strip() == "No pending migrations"
    shown = run(project, "showmigrations")
    assert "[✓] 0001_initial" in shown.stdout and "Pending: 0" in shown.stdout
    back = run(project, "migrate", "0001")
    assert back.returncode == 0 and "Rolled back 1 migration(s)" in back.stdout
    assert "[ ] 0002_add_age_to_cli_user" in run(project, "showmigrations").stdout
    zero = run(project, "migrate", "zero")
    assert zero.returncode == 0 and "0001_initial" in zero.stdout
    missing = run(project, "migrate", "0042")
    assert missing.returncode == 1 and "Migration '0042' not found" in missing.stderr
    squashed = run(project, "migrations", "squash", "--yes")
    assert squashed.returncode == 0, squashed.stderr
    assert [p.name for p in (project / "migrations").glob("*.py")] == ["0001_squashed.py"]
    assert run(project, "makemigrations").stdout.strip() == "No changes detected"


def test_database_errors_exit_1(project: Path) -> None:
    run(project, "makemigrations")
    bad = run(project, "migrate", "--db-alias", "other")
    assert bad.returncode == 1 and "available: default" in bad.stderr
    (project / "oxyde_config.py").write_text(
        'MODELS = ["app_models"]\nDIALECT = "postgres"\nDATABASES = {"default": "postgres://nobody@127.0.0.1:1/none"}\n'
    )
    down = run(project, "showmigrations")
    assert down.returncode == 1 and "Cannot connect to database 'default'" in down.stderr


def test_unmappable_model_and_conflicting_migrations(project: Path) -> None:
    run(project, "makemigrations")
    mig = project / "migrations"
    (mig / "0002_a.py").write_text('depends_on = "0003_b"\ndef upgrade(ctx):\n    pass\n')
    (mig / "0003_b.py").write_text('depends_on = "0002_a"\ndef upgrade(ctx):\n    pass\n')
    cyc = run(project, "makemigrations")
    assert cyc.returncode == 1 and "Circular dependency" in cyc.stderr
    (mig / "0002_a.py").unlink()
    (mig / "0003_b.py").write_text('depends_on = None\ndef upgrade(ctx):\n    ctx.drop_column("cli_user", "nope")\n')
    broken = run(project, "makemigrations")
    assert broken.returncode == 1 and "nope" in broken.stderr
    (mig / "0003_b.py").unlink()
    (project / "app_models.py").write_text(
        MODELS_V1.replace("    class Meta:", "    blob: object = None\n    class Meta:")
    )
    unmapped = run(project, "makemigrations")
    assert unmapped.returncode == 1, unmapped.stdout


def test_help_lists_every_command_and_global_option(tmp_path: Path) -> None:
    top = run(tmp_path, "--help")
    assert top.returncode == 0, top.stderr
    commands = ["init", "makemigrations", "migrate", "showmigrations", "sqlmigrate", "generate-stubs", "migrations"]
    for word in [*commands, "--verbose", "--traceback"]:
        assert word in top.stdout, word
    for command in [*commands[:-1], "migrations squash"]:
        helped = run(tmp_path, *command.split(), "--help")
        assert helped.returncode == 0 and "Usage:" in helped.stdout, (command, helped.stderr)
    assert "--fake" in run(tmp_path, "migrate", "--help").stdout


def test_verbose_prints_the_sql_and_migrate_shows_progress(project: Path) -> None:
    assert run(project, "makemigrations", "--name", "initial").returncode == 0
    (project / "app_models.py").write_text(
        MODELS_V1.replace("    class Meta:", "    age: int | None = None\n    class Meta:")
    )
    assert run(project, "makemigrations").returncode == 0
    up = run(project, "--verbose", "migrate")
    assert up.returncode == 0, up.stderr
    assert "[1/2] Applying 0001_initial" in up.stderr and "[2/2] Applying 0002_add_age_to_cli_user" in up.stderr
    assert 'SQL: CREATE TABLE "cli_user"' in up.stderr
    assert 'ALTER TABLE "cli_user" ADD COLUMN "age"' in up.stderr
    quiet = run(project, "migrate", "zero")
    assert quiet.returncode == 0 and "[1/2] Rolling back 0002_add_age_to_cli_user" in quiet.stderr
    assert "SQL:" not in quiet.stderr  # SQL only with --verbose


def test_errors_are_one_line_unless_traceback(project: Path) -> None:
    (project / "app_models.py").write_text("raise RuntimeError('models exploded')\n")
    plain = run(project, "makemigrations")
    assert plain.returncode == 1
    assert "Error: RuntimeError: models exploded" in plain.stderr
    assert "Traceback" not in plain.stderr
    detailed = run(project, "--traceback", "makemigrations")
    assert detailed.returncode == 1
    assert "Traceback (most recent call last)" in detailed.stderr and "models exploded" in detailed.stderr
    (project / "oxyde_config.py").write_text("raise ValueError('bad config')\n")
    config = run(project, "showmigrations")
    assert config.returncode == 1
    assert config.stderr.strip() == "oxyde_config.py failed to import: ValueError: bad config"
