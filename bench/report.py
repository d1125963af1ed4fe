"""Tables, ratios, geometric means, the target check and the charts."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import common as c

TITLES = {"sqlite": "SQLite", "postgres": "PostgreSQL", "mysql": "MariaDB"}


def ops(results: dict[str, Any], impl: str, workload: str) -> float | None:
    entry = results.get(impl, {}).get(workload, {})
    return entry.get("ops")


def ratio(results: dict[str, Any], impl: str, workload: str, base: str = "raw") -> float | None:
    mine, theirs = ops(results, impl, workload), ops(results, base, workload)
    return mine / theirs if mine and theirs else None


def geomean(values: list[float]) -> float | None:
    values = [v for v in values if v and v > 0]
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else None


def workloads_of(results: dict[str, Any]) -> list[str]:
    seen = {w for per_impl in results.values() for w in per_impl}
    return [w.name for w in c.WORKLOADS if w.name in seen]


def mismatches(results: dict[str, Any]) -> list[str]:
    """Workloads whose first result differs between implementations (a different query is not a comparison)."""
    problems = []
    for workload in workloads_of(results):
        prints = {
            impl: per[workload]["fingerprint"]
            for impl, per in results.items()
            if "fingerprint" in per.get(workload, {})
        }
        if len({repr(v) for v in prints.values()}) > 1:
            problems.append(f"{workload}: " + ", ".join(f"{k}={v}" for k, v in prints.items()))
    return problems


def summary(results: dict[str, Any]) -> dict[str, Any]:
    """Per implementation: ratio to raw per workload and their geometric mean."""
    out: dict[str, Any] = {}
    for impl in results:
        ratios = {w: ratio(results, impl, w) for w in workloads_of(results)}
        out[impl] = {"ratio_to_raw": ratios, "geomean_ratio_to_raw": geomean([r for r in ratios.values() if r])}
    return out


def table(database: str, results: dict[str, Any]) -> str:
    """A Markdown table: ops/s per workload and implementation, Oxyde's ratio to each other one."""
    impls = [i for i in c.IMPLEMENTATIONS if i in results]
    head = ["workload", *(f"{i} ops/s" + (" (x raw)" if i != "raw" else "") for i in impls)]
    others = [i for i in impls if i not in ("oxyde", "raw")] if "oxyde" in impls else []
    head += [f"oxyde/{i}" for i in others]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for workload in workloads_of(results):
        cells = [workload]
        for impl in impls:
            entry = results[impl].get(workload, {})
            cell = f"{entry['ops']:,.0f}" if "ops" in entry else ("error" if "error" in entry else "-")
            r = ratio(results, impl, workload) if impl != "raw" else None
            cells.append(f"{cell} ({r:.2f})" if r else cell)
        for other in others:
            r = ratio(results, "oxyde", workload, other)
            cells.append(f"{r:.2f}" if r else "-")
        lines.append("| " + " | ".join(cells) + " |")
    geo = ["geometric mean, ratio to raw"]
    for impl in impls:
        g = geomean([r for w in workloads_of(results) if (r := ratio(results, impl, w))])
        geo.append(f"{g:.2f}x" if g else "-")
    for other in others:
        g = geomean([r for w in workloads_of(results) if (r := ratio(results, "oxyde", w, other))])
        geo.append(f"{g:.2f}" if g else "-")
    lines.append("| " + " | ".join(geo) + " |")
    noise = ["repeat spread, max/min (geometric mean)"]
    for impl in impls:
        g = geomean([max(e["repeats"]) / min(e["repeats"]) for e in results[impl].values() if e.get("repeats")])
        noise.append(f"{g:.2f}" if g else "-")
    lines.append("| " + " | ".join(noise + [""] * len(others)) + " |")
    return f"### {TITLES.get(database, database)}\n\n" + "\n".join(lines)


def targets(database: str, results: dict[str, Any]) -> list[str]:
    """The issue's targets, each as a PASS/FAIL line (only those this run can judge)."""
    lines = []
    need_pk = 0.5 if database == "sqlite" else 0.9
    r = ratio(results, "oxyde", "select_pk")
    if r is not None:
        lines.append(f"{'PASS' if r >= need_pk else 'FAIL'} select_pk {r:.2f}x raw (target ≥ {need_pk})")
    for other, need in (("sqlalchemy", 2.0), ("tortoise", 1.3)):
        slow = [
            f"{w} {rr:.2f}"
            for w in workloads_of(results)
            if (rr := ratio(results, "oxyde", w, other)) is not None and rr < need
        ]
        if other in results and "oxyde" in results:
            verdict = "PASS" if not slow else "FAIL"
            lines.append(
                f"{verdict} every workload ≥ {need}x {other}" + (f" (below: {', '.join(slow)})" if slow else "")
            )
    measured = [rr for w in workloads_of(results) if (rr := ratio(results, "oxyde", w))]
    g = geomean(measured)
    if g is not None:
        scope = "" if len(measured) == len(c.WORKLOADS) else f" over {len(measured)} of {len(c.WORKLOADS)} workloads"
        lines.append(f"{'PASS' if g >= 0.7 else 'FAIL'} geometric mean {g:.2f}x raw{scope} (target ≥ 0.7)")
    return lines


def chart(database: str, results: dict[str, Any], path: Path, note: str = "") -> None:
    """One grouped bar chart: each implementation's ops/s as a ratio to the raw driver, per workload."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = workloads_of(results)
    impls = [i for i in c.IMPLEMENTATIONS if i in results]
    width = 0.8 / max(1, len(impls))
    fig, ax = plt.subplots(figsize=(max(10, len(names) * 0.75), 5.5))
    for k, impl in enumerate(impls):
        values = [ratio(results, impl, w) or 0.0 for w in names]
        ax.bar([x + (k - (len(impls) - 1) / 2) * width for x in range(len(names))], values, width, label=impl)
    ax.axhline(1.0, color="black", linewidth=0.8)
    ax.set_xticks(range(len(names)))
    ax.set_xticklabels(names, rotation=45, ha="right")
    ax.set_ylabel("ops/s relative to the raw driver (higher is better)")
    ax.set_title(f"{TITLES.get(database, database)}: throughput relative to the raw async driver")
    ax.legend()
    if note:
        fig.text(0.01, 0.01, note, fontsize=7, color="gray")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=90)
    plt.close(fig)


def large_lines(database: str, large: dict[str, Any]) -> list[str]:
    lines = []
    for impl, r in large.items():
        if "error" in r:
            lines.append(f"  {impl:<6} error: {r['error']}")
            continue
        lines.append(
            f"  {impl:<6} {r['rows']:>9,} rows via {r['mode']:<28} {r['rows_per_second']:>11,.0f} rows/s  "
            f"peak RSS +{r['peak_above_baseline_mb']:.1f} MB over {r['baseline_mb']:.0f} MB ({r['peak_method']})"
        )
    return lines


def growth_lines(growth: dict[str, Any]) -> list[str]:
    if "error" in growth:
        return [f"  error: {growth['error']}"]
    b, a = growth["before"], growth["after"]
    lines = [
        f"  {growth['operations']:,} mixed operations ({growth['ops_per_second']:,.0f} ops/s, 10 concurrent) "
        f"after {growth['warmup']:,} warm-up",
        f"  RSS {b['rss_mb']:.1f} MB -> {a['rss_mb']:.1f} MB ({a['rss_mb'] - b['rss_mb']:+.1f} MB)",
    ]
    if growth.get("checkpoints"):
        steps = ", ".join(f"{p['operations']:,}: {p['rss_mb']:.1f}" for p in growth["checkpoints"])
        lines.append(f"  RSS (MB) after each quarter: {steps}")
    if b["pool_stats"] is not None:
        shown = ("size", "idle", "in_use", "max_connections")
        keys = [k for k in shown if k in b["pool_stats"]] or list(b["pool_stats"])

        def brief(stats: dict[str, Any]) -> str:
            return ", ".join(f"{k} {stats.get(k)}" for k in keys)

        lines.append(f"  pool ({b['pool_stats'].get('api')}): {brief(b['pool_stats'])} -> {brief(a['pool_stats'])}")
    if b["server_connections"] is not None:
        lines.append(
            f"  server-side connections to the bench database: {b['server_connections']} -> {a['server_connections']}"
        )
    elif b["pool_stats"] is None:
        lines.append("  connections: SQLite has no server to count them and this build has no pool statistics API")
    return lines


def large_table(run: dict[str, Any]) -> str:
    """One row per database: the raw cursor beside Oxyde's read of the same rows."""
    lines = [
        "| database | rows | raw cursor rows/s | raw peak RSS | Oxyde read | Oxyde rows/s | Oxyde peak RSS |",
        "|---|---|---|---|---|---|---|",
    ]
    for database, data in run["databases"].items():
        raw_read, oxyde_read = data.get("large", {}).get("raw", {}), data.get("large", {}).get("oxyde", {})
        if "rows" not in raw_read or "rows" not in oxyde_read:
            continue
        lines.append(
            f"| {TITLES.get(database, database)} | {oxyde_read['rows']:,} | {raw_read['rows_per_second']:,.0f} | "
            f"+{raw_read['peak_above_baseline_mb']:.1f} MB | {oxyde_read['mode']} | "
            f"{oxyde_read['rows_per_second']:,.0f} | +{oxyde_read['peak_above_baseline_mb']:.1f} MB |"
        )
    return "\n".join(lines)


def growth_table(run: dict[str, Any]) -> str:
    """One row per database: RSS, pool and server connections before and after the mixed operations."""
    lines = [
        "| database | operations | RSS before -> after | pool size/idle/in use before -> after | server connections |",
        "|---|---|---|---|---|",
    ]
    for database, data in run["databases"].items():
        g = data.get("growth", {})
        if "before" not in g:
            continue
        b, a = g["before"], g["after"]

        def pool(stats: dict[str, Any] | None) -> str:
            return "/".join(str(stats.get(k)) for k in ("size", "idle", "in_use")) if stats else "n/a"

        server = "n/a" if b["server_connections"] is None else f"{b['server_connections']} -> {a['server_connections']}"
        lines.append(
            f"| {TITLES.get(database, database)} | {g['operations']:,} | {b['rss_mb']:.1f} -> {a['rss_mb']:.1f} MB "
            f"({a['rss_mb'] - b['rss_mb']:+.1f}) | {pool(b['pool_stats'])} -> {pool(a['pool_stats'])} | {server} |"
        )
    return "\n".join(lines)


def markdown(run: dict[str, Any]) -> str:
    """The whole run as Markdown (what docs/performance.md shows): ``python bench/report.py FILE.json``."""
    parts = [
        f"Command: `{run['command']}` at commit {run.get('commit')}; {run['cpus']} CPUs; "
        f"whole run {run['seconds']:.0f} s."
    ]
    for database, data in run["databases"].items():
        results = {k: v for k, v in data["workloads"].items() if "error" not in v or len(v) > 1}
        parts.append(table(database, results))
        parts.extend(f"RESULT MISMATCH {m}" for m in data.get("mismatches", []))
        parts.append("\n".join(f"- {line}" for line in targets(database, results)))
        if "large" in data:
            large = {k: v for k, v in data["large"].items() if k != "note"}
            parts.append(
                f"Large read ({data['large']['note']}):\n\n```\n" + "\n".join(large_lines(database, large)) + "\n```"
            )
        if "growth" in data:
            parts.append("Growth:\n\n```\n" + "\n".join(growth_lines(data["growth"])) + "\n```")
    parts += ["### Large read", large_table(run), "### Growth", growth_table(run)]
    return "\n\n".join(parts) + "\n"


def charts(run: dict[str, Any], directory: Path) -> None:
    """The charts of a saved run (bench-<database>.png), labelled with its command and commit."""
    note = f"{run['command']} at {run.get('commit')}, {run['cpus']} CPUs"
    for database, data in run["databases"].items():
        results = {k: v for k, v in data["workloads"].items() if "error" not in v or len(v) > 1}
        chart(database, results, directory / f"bench-{database}.png", note)


if __name__ == "__main__":
    import argparse
    import json

    cli = argparse.ArgumentParser(description="Render a run saved with --json: Markdown, and optionally the charts.")
    cli.add_argument("json_file", type=Path)
    cli.add_argument("--charts", type=Path, help="write bench-<database>.png into this directory")
    options = cli.parse_args()
    saved = json.loads(options.json_file.read_text())
    print(markdown(saved))
    if options.charts:
        charts(saved, options.charts)
