"""Item 1: malformed IR. Coverage-guided fuzzing of IR decoding and of decode + render through every dialect,
and the property test of valid IR rendered and run on SQLite."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FUZZ = ROOT / "fuzz"
# Per target; OXYDE_FUZZ_SECONDS raises it for a longer run.
FUZZ_SECONDS = int(os.environ.get("OXYDE_FUZZ_SECONDS", "45"))


def _cargo_fuzz() -> str:
    found = shutil.which("cargo-fuzz")
    if found is None:
        pytest.fail("cargo-fuzz not found: `cargo install cargo-fuzz --locked` (.ci/run does)")
    return found


@pytest.mark.parametrize("target", ["decode", "decode_render"])
def test_fuzz_target_runs_without_a_crash(
    target: str, tmp_path: Path, report_figure: Callable[[str, str], None]
) -> None:
    _cargo_fuzz()
    # cargo-fuzz asks for nightly compiler flags; RUSTC_BOOTSTRAP lets the stable toolchain accept them.
    env = dict(os.environ, RUSTC_BOOTSTRAP="1")
    found = tmp_path / "found"  # new inputs go here; the committed corpus is only read
    found.mkdir()
    cmd = [
        "cargo", "fuzz", "run", "-O", target, str(found), str(FUZZ / "corpus" / target), "--",
        f"-max_total_time={FUZZ_SECONDS}", f"-artifact_prefix={tmp_path}/", "-print_final_stats=1",
    ]  # fmt: skip
    done = subprocess.run(cmd, cwd=FUZZ, env=env, capture_output=True, text=True, timeout=1800, check=False)
    crashes = [p.name for p in tmp_path.iterdir() if p.is_file()]
    assert done.returncode == 0 and not crashes, (
        f"fuzz target {target} failed (exit {done.returncode}, artifacts {crashes}):\n{done.stderr[-4000:]}"
    )
    runs = re.search(r"Done (\d+) runs in (\d+) second", done.stderr)
    assert runs, f"no libFuzzer summary in the output:\n{done.stderr[-2000:]}"
    report_figure("ir", f"cargo fuzz {target}: {runs.group(1)} executions in {runs.group(2)} s, 0 crashes")


def test_valid_ir_property_test_runs_on_sqlite(report_figure: Callable[[str, str], None]) -> None:
    cmd = ["cargo", "test", "-q", "-p", "oxyde-exec", "--test", "valid_ir_sqlite", "--", "--nocapture"]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=1800, check=False)
    assert done.returncode == 0, f"property test failed:\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
    line = re.search(r"valid IR on SQLite: .*", done.stdout)
    assert line, done.stdout[-2000:]
    report_figure("ir", f"proptest, {line.group(0)}")
