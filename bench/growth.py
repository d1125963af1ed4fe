"""No growth: many mixed Oxyde operations, with RSS and the pool's open connections before and after.

Operations run ten at a time so the pool is used at its working size. The
connection count comes from Oxyde's pool statistics when this build has them,
else from the server (pg_stat_activity, the MariaDB process list; SQLite has no
server to ask).
"""

from __future__ import annotations

import asyncio
import gc
import inspect
import time
from typing import Any

import memory
import orm_oxyde
import raw

MIX = [
    "select_pk",
    "filter_simple",
    "filter_in",
    "order_limit",
    "aggregate_count",
    "join_simple",
    "prefetch_related",
    "insert_delete",
    "update_single",
    "select_filter",
]
CONCURRENCY = 10


async def oxyde_pool_stats() -> dict[str, Any] | None:
    """Whatever pool statistics API this build exposes (names tried in order), or None."""
    from oxyde import _core
    from oxyde import db as oxyde_db
    from oxyde.db.registry import lookup_connection

    database = lookup_connection("default")
    candidates = [
        (oxyde_db, "pool_stats", ("default",)),
        (_core, "pool_stats", ("default",)),
        (database, "stats", ()),
        (database, "pool_stats", ()),
    ]
    for owner, name, args in candidates:
        fn = getattr(owner, name, None)
        if callable(fn):
            value = fn(*args)
            if inspect.isawaitable(value):
                value = await value
            stats = value if isinstance(value, dict) else getattr(value, "__dict__", {"value": repr(value)})
            return {"api": f"{getattr(owner, '__name__', type(owner).__name__)}.{name}", **stats}
    return None


async def snapshot(helper: raw.Raw) -> dict[str, Any]:
    gc.collect()
    return {
        "rss_mb": memory.rss() / memory.MB,
        "server_connections": await helper.server_connections(),
        "pool_stats": await oxyde_pool_stats(),
    }


async def run(job: dict[str, Any]) -> dict[str, Any]:
    await orm_oxyde.connect(job["url"])
    helper = raw.driver_for(job["database"], job["url"])
    await helper.connect()
    ops = orm_oxyde.operations()

    async def insert_delete(i: int) -> None:
        # a row in and out again: a table that grew would grow every read's
        # result, and the process's memory with it, leak or no leak
        created = await ops["insert_single"](i)
        await created.delete()

    ops["insert_delete"] = insert_delete
    mix = [ops[name] for name in MIX]

    async def burst(first: int, count: int) -> None:
        for start in range(first, first + count, CONCURRENCY):
            stop = min(start + CONCURRENCY, first + count)
            await asyncio.gather(*(mix[i % len(mix)](i) for i in range(start, stop)))

    try:
        total = int(job["operations"])
        warmup = max(CONCURRENCY, total // 20)
        await burst(0, warmup)
        before = await snapshot(helper)
        # RSS at each quarter: caches level off, a leak keeps climbing.
        checkpoints, done, seconds = [], 0, 0.0
        for quarter in range(1, 5):
            step = total * quarter // 4 - done
            began = time.perf_counter()
            await burst(warmup + done, step)
            seconds += time.perf_counter() - began
            done += step
            gc.collect()
            checkpoints.append({"operations": done, "rss_mb": memory.rss() / memory.MB})
        after = await snapshot(helper)
    finally:
        await helper.close()
        await orm_oxyde.db.close()
    return {
        "operations": total,
        "warmup": warmup,
        "seconds": seconds,
        "ops_per_second": total / seconds,
        "mix": MIX,
        "before": before,
        "checkpoints": checkpoints,
        "after": after,
    }
