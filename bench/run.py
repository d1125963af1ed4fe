"""The benchmark suite: Oxyde beside the raw async driver, SQLAlchemy 2 and Tortoise, in one run.

    cargo xtask bench [--quick] [--json FILE] [sqlite] [postgres] [mysql]
    .venv-bench/bin/python bench/run.py --quick --impl oxyde,raw --workloads select_pk,join_simple postgres

The second line is the fast loop while working on Oxyde's speed: only the
named implementations and workloads, no large-result or growth phase, no
charts (``--impl`` and ``--workloads`` imply ``--no-extras``). See bench/README.md.

For each database: every implementation runs in its own process on freshly
seeded data (created by the raw driver, the same schema for all). Each workload
is checked on its first call (row counts and ids must agree across
implementations), warmed up, then timed in repeats; the median counts. Then
the large-result read (rows/s, peak RSS) and the growth run (RSS and pool
connections before/after many mixed operations).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

import common as c
import raw
import report
from timing import Settings

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
QUICK = Settings(seconds=0.2, repeats=5, min_ops=3, warmup_seconds=0.05)
FULL = Settings(seconds=0.5, repeats=5, min_ops=5, warmup_seconds=0.2)
WORKER_TIMEOUT = 3600


def parse(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("databases", nargs="*", help=f"any of {', '.join(c.DATABASES)} (default: all three)")
    p.add_argument("--quick", action="store_true", help="short repeats, 200k-row large read, 10k growth ops")
    p.add_argument("--impl", "--only", default=",".join(c.IMPLEMENTATIONS), help="comma-separated implementations")
    p.add_argument("--workloads", default="", help="comma-separated workload names (default: all)")
    p.add_argument("--seconds", type=float, help="seconds per timed repeat")
    p.add_argument("--repeats", type=int, help="timed repeats per workload (the median is reported)")
    p.add_argument("--json", type=Path, help="write every figure of the run to this file")
    p.add_argument("--charts", type=Path, default=ROOT / "docs" / "img", help="directory for bench-<db>.png")
    p.add_argument("--no-charts", action="store_true")
    p.add_argument("--no-extras", action="store_true", help="skip the large-result and growth phases")
    p.add_argument("--large-rows", type=int, help="rows in the large read (default 1,000,000; quick 200,000)")
    p.add_argument("--growth-ops", type=int, help="mixed operations in the growth run (default 100,000; quick 10,000)")
    args = p.parse_args(argv)
    args.databases = args.databases or list(c.DATABASES)
    for name in args.databases:
        if name not in c.DATABASES:
            p.error(f"unknown database {name!r}; choose from {', '.join(c.DATABASES)}")
    args.impl = [i for i in args.impl.split(",") if i]
    args.workloads = [w for w in args.workloads.split(",") if w] or [w.name for w in c.WORKLOADS]
    for name in args.impl:
        if name not in c.IMPLEMENTATIONS:
            p.error(f"unknown implementation {name!r}; choose from {', '.join(c.IMPLEMENTATIONS)}")
    for name in args.workloads:
        if name not in c.BY_NAME:
            p.error(f"unknown workload {name!r}; choose from {', '.join(c.BY_NAME)}")
    partial = len(args.impl) < len(c.IMPLEMENTATIONS) or len(args.workloads) < len(c.WORKLOADS)
    args.no_extras = args.no_extras or partial
    args.no_charts = args.no_charts or partial
    base = QUICK if args.quick else FULL
    args.settings = Settings(
        seconds=args.seconds or base.seconds,
        repeats=args.repeats or base.repeats,
        min_ops=base.min_ops,
        warmup_seconds=base.warmup_seconds,
    )
    args.large_rows = args.large_rows or (200_000 if args.quick else 1_000_000)
    args.growth_ops = args.growth_ops or (10_000 if args.quick else 100_000)
    return args


def spawn(job: dict[str, Any], tmp: Path) -> dict[str, Any]:
    """Runs one worker process and returns its JSON result (or the error that stopped it)."""
    out = tmp / f"{job['database']}-{job['implementation']}-{job['mode']}.json"
    out.unlink(missing_ok=True)
    job = {**job, "out": str(out)}
    env = {**os.environ, "PYTHONPATH": str(HERE)}
    try:
        done = subprocess.run(
            [sys.executable, str(HERE / "worker.py"), json.dumps(job)], env=env, timeout=WORKER_TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired:
        return {"error": f"worker timed out after {WORKER_TIMEOUT} s"}
    if done.returncode != 0 or not out.exists():
        return {"error": f"worker exited with {done.returncode}"}
    return json.loads(out.read_text())


async def database_url(database: str, tmp: Path, name: str = c.BENCH_DB) -> str:
    if database == "sqlite":
        return f"sqlite:///{tmp / (name + '.db')}"
    return await raw.ensure_database(database, name)


async def seeded(database: str, url: str, big_rows: int = 0) -> None:
    driver = raw.driver_for(database, url)
    await driver.connect()
    try:
        if big_rows:
            await driver.seed_big(big_rows)
        else:
            await driver.seed()
    finally:
        await driver.close()


def large_rows_for(args: argparse.Namespace) -> tuple[int, str]:
    """Rows for the large read: all of them when Oxyde streams, fewer while it only has all()."""
    import orm_oxyde

    api = orm_oxyde.streaming_api(orm_oxyde.BigRow.objects.filter(id__lte=1))
    if api is None:
        rows = min(args.large_rows, 100_000)
        fewer = f" instead of {args.large_rows:,}" if rows < args.large_rows else ""
        return rows, f"Oxyde has no streaming API yet (pending): all() over {rows:,} rows{fewer}"
    return args.large_rows, f"Oxyde streams through {api}"


class Worker:
    """One implementation's serving process (worker.py in ``serve`` mode), driven line by line."""

    def __init__(self, impl: str, proc: asyncio.subprocess.Process) -> None:
        self.impl, self.proc = impl, proc

    @classmethod
    async def start(cls, impl: str, job: dict[str, Any]) -> Worker:
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            str(HERE / "worker.py"),
            json.dumps({**job, "implementation": impl, "mode": "serve"}),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": str(HERE)},
        )
        worker = cls(impl, proc)
        await worker.reply()  # "ready", or the error that prevented it
        return worker

    async def reply(self) -> Any:
        assert self.proc.stdout is not None
        line = await asyncio.wait_for(self.proc.stdout.readline(), WORKER_TIMEOUT)
        if not line:
            raise RuntimeError(f"{self.impl} worker exited ({await self.proc.wait()})")
        answer = json.loads(line)
        if "error" in answer:
            raise RuntimeError(answer["error"])
        return answer.get("value")

    async def ask(self, cmd: str, workload: str) -> Any:
        assert self.proc.stdin is not None
        self.proc.stdin.write((json.dumps({"cmd": cmd, "workload": workload}) + "\n").encode())
        await self.proc.stdin.drain()
        return await self.reply()

    async def stop(self) -> None:
        if self.proc.returncode is None and self.proc.stdin is not None:
            self.proc.stdin.write(b'{"cmd": "quit"}\n')
            await self.proc.stdin.drain()
        await self.proc.wait()


async def run_workloads(database: str, args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    """Every implementation on its own freshly seeded database; repeats taken round robin."""
    workers: dict[str, Worker] = {}
    results: dict[str, Any] = {}
    try:
        for impl in args.impl:
            url = await database_url(database, tmp, f"{c.BENCH_DB}_{impl}")
            await seeded(database, url)
            job = {"database": database, "url": url, "settings": asdict(args.settings)}
            try:
                workers[impl] = await Worker.start(impl, job)
                results[impl] = {}
            except Exception as exc:
                results[impl] = {"error": f"{type(exc).__name__}: {exc}"}
                print(f"  {impl} did not start: {exc}", file=sys.stderr, flush=True)
        for name in args.workloads:
            live = {}
            for impl, worker in workers.items():
                try:
                    results[impl][name] = {"fingerprint": await worker.ask("check", name), "repeats": []}
                    live[impl] = worker
                except RuntimeError as exc:
                    results[impl][name] = {"error": str(exc)}
            order = list(live)
            for r in range(args.settings.repeats):
                for impl in order[r % len(order) :] + order[: r % len(order)] if order else []:
                    try:
                        results[impl][name]["repeats"].append(await live[impl].ask("repeat", name))
                    except RuntimeError as exc:
                        results[impl][name] = {"error": str(exc)}
                        order.remove(impl)
            cells = []
            for impl in workers:
                entry = results[impl][name]
                if entry.get("repeats"):
                    entry["ops"] = statistics.median(entry["repeats"])
                    cells.append(f"{impl} {entry['ops']:,.0f}")
                else:
                    cells.append(f"{impl} ERROR {entry.get('error', '')[:80]}")
            print(f"    {name:<18} " + " | ".join(cells), file=sys.stderr, flush=True)
    finally:
        for worker in workers.values():
            await worker.stop()
    return results


async def bench_database(database: str, args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    print(f"  {', '.join(args.impl)}: seeding, then {len(args.workloads)} workloads", file=sys.stderr, flush=True)
    out: dict[str, Any] = {"workloads": await run_workloads(database, args, tmp)}
    if args.no_extras:
        return out
    url = await database_url(database, tmp)
    job = {"database": database, "url": url}
    rows, note = large_rows_for(args)
    print(f"  large read: {note}", file=sys.stderr, flush=True)
    began = time.perf_counter()
    await seeded(database, url, big_rows=rows)
    print(f"  seeded {rows:,} rows in {time.perf_counter() - began:.1f} s", file=sys.stderr, flush=True)
    out["large"] = {"note": note}
    for impl in ("raw", "oxyde"):
        large_job = {**job, "implementation": impl, "mode": "large", "rows": rows, "batch": 1000}
        out["large"][impl] = spawn(large_job, tmp)
    await seeded(database, url)
    print(f"  growth: {args.growth_ops:,} mixed Oxyde operations", file=sys.stderr, flush=True)
    out["growth"] = spawn({**job, "implementation": "oxyde", "mode": "growth", "operations": args.growth_ops}, tmp)
    return out


def print_database(database: str, data: dict[str, Any], args: argparse.Namespace) -> None:
    results = {impl: r for impl, r in data["workloads"].items() if "error" not in r or len(r) > 1}
    for impl, r in data["workloads"].items():
        if "error" in r and len(r) == 1:
            print(f"\n{impl} on {database} failed: {r['error']}")
    print()
    print(report.table(database, results))
    for problem in report.mismatches(results):
        print(f"RESULT MISMATCH {problem}")
    for line in report.targets(database, results):
        print(line)
    if "large" in data:
        print(f"\nlarge read ({data['large']['note']}):")
        for line in report.large_lines(database, {k: v for k, v in data["large"].items() if k != "note"}):
            print(line)
    if "growth" in data:
        print("\ngrowth:")
        for line in report.growth_lines(data["growth"]):
            print(line)
    if not args.no_charts and results:
        path = args.charts / f"bench-{database}.png"
        report.chart(database, results, path, note=args.chart_note)
        print(f"\nchart: {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


def git_commit() -> str | None:
    """The checkout the figures belong to (with a + when it has local changes)."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True, cwd=ROOT)
    except OSError:
        return None
    return head.stdout.strip() + ("+" if dirty.stdout.strip() else "") if head.returncode == 0 else None


async def main(argv: list[str]) -> int:
    args = parse(argv)
    args.chart_note = f"bench/run.py {' '.join(argv)} at {git_commit()}, {os.cpu_count()} CPUs"
    run: dict[str, Any] = {
        "command": "bench/run.py " + " ".join(argv),
        "settings": asdict(args.settings),
        "cpus": os.cpu_count(),
        "commit": git_commit(),
        "databases": {},
    }
    began = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for database in args.databases:
            print(f"{database}:", file=sys.stderr, flush=True)
            try:
                data = await bench_database(database, args, Path(tmp))
            except Exception as exc:  # an unreachable server: report it and go on with the others
                print(f"  skipped {database}: {type(exc).__name__}: {exc}", file=sys.stderr)
                continue
            data["summary"] = report.summary({k: v for k, v in data["workloads"].items() if "error" not in v})
            data["mismatches"] = report.mismatches(data["workloads"])
            run["databases"][database] = data
            print_database(database, data, args)
    run["seconds"] = time.perf_counter() - began
    print(f"\nwhole run: {run['seconds']:.0f} s")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(run, indent=1))
        print(f"figures: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1:])))
