"""The core exception family under its historical import path (spec exceptions.md §1)."""

from __future__ import annotations

from oxyde.core.errors import *  # noqa: F403  (the same names, one list: oxyde.core.errors.__all__)
from oxyde.core.errors import __all__ as __all__
