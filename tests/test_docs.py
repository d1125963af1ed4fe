"""The documentation stays true: every ```python block runs, and the site builds.

Each page's blocks run in order, in one namespace, in a fresh interpreter
whose working directory is an empty temporary directory (so
``sqlite:///app.db`` lands there). A block may use top-level ``await``; the
page's blocks share one event loop. A block that cannot run against SQLite
(a PostgreSQL URL, a fragment) is preceded by ``<!-- docs: no-run -->`` and
reported as skipped. Conventions: CONTRIBUTING.md, "Documentation".

One test per block, so the count of doc examples shows in the summary. The
page runs once, in a subprocess started by its first block's test.
"""

from __future__ import annotations

import ast
import asyncio
import functools
import inspect
import json
import os
import re
import subprocess
import sys
import tempfile
import traceback
import types
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NO_RUN = "<!-- docs: no-run -->"
_FENCE = re.compile(r"^(?P<indent>\s*)```(?P<lang>[\w+-]*)\s*$")


@dataclass(frozen=True)
class Block:
    page: Path
    line: int  # 1-based line of the first code line
    code: str
    run: bool

    @property
    def id(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"


def pages() -> list[Path]:
    return [*sorted((ROOT / "docs").rglob("*.md")), ROOT / "README.md"]


def python_blocks(page: Path) -> list[Block]:
    """The ```python fences of a page, dedented, with their no-run marks."""
    lines = page.read_text(encoding="utf-8").splitlines()
    found: list[Block] = []
    i = 0
    while i < len(lines):
        start = _FENCE.match(lines[i])
        if start is None:
            i += 1
            continue
        indent = start["indent"]
        end = i + 1
        while end < len(lines) and lines[end].strip() != "```":
            end += 1
        if start["lang"] == "python":
            body = [line.removeprefix(indent) for line in lines[i + 1 : end]]
            previous = next((line.strip() for line in reversed(lines[:i]) if line.strip()), "")
            found.append(Block(page, i + 2, "\n".join(body) + "\n", previous != NO_RUN))
        i = end + 1
    return found


def stray_no_run_marks(page: Path) -> list[int]:
    """Lines of no-run marks not directly followed by a ```python fence."""
    lines = page.read_text(encoding="utf-8").splitlines()
    stray = []
    for n, line in enumerate(lines):
        if line.strip() != NO_RUN:
            continue
        following = next((rest.strip() for rest in lines[n + 1 :] if rest.strip()), "")
        if following != "```python":
            stray.append(n + 1)
    return stray


ALL_BLOCKS = [block for page in pages() for block in python_blocks(page)]


@functools.cache
def page_results(page: Path) -> dict[int, dict[str, str]]:
    """Runs a page in a subprocess; first code line -> {"status", "error"}.

    The subprocess gets the blocks collected here, not the file, so an edit
    to the page during the run cannot shift them.
    """
    with tempfile.TemporaryDirectory(prefix="oxyde-docs-") as tmp:
        blocks = Path(tmp) / "blocks.json"
        blocks.write_text(json.dumps([[b.line, b.code, b.run] for b in ALL_BLOCKS if b.page == page]))
        report = Path(tmp) / "report.json"
        work = Path(tmp) / "work"
        work.mkdir()
        proc = subprocess.run(
            [sys.executable, "-W", "error", __file__, str(page), str(blocks), str(report)],
            cwd=work,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if not report.exists():
            pytest.fail(f"the docs runner died on {page} (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
        results: dict[str, dict[str, str]] = json.loads(report.read_text())
    return {int(line): outcome for line, outcome in results.items()}


@pytest.mark.parametrize("block", ALL_BLOCKS, ids=[b.id for b in ALL_BLOCKS])
def test_doc_example_runs(block: Block) -> None:
    if not block.run:
        pytest.skip(f"marked {NO_RUN}")
    outcome = page_results(block.page)[block.line]
    if outcome["status"] != "ok":
        pytest.fail(f"{block.id}: {outcome['status']}\n{outcome['error']}", pytrace=False)


def test_no_run_marks_precede_python_blocks() -> None:
    stray = {str(p.relative_to(ROOT)): lines for p in pages() if (lines := stray_no_run_marks(p))}
    assert stray == {}, f"{NO_RUN} must sit right before a ```python fence"


def test_docs_have_examples_to_run() -> None:
    runnable = [b for b in ALL_BLOCKS if b.run]
    # The no-run escape hatch is for the few blocks SQLite cannot run.
    assert len(runnable) >= 4 * (len(ALL_BLOCKS) - len(runnable)), [b.id for b in ALL_BLOCKS if not b.run]


def test_mkdocs_build_strict(tmp_path: Path) -> None:
    try:
        import mkdocs  # noqa: F401
    except ImportError:
        pytest.fail("mkdocs is not installed in this environment; `cargo xtask test` installs it (DEV in venv.rs)")
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml"), "-d", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert proc.returncode == 0, f"mkdocs build --strict failed:\n{proc.stdout}\n{proc.stderr}"
    assert (tmp_path / "index.html").exists()
    assert (tmp_path / "reference" / "index.html").exists()


# --- the runner, in the subprocess ---------------------------------------------


def _run_page(blocks: list[Block]) -> dict[int, dict[str, str]]:
    # A real module, so pydantic resolves forward references among the page's models.
    module = types.ModuleType("docs_example")
    sys.modules[module.__name__] = module
    namespace = module.__dict__
    results: dict[int, dict[str, str]] = {}
    failed = False
    loop = asyncio.new_event_loop()
    try:
        for block in blocks:
            if not block.run:
                continue
            if failed:
                results[block.line] = {"status": "not reached: an earlier block of the page failed", "error": ""}
                continue
            try:
                _run_block(block, namespace, loop)
                results[block.line] = {"status": "ok", "error": ""}
            except BaseException:
                failed = True
                results[block.line] = {"status": "failed", "error": traceback.format_exc()}
        loop.run_until_complete(_close_pools())
    finally:
        loop.close()
    return results


def _run_block(block: Block, namespace: dict[str, object], loop: asyncio.AbstractEventLoop) -> None:
    # Padding keeps traceback line numbers equal to the Markdown file's.
    source = "\n" * (block.line - 1) + block.code
    code = compile(source, str(block.page), "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    if code.co_flags & inspect.CO_COROUTINE:
        loop.run_until_complete(eval(code, namespace))
    else:
        exec(code, namespace)  # not inside the loop: asyncio.run() works here


async def _close_pools() -> None:
    from oxyde import db

    await db.close()


if __name__ == "__main__":
    page_path, blocks_path, report_path = (Path(arg) for arg in sys.argv[1:4])
    page_blocks = [Block(page_path, line, code, run) for line, code, run in json.loads(blocks_path.read_text())]
    report_path.write_text(json.dumps(_run_page(page_blocks)))
