"""Reliability suite plumbing: each test records the figure it measured; the run ends with one line per item."""

from __future__ import annotations

from collections.abc import Callable

import pytest

# The items of the reliability guarantee, in the order docs/reliability.md lists them.
ITEMS = {
    "ir": "1 malformed IR",
    "injection": "2 injection",
    "cancellation": "3 cancellation",
    "load": "4 pool exhaustion and load",
    "restart": "5 database restart",
    "leaks": "6 no leaks",
    "secrets": "7 secrets",
    "tls": "8 TLS",
    "pgbouncer": "9 PgBouncer",
}

_FIGURES: dict[str, list[str]] = {}


@pytest.fixture
def report_figure() -> Callable[[str, str], None]:
    """``report_figure("load", "1000 tasks, pool 10: max loop lag 12 ms")`` adds a line to the run's summary."""

    def record(item: str, text: str) -> None:
        if item not in ITEMS:
            raise KeyError(f"unknown reliability item {item!r}; one of {sorted(ITEMS)}")
        _FIGURES.setdefault(item, []).append(text)

    return record


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not _FIGURES:
        return
    terminalreporter.section("reliability figures")
    for key, title in ITEMS.items():
        for text in _FIGURES.get(key, ["not run"]):
            terminalreporter.write_line(f"{title}: {text}")


# The private servers of items 5, 8 and 9: imported here once so each starts once per session.
from reliability.servers import mariadb_server, pg_server, pgbouncer  # noqa: E402, F401
