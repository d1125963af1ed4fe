"""``execute_raw``: hand-written SQL through the same pools and transactions."""

from __future__ import annotations

from typing import Any

from oxyde.queries.base import SupportsExecute, plain_value
from oxyde.queries.compiler import IR_PROTO
from oxyde.queries.results import resolve, run

__all__ = ["execute_raw"]


async def execute_raw(
    sql: str,
    params: list[Any] | None = None,
    *,
    using: str | None = None,
    client: SupportsExecute | None = None,
) -> list[dict[str, Any]]:
    """Run ``sql`` verbatim with positional ``params``; rows come back as dicts."""
    ir = {"proto": IR_PROTO, "op": "raw", "table": "", "sql": sql, "params": [plain_value(p) for p in params or []]}
    result = await run(await resolve(using, client), ir)
    return [dict(zip(result.columns, row, strict=False)) for row in result.rows]
