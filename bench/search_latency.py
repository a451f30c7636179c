"""``python -m bench.search_latency``: the latency of one search, request by request — median
and p99 of the search page for one word, two words, a rare word and a very common word
(``bench.runner.SEARCH_PAGES``), through the whole app in process (view, SQL, template), one
request at a time, so each number is what one reader waits, not a queue's length.

``make bench`` measures the same pages' throughput under load beside the hello ceilings;
``make bench BENCH_ARGS=--search-latency`` runs this instead."""

from __future__ import annotations

import json
import statistics
import time
from datetime import UTC, datetime

import click

from bench import BENCH_DIR
from bench.profile import _app, _database
from bench.runner import SEARCH_PAGES


def _latencies(client, path: str, requests: int) -> list[float]:
    for _ in range(3):  # warm: compiled statements, prepared plans, the page cache of files
        assert client.get(path).status_code == 200, path
    out = []
    for _ in range(requests):
        started = time.perf_counter()
        client.get(path)
        out.append((time.perf_counter() - started) * 1000)
    return out


@click.command()
@click.option("--scale", envvar="BENCH_SCALE", default="100k", show_default=True)
@click.option("--database-url", envvar="BENCH_DATABASE_URL", default="",
              help="PostgreSQL URL of the bench database; SQLite (the cached run file) if empty.")
@click.option("--requests", default=60, show_default=True, help="Measured requests per query.")
def main(scale: str, database_url: str, requests: int) -> None:
    run(scale, database_url, requests)


def run(scale: str, database_url: str, requests: int = 60) -> None:
    """Measure every search of ``SEARCH_PAGES`` and write the results file (also ``make bench
    BENCH_ARGS=--search-latency``)."""
    url, info = _database(scale, database_url)
    app = _app(url)
    client = app.test_client()
    engine = "postgresql" if url.startswith("postgresql") else "sqlite"
    rows = []
    for page in SEARCH_PAGES:
        times = sorted(_latencies(client, page["path"], requests))
        p99 = times[min(len(times) - 1, round(0.99 * (len(times) - 1)))]
        rows.append({"key": page["key"], "label": page["label"], "path": page["path"],
                     "median_ms": round(statistics.median(times), 1), "p99_ms": round(p99, 1),
                     "requests": requests})
        click.echo(f"{page['label']:<32} median {rows[-1]['median_ms']:>7.1f} ms"
                   f"   p99 {rows[-1]['p99_ms']:>7.1f} ms   {page['path']}")
    stamp = datetime.now(UTC)
    out = BENCH_DIR / "results" / f"{stamp:%Y-%m-%d}-{scale}-{engine}-search.json"
    out.write_text(json.dumps({"measured_at": stamp.isoformat(timespec="seconds"),
                               "scale": scale, "database": engine,
                               "search_documents": info.get("search_documents"),
                               "pages": rows}, indent=2))
    click.echo(f"Results: {out}")


if __name__ == "__main__":
    main()
