"""The bench's results: a markdown table on stdout and JSON under bench/results/."""

from __future__ import annotations

import json
import os
import platform
from datetime import UTC, datetime
from pathlib import Path

from bench import RESULTS_DIR
from bench.soak import soak_line

TARGET_RATIO, FLOOR_RATIO, QUERY_BUDGET = 0.10, 0.05, 10


def machine() -> dict:
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    total_kb = next((int(line.split()[1]) for line in meminfo if line.startswith("MemTotal")), 0)
    cpu = next((line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    return {"cores": os.cpu_count(), "memory_mb": total_kb // 1024, "cpu": cpu,
            "python": platform.python_version(), "platform": platform.platform(),
            "load_average": Path("/proc/loadavg").read_text().split()[:3]}


def _ms(value) -> str:
    return f"{value:.1f}" if isinstance(value, int | float) else "–"


def _mb(kb) -> str:
    return f"{kb / 1024:.1f}" if isinstance(kb, int | float) else "–"


def hello_reference(run: dict) -> float | None:
    """The hello ceiling as the mean of its runs (first and last): the machine is shared, so
    one run alone may catch a busy or a quiet moment."""
    runs = [c["rps"] for k, c in run["ceilings"].items()
            if k.startswith("hello") and c.get("status") == "ok"]
    return sum(runs) / len(runs) if runs else None


def _hello_for(row: dict, reference: float | None) -> float | None:
    """The hello a row is compared with: the one loaded just before it (runs since 2026-11-23),
    else the run's reference."""
    return row.get("hello_rps_beside") or reference


def table(run: dict) -> str:
    reference = hello_reference(run)
    lines = [
        "| Page | req/s | p50 ms | p99 ms | hello beside req/s | % of hello | CPU ms/req | "
        "SQL/req | KB/resp | worker peak MB | RSS growth MB | notes |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    rows = [{**r, "label": f"*ceiling: {r['label']}*"} for r in run["ceilings"].values()]
    for row in rows + run["pages"]:
        if row.get("status") != "ok":
            lines.append(f"| {row['label']} | {row.get('status', '?')} | | | | | | | | | | "
                         f"`{row.get('path', '')}` |")
            continue
        hello = _hello_for(row, reference)
        ratio = f"{100 * row['rps'] / hello:.1f}%" if hello else "–"
        beside = f"{row['hello_rps_beside']:.0f}" if row.get("hello_rps_beside") else "–"
        mem = row.get("memory", {})
        notes = [f"`{row['path']}`"]
        if row.get("errors"):
            notes.append(f"{row['errors']} errors")
        notes.extend(_verdicts(row, hello))
        if len(row.get("rounds", [])) > 1:
            ratios = sorted(100 * r["ratio"] for r in row["rounds"])
            notes.append(f"median of {len(ratios)} rounds "
                         f"({', '.join(f'{r:.1f}%' for r in ratios)})")
        lines.append(
            f"| {row['label']} | {row['rps']:.0f} | {_ms(row['p50_ms'])} | {_ms(row['p99_ms'])} "
            f"| {beside} | {ratio} | {_ms(row.get('cpu_ms_per_request'))} "
            f"| {row.get('queries') if row.get('queries') is not None else '–'} "
            f"| {row.get('kb_per_response', '–')} | {_mb(mem.get('peak_kb'))} "
            f"| {_mb(mem.get('growth_kb'))} | {'; '.join(notes)} |")
    return "\n".join(lines)


def memory_line(run: dict) -> str:
    """Worker RSS from the first page's warmed-up start to the last page's end (in the order
    they ran: with several rounds, ``page_runs``)."""
    measured = [p["memory"] for p in run.get("page_runs") or run["pages"] if p.get("memory")]
    if not measured:
        return ""
    start, end = measured[0]["rss_before_kb"], measured[-1]["rss_after_kb"]
    return (f"Forum workers' RSS (both): {_mb(start)} MB after the first warm-up, {_mb(end)} MB "
            f"at the end ({_mb(end - start)} MB over the run, pages of different sizes included).")


def _verdicts(row: dict, hello: float | None) -> list[str]:
    """Targets from the issue that this row misses (reads only; the POST has no ratio target)."""
    misses = []
    if row.get("kind") == "page" and row.get("method", "GET") == "GET" and hello:
        ratio = row["rps"] / hello
        if ratio < FLOOR_RATIO:
            misses.append("**below the 5% floor**")
        elif ratio < TARGET_RATIO:
            misses.append("**below the 10% target**")
    if (row.get("queries") or 0) > QUERY_BUDGET:
        misses.append(f"**over {QUERY_BUDGET} queries**")
    return misses


def query_count_table(run: dict) -> str:
    compare = run.get("query_counts_by_scale")
    if not compare:
        return ""
    scales = list(compare)
    lines = ["| Page | " + " | ".join(f"SQL/req at {s}" for s in scales) + " |",
             "|---|" + "---:|" * len(scales)]
    for key, label in ((p["key"], p["label"]) for p in run["pages"]):
        counts = [compare[s].get(key) for s in scales]
        lines.append(f"| {label} | " + " | ".join(
            "–" if c is None else str(c) for c in counts) + " |")
    return "\n".join(lines)


def write_json(run: dict) -> Path:
    RESULTS_DIR.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y-%m-%d")
    path = RESULTS_DIR / f"{stamp}-{run['scale']}-{run['database']}.json"
    path.write_text(json.dumps(run, indent=2, default=str) + "\n")
    return path


def markdown_section(run: dict) -> str:
    """One run as docs/performance.md shows it: what, when, where, then the tables."""
    m = run["machine"]
    loads = [p.get("load_before") for p in run["pages"] if p.get("load_before") is not None]
    parts = [
        f"### {run['scale']} posts on {run['database']} — {run['date']}",
        "",
        f"Machine: {m['cores']} cores ({m['cpu']}), {m['memory_mb'] // 1024} GB, Python "
        f"{m['python']}. Load average (1 min) at the start {m['load_average'][0]}, at the end "
        f"{m.get('load_average_end', ['?'])[0]}"
        + (f", {min(loads):.1f}–{max(loads):.1f} before the pages' runs" if loads else "")
        + f". Hello reference: {run.get('hello_reference_rps') or 0:.0f} req/s "
        f"(mean of the first and last hello runs; a page's % is to the hello loaded just "
        f"before it where the run has one).",
        "",
        table(run),
        "",
        run.get("memory_over_run") or memory_line(run),
    ]
    if run.get("soak"):
        parts += ["", soak_line(run["soak"])]
    counts = query_count_table(run)
    if counts:
        parts += ["", counts]
    return "\n".join(parts)


if __name__ == "__main__":
    import sys

    for name in sys.argv[1:]:
        print(markdown_section(json.loads(Path(name).read_text())) + "\n")
