"""Statement logging on the ``oxyde.sql`` logger.

The core reports every statement it runs: at DEBUG the SQL, the parameter
count, the rows read or affected and the duration; statements slower than the
slow-query threshold (one second unless configured) at WARNING. Parameter
values are logged only after ``configure_sql_logging(log_params=True)``.

```python
import logging
logging.basicConfig()
logging.getLogger("oxyde.sql").setLevel(logging.DEBUG)
```

Each record carries ``sql``, ``rows``, ``duration_ms`` and ``database`` (the
pool alias) as attributes, for structured handlers. With the logger off, a
statement costs two level checks here and nothing in the core.
"""

from __future__ import annotations

import logging
from typing import Any

__all__ = ["LOGGER", "configure_sql_logging"]

LOGGER = logging.getLogger("oxyde.sql")

_DEFAULT_SLOW_SECONDS = 1.0

_slow_seconds: float | None = _DEFAULT_SLOW_SECONDS
_log_params = False
_pushed: tuple[str | None, bool] | None = None  # what the core was last told


def configure_sql_logging(
    *, log_params: bool = False, slow_query_threshold: float | None = _DEFAULT_SLOW_SECONDS
) -> None:
    """Choose what statement records hold and when a statement counts as slow.

    ``log_params``: include bound parameter values (off by default: they may
    hold personal data). ``slow_query_threshold``: seconds from which a
    statement is logged at WARNING; ``None`` turns slow-query warnings off.
    """
    global _slow_seconds, _log_params, _pushed
    if slow_query_threshold is not None and not slow_query_threshold >= 0:
        raise ValueError(f"slow_query_threshold must be >= 0 seconds or None, got {slow_query_threshold!r}")
    _slow_seconds = slow_query_threshold
    _log_params = log_params
    _pushed = None
    sync()


def sync() -> None:
    """Tell the core which statement events the logger wants now (called before each statement)."""
    global _pushed
    if LOGGER.isEnabledFor(logging.DEBUG):
        wanted: tuple[str | None, bool] = ("debug", _log_params)
    elif _slow_seconds is not None and LOGGER.isEnabledFor(logging.WARNING):
        wanted = ("warning", False)
    else:
        wanted = (None, False)
    if wanted != _pushed:
        core = _core()
        if _pushed is None:  # first statement, or settings changed
            core.set_slow_query_threshold(_slow_seconds)
        level, params = wanted
        core.configure_sql_events(_emit if level else None, level, params)
        _pushed = wanted


def _emit(event: dict[str, Any]) -> None:
    """Receives one statement event from the core (on a core thread)."""
    level = logging.WARNING if event["level"] == "warning" else logging.DEBUG
    if not LOGGER.isEnabledFor(level):
        return
    sql = event.get("sql", "")
    duration_ms = event.get("duration_us", 0) / 1000
    rows = event.get("rows", 0)
    message = "%s -- %d params, %d rows, %.3f ms"
    args: list[Any] = [sql, event.get("param_count", 0), rows, duration_ms]
    if "params" in event:
        message += ", params %s"
        args.append(event["params"])
    if event.get("error"):
        message += ", failed: %s"
        args.append(event["error"])
    if event.get("slow"):
        message = "slow statement: " + message
    extra = {"sql": sql, "rows": rows, "duration_ms": duration_ms, "database": event.get("pool")}
    LOGGER.log(level, message, *args, extra=extra)


def _core() -> Any:
    from oxyde import _core

    return _core
