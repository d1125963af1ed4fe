"""One implementation on one database, in its own process: ``python bench/worker.py '<json job>'``.

Jobs (``mode``): ``serve`` (answer run.py's commands over stdin/stdout: check
a workload's first result, warm it up, time one repeat), ``large`` (read a
big table: rows/s and peak RSS over the baseline) and ``growth`` (many mixed
Oxyde operations: RSS and pool connections before and after). ``large``
and ``growth`` write their result as JSON to ``job["out"]``.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import os
import sys
import traceback
from pathlib import Path
from typing import Any

import common as c
import memory
import raw
from fingerprint import fingerprint
from timing import Runner, Settings

MODULES = {"raw": "raw", "oxyde": "orm_oxyde", "sqlalchemy": "orm_sqlalchemy", "tortoise": "orm_tortoise"}


class Session:
    """A worker serving run.py's commands for one implementation: check, warm up, one timed repeat."""

    def __init__(self, job: dict[str, Any]) -> None:
        self.job = job
        self.settings = Settings(**job["settings"])
        self.runners: dict[str, Runner] = {}

    async def open(self) -> None:
        module = importlib.import_module(MODULES[self.job["implementation"]])
        self.ops, self.close_ops = await module.open_implementation(self.job["database"], self.job["url"])
        self.helper = raw.driver_for(self.job["database"], self.job["url"])  # refills delete_single, untimed
        await self.helper.connect()

    async def close(self) -> None:
        await self.helper.close()
        await self.close_ops()

    async def check(self, name: str) -> Any:
        """Builds the runner, makes the first call and warms up; returns the result's fingerprint."""
        workload = c.BY_NAME[name]
        hook = self.helper.add_deletable if name == "delete_single" else None
        runner = Runner(self.ops[name], workload.weight, hook)
        result = fingerprint(workload.kind, await runner.first())
        await runner.warm_up(self.settings)
        self.runners[name] = runner
        return result

    async def repeat(self, name: str) -> float:
        return await self.runners[name].repeat(self.settings)


async def serve(job: dict[str, Any]) -> None:
    """Answers one JSON command per stdin line with one JSON line on the protocol channel."""
    protocol = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # whatever a library prints goes to stderr, never into the protocol
    session = Session(job)
    loop = asyncio.get_running_loop()
    try:
        await session.open()
        protocol.write(json.dumps({"ready": True}) + "\n")
        while line := await loop.run_in_executor(None, sys.stdin.readline):
            command = json.loads(line)
            if command["cmd"] == "quit":
                break
            try:
                method = session.check if command["cmd"] == "check" else session.repeat
                reply = {"value": await method(command["workload"])}
            except Exception as exc:  # one broken workload must not stop the others
                traceback.print_exc()
                reply = {"error": f"{type(exc).__name__}: {exc}"}
            protocol.write(json.dumps(reply) + "\n")
    except Exception as exc:
        traceback.print_exc()
        protocol.write(json.dumps({"error": f"{type(exc).__name__}: {exc}"}) + "\n")
    finally:
        await session.close()


async def run_large(job: dict[str, Any]) -> dict[str, Any]:
    """Reads every row of big_rows once, counting them; the peak RSS above the start is the cost of the read."""
    rows, batch = job["rows"], job["batch"]
    if job["implementation"] == "raw":
        driver = raw.driver_for(job["database"], job["url"])
        await driver.connect()
        sql = f"SELECT id, name, score, active FROM {raw.BIG_TABLE} WHERE id <= {int(rows)}"
        try:
            return await memory.measure_read(lambda: driver.stream_count(sql, batch), "cursor")
        finally:
            await driver.close()
    import orm_oxyde

    await orm_oxyde.connect(job["url"])
    try:
        query = orm_oxyde.BigRow.objects.filter(id__lte=rows)
        mode, read = orm_oxyde.reader(query, batch)
        return await memory.measure_read(read, mode)
    finally:
        await orm_oxyde.db.close()


async def run_growth(job: dict[str, Any]) -> dict[str, Any]:
    import growth

    return await growth.run(job)


async def main(job: dict[str, Any]) -> dict[str, Any] | None:
    if job["mode"] == "serve":
        await serve(job)
        return None
    runner = {"large": run_large, "growth": run_growth}[job["mode"]]
    return await runner(job)


if __name__ == "__main__":
    job = json.loads(sys.argv[1])
    result = asyncio.run(main(job))
    if result is not None:
        Path(job["out"]).write_text(json.dumps(result))
