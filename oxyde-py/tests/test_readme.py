"""The Python example of oxyde-py/README.md (also the crate docs) runs as written."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_example_runs() -> None:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.DOTALL)
    assert blocks, "no python block in oxyde-py/README.md"
    # A fresh interpreter: the example opens and closes its own pool and runtime.
    done = subprocess.run([sys.executable, "-c", blocks[0]], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
