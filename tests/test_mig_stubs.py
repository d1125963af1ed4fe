"""``oxyde generate-stubs``, diff errors and ``migrate <target>`` through the
real console script in a temporary project (SQLite; the stub generator and the
diff never touch a database)."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from oxyde.migrations import compute_diff

OXYDE = Path(sys.executable).parent / "oxyde"

MODELS = """
from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from oxyde import Field, Index, Model


class Status(str, enum.Enum):
    ACTIVE = "active"
    GONE = "gone"


def slugify(text: str) -> str:
    return text.lower()


class StubAuthor(Model):
    id: int | None = Field(default=None, db_pk=True)
    name: str = Field(max_length=40)
    status: Status = Status.ACTIVE
    books: list[StubBook] = Field(db_reverse_fk="author")

    class Meta:
        is_table = True
        table_name = "stub_author"

    def display(self) -> str:
        return self.name.title()


class StubBook(Model):
    id: int | None = Field(default=None, db_pk=True)
    title: str
    price: Decimal = Decimal("0")
    ref: UUID | None = None
    published: datetime | None = None
    author: StubAuthor | None = Field(default=None, db_on_delete="CASCADE")

    class Meta:
        is_table = True
        table_name = "stub_book"
        indexes = [Index(["title"])]
"""

USER = """
from decimal import Decimal
from typing import Any

from typing_extensions import assert_type

from app.models import Status, StubAuthor, StubAuthorManager, StubAuthorQuery, StubBook


async def main() -> None:
    assert_type(StubAuthor.objects, StubAuthorManager)
    query = StubAuthor.objects.filter(name__icontains="a").order_by("-name")
    assert_type(query, StubAuthorQuery)
    assert_type(await query.all(), list[StubAuthor])
    assert_type(await StubBook.objects.get(title="x", author=1, price__gte=Decimal(1)), StubBook)
    assert_type(await StubAuthor.objects.filter(id__in=[1, 2]).exclude(status=Status.GONE).count(), int)
    assert_type(await StubAuthor.objects.values("id", "name").all(), list[dict[str, Any]])
    assert_type(await StubAuthor.objects.values_list("name", flat=True).all(), list[Any])
    assert_type(await StubAuthor.objects.filter(id=1).values_list("id").all(), list[tuple[Any, ...]])
    assert_type(await StubAuthor.objects.get_or_create(name="ann"), tuple[StubAuthor, bool])
    assert_type(await StubBook.objects.create(title="t"), StubBook)
    assert_type(StubAuthor(name="ann").display(), str)
    assert_type(StubAuthor(name="ann").books, list[StubBook])
    assert_type(StubBook(title="t", author_id=1).author_id, int | None)
"""

# wrong lines in a user module: each must be reported by both checkers
USER_ERRORS = """
from app.models import StubAuthor


async def main() -> None:
    await StubAuthor.objects.filter(name__icontains=3).all()
    StubAuthor()
    await StubAuthor.objects.get(nosuchfield__gte=1, id="x")
"""

CYCLE = """
from __future__ import annotations

from oxyde import Field, Model


class CycA(Model):
    id: int | None = Field(default=None, db_pk=True)
    b: CycB = Field(db_on_delete="CASCADE")

    class Meta:
        is_table = True
        table_name = "cyc_a"


class CycB(Model):
    id: int | None = Field(default=None, db_pk=True)
    a: CycA = Field(db_on_delete="CASCADE")

    class Meta:
        is_table = True
        table_name = "cyc_b"
"""


def run(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(OXYDE), *args], cwd=project, capture_output=True, text=True, timeout=120, check=False)


def make_project(root: Path, models: str) -> Path:
    (root / "app").mkdir()
    (root / "app" / "__init__.py").write_text("")
    (root / "app" / "models.py").write_text(models)
    (root / "oxyde_config.py").write_text(
        'MODELS = ["app.models"]\nDIALECT = "sqlite"\nMIGRATIONS_DIR = "migrations"\n'
        f'DATABASES = {{"default": "sqlite:///{root}/app.db"}}\n'
    )
    return root


def test_generate_stubs_writes_a_pyi_that_type_checks(tmp_path: Path) -> None:
    project = make_project(tmp_path, MODELS)
    result = run(project, "generate-stubs")
    assert result.returncode == 0, result.stderr
    stub = (project / "app" / "models.pyi").read_text()
    tree = ast.parse(stub)
    classes = {n.name for n in tree.body if isinstance(n, ast.ClassDef)}
    assert {"Status", "StubAuthor", "StubAuthorQuery", "StubAuthorManager", "StubBookManager"} <= classes
    assert "objects: ClassVar[StubBookManager]" in stub
    assert "author: int | None = None" in stub  # an FK filters by the target key's type
    assert "name__icontains: str | None = None" in stub and "def slugify(text: str) -> str: ..." in stub
    assert "from __future__" not in stub
    assert "table_name = 'stub_book'" in stub and "indexes" not in stub  # Meta keeps the keys of §15
    assert "    author_id: int | None = ...\n" in stub  # the FK column field the ORM adds
    assert "name: str\n" in stub and "    id: int | None = ...\n" in stub  # required fields get no default
    assert "from oxyde import Model\n" in stub and "Field" not in stub.split("class ")[0]  # unused imports dropped


def _checker_errors(project: Path, files: list[str]) -> dict[str, tuple[set[tuple[str, int]], str]]:
    """(file, line) of each error mypy --strict and pyright (strict) report, with their output."""
    mypy_cmd = [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", str(project / ".mypy")]
    mypy = subprocess.run([*mypy_cmd, *files], cwd=project, capture_output=True, text=True, timeout=600, check=False)
    assert mypy.returncode in (0, 1), mypy.stdout + mypy.stderr
    found = {(m[1], int(m[2])) for m in re.finditer(r"^([\w./]+\.pyi?):(\d+): error:", mypy.stdout, re.M)}
    (project / "pyrightconfig.json").write_text('{"typeCheckingMode": "strict"}')
    pyright_bin = Path(sys.executable).parent / "pyright"
    assert pyright_bin.exists(), f"{pyright_bin} is missing: install the dev extra (pip install pyright)"
    pyright = subprocess.run(
        [str(pyright_bin), "--outputjson", "--pythonpath", sys.executable, *files],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    diagnostics = json.loads(pyright.stdout)["generalDiagnostics"]
    errors = [d for d in diagnostics if d["severity"] == "error"]
    return {
        "mypy": (found, mypy.stdout),
        "pyright": (
            {(str(Path(d["file"]).relative_to(project)), d["range"]["start"]["line"] + 1) for d in errors},
            "\n".join(f"{d['file']}:{d['range']['start']['line'] + 1}: {d['message']}" for d in errors),
        ),
    }


def test_generated_stub_type_checks_under_mypy_and_pyright(tmp_path: Path) -> None:
    project = make_project(tmp_path, MODELS)
    assert run(project, "generate-stubs").returncode == 0
    (project / "use.py").write_text(USER)
    (project / "bad.py").write_text(USER_ERRORS)
    wrong = {("bad.py", n) for n, line in enumerate(USER_ERRORS.splitlines(), 1) if line.startswith("    ")}
    for checker, (errors, output) in _checker_errors(project, ["use.py", "bad.py", "app/models.pyi"]).items():
        assert {e for e in errors if e[0] != "bad.py"} == set(), f"{checker}:\n{output}"
        assert {e for e in errors if e[0] == "bad.py"} == wrong, f"{checker}:\n{output}"


def test_makemigrations_regenerates_stubs(tmp_path: Path) -> None:
    project = make_project(tmp_path, MODELS)
    result = run(project, "makemigrations")
    assert result.returncode == 0, result.stderr
    assert len(list((project / "migrations").glob("0001_*.py"))) == 1
    assert "class StubBookQuery(Query[StubBook])" in (project / "app" / "models.pyi").read_text()


def test_fk_cycle_among_new_tables_is_one_clear_error(tmp_path: Path) -> None:
    project = make_project(tmp_path, CYCLE)
    result = run(project, "makemigrations")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "cyclic foreign key dependency among tables: cyc_a, cyc_b" in lines[0], result.stderr
    assert not list((project / "migrations").glob("0*.py"))


def _column(name: str, kind: dict[str, object], *, pk: bool = False) -> dict[str, object]:
    return {
        "name": name,
        "column_type": kind,
        "nullable": False,
        "primary_key": pk,
        "unique": False,
        "default": None,
        "db_type": None,
        "auto_increment": pk,
        "max_length": None,
        "max_digits": None,
        "decimal_places": None,
    }


def _table(name: str, fk_to: str | None = None, extra: list[dict[str, object]] | None = None) -> dict[str, object]:
    fields = [_column("id", {"kind": "big_integer"}, pk=True), *(extra or [])]
    fks = []
    if fk_to is not None:
        fields.append(_column(f"{fk_to}_id", {"kind": "big_integer"}))
        fks.append(
            {
                "name": f"fk_{name}_{fk_to}",
                "columns": [f"{fk_to}_id"],
                "ref_table": fk_to,
                "ref_columns": ["id"],
                "on_delete": "CASCADE",
                "on_update": "CASCADE",
            }
        )
    return {"name": name, "fields": fields, "indexes": [], "foreign_keys": fks, "checks": [], "comment": None}


def _snapshot(*tables: dict[str, object]) -> dict[str, object]:
    return {"version": 1, "tables": {t["name"]: t for t in tables}}


def test_fk_cycle_and_enum_conflict_through_the_python_api() -> None:
    empty = _snapshot()
    with pytest.raises(ValueError, match="cyclic foreign key dependency among tables: cyc_a, cyc_b"):
        compute_diff(empty, _snapshot(_table("cyc_a", "cyc_b"), _table("cyc_b", "cyc_a")))
    # a self-reference is no cycle; the referenced table is created first
    ops = compute_diff(empty, _snapshot(_table("cyc_a", "cyc_a"), _table("cyc_c", "cyc_b"), _table("cyc_b")))
    assert [(op["type"], op["table"]["name"]) for op in ops] == [
        ("create_table", "cyc_a"),
        ("create_table", "cyc_b"),
        ("create_table", "cyc_c"),
    ]
    mood = {"kind": "enum", "name": "mood", "values": ["up", "down"]}
    other = {"kind": "enum", "name": "mood", "values": ["up", "sideways"]}
    conflict = _snapshot(_table("en_a", extra=[_column("m", mood)]), _table("en_b", extra=[_column("m", other)]))
    with pytest.raises(ValueError, match="enum type 'mood' has conflicting value sets"):
        compute_diff(empty, conflict)


def test_migrate_to_the_last_applied_migration_is_a_no_op(tmp_path: Path) -> None:
    project = make_project(tmp_path, MODELS)
    assert run(project, "makemigrations").returncode == 0
    (project / "app" / "models.py").write_text(
        MODELS.replace("    title: str\n", "    title: str\n    pages: int = 0\n")
    )
    assert run(project, "makemigrations").returncode == 0
    assert run(project, "migrate", "0001").returncode == 0
    again = run(project, "migrate", "0001")
    assert again.returncode == 0, again.stderr
    assert "Already at 0001_" in again.stdout and "nothing to do" in again.stdout
    shown = run(project, "showmigrations")
    assert "[✓] 0001_" in shown.stdout and "Pending: 1" in shown.stdout


def test_generate_stub_for_file(tmp_path: Path) -> None:
    from oxyde.codegen import generate_stub_for_file
    from oxyde.models.registry import iter_tables, unregister_table

    before = set(iter_tables())
    source = tmp_path / "loose_models.py"
    source.write_text(MODELS.replace('"stub_', '"loose_'))
    try:
        generate_stub_for_file(source)
    finally:
        for model in set(iter_tables()) - before:
            unregister_table(model)
    stub = (tmp_path / "loose_models.pyi").read_text()
    ast.parse(stub)
    assert "class StubAuthorManager(QueryManager[StubAuthor]):" in stub and "table_name = 'loose_author'" in stub
