"""The public API under mypy --strict and pyright strict: user-style code in
``tests/typing/`` checks clean (``assert_type`` pins the inferred types), and
every line of ``errors_expected.py`` marked ``# expect-error`` is reported,
with no other line, so the check can fail."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

HERE = Path(__file__).parent / "typing"
GOOD = sorted(p.name for p in HERE.glob("*.py") if p.name != "errors_expected.py")
BAD = "errors_expected.py"
BIN = Path(sys.executable).parent

# (file name, line number) of every error a checker reported
Errors = set[tuple[str, int]]


def _run(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=HERE, capture_output=True, text=True, timeout=600, check=False)


def _mypy(tmp: Path) -> tuple[Errors, str]:
    cache = ["--no-incremental", "--cache-dir", str(tmp / ".mypy")]
    out = _run([sys.executable, "-m", "mypy", "--strict", *cache, *GOOD, BAD])
    if out.returncode not in (0, 1):
        pytest.fail(f"mypy did not run:\n{out.stdout}\n{out.stderr}")
    errors = {(m[1], int(m[2])) for m in re.finditer(r"^([\w.]+\.py):(\d+): error:", out.stdout, re.M)}
    return errors, out.stdout


def _pyright(tmp: Path) -> tuple[Errors, str]:
    pyright = BIN / "pyright"
    if not pyright.exists():
        pytest.fail(f"{pyright} is missing: install the dev extra (pip install pyright)")
    out = _run([str(pyright), "--outputjson", "--pythonpath", sys.executable, *GOOD, BAD])
    try:
        report = json.loads(out.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"pyright did not run:\n{out.stdout}\n{out.stderr}")
    errors = {
        (Path(d["file"]).name, d["range"]["start"]["line"] + 1)
        for d in report["generalDiagnostics"]
        if d["severity"] == "error"
    }
    text = "\n".join(
        f"{Path(d['file']).name}:{d['range']['start']['line'] + 1}: {d['message']}"
        for d in report["generalDiagnostics"]
    )
    return errors, text


CHECKERS: dict[str, Callable[[Path], tuple[Errors, str]]] = {"mypy": _mypy, "pyright": _pyright}


@pytest.fixture(scope="module", params=sorted(CHECKERS))
def checked(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Errors, str]:
    return CHECKERS[request.param](tmp_path_factory.mktemp(request.param))


def _marked_lines() -> set[int]:
    lines = (HERE / BAD).read_text().splitlines()
    return {n for n, line in enumerate(lines, 1) if line.rstrip().endswith("# expect-error")}


def test_user_code_checks_clean(checked: tuple[Errors, str]) -> None:
    errors, output = checked
    assert GOOD and not {e for e in errors if e[0] != BAD}, output


def test_wrong_lines_are_reported(checked: tuple[Errors, str]) -> None:
    errors, output = checked
    marked = _marked_lines()
    assert len(marked) >= 10
    assert {line for name, line in errors if name == BAD} == marked, output


def test_assert_type_cases_are_present() -> None:
    # the good files pin the main query shapes; keep the count from silently shrinking
    cases = sum(p.read_text().count("assert_type(") for p in HERE.glob("*_ok.py"))
    assert cases >= 40


def test_query_and_model_layers_check_clean(tmp_path: Path) -> None:
    # the modules behind the public surface; imported modules are analysed but not reported
    package = Path(__file__).parent.parent / "python" / "oxyde"
    layers = [str(package / name) for name in ("models", "queries", "codegen")]
    cache = ["--no-incremental", "--cache-dir", str(tmp_path / ".mypy"), "--follow-imports=silent"]
    out = _run([sys.executable, "-m", "mypy", *cache, *layers])
    assert out.returncode == 0, out.stdout + out.stderr
