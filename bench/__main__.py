"""``python -m bench`` (``make bench``): seed, serve, load, report. See docs/performance.md."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime

import click

from bench import cluster, report
from bench.client import Session, redirect_target
from bench.database import prepare
from bench.runner import Settings, forum_pages, last_page_path, measure, median_of_rounds
from bench.search_latency import run as measure_searches
from bench.seed import SCALES
from bench.server import Server, forum_env
from bench.soak import soak, soak_line

CEILINGS = (("hello", "Flask hello world", "bench.ceiling_apps:hello_app()"),
            ("jinja", "Flask + Jinja, 20 items", "bench.ceiling_apps:jinja_app()"))


@click.command()
@click.option("--scale", envvar="BENCH_SCALE", default="100k", show_default=True,
              type=click.Choice(["10k", "100k", "1m"]), help="Posts to seed (BENCH_SCALE).")
@click.option("--database-url", envvar="BENCH_DATABASE_URL", default="",
              help="PostgreSQL URL of the bench database (BENCH_DATABASE_URL); SQLite if empty.")
@click.option("--duration", envvar="BENCH_DURATION", default=10, show_default=True,
              help="Seconds of wrk load per page.")
@click.option("--connections", default=8, show_default=True)
@click.option("--threads", default=2, show_default=True)
@click.option("--compare-scale", envvar="BENCH_COMPARE_SCALE", default="10k",
              show_default=True, help="Also count SQL per page at this scale ('none': skip).")
@click.option("--only", default="", help="Comma-separated page keys to run (default: all).")
@click.option("--soak-rounds", envvar="BENCH_SOAK_ROUNDS", default=6, show_default=True,
              help="Rounds over every GET page afterwards, RSS read after each (0: skip).")
@click.option("--soak-seconds", default=3, show_default=True, help="Seconds per page per round.")
@click.option("--rounds", envvar="BENCH_ROUNDS", default=3, show_default=True,
              help="Times every page is loaded; each page reports its median round.")
@click.option("--seed-only", is_flag=True, help="Seed (or find cached) and stop.")
@click.option("--instances", default=1, show_default=True, type=click.IntRange(1, 8),
              help="N > 1: only compare a few pages on 1 and N gunicorn instances sharing one "
                   "port, database and Redis (bench/cluster.py).")
@click.option("--writes", is_flag=True,
              help="Only measure replies per second with 8 concurrent posters.")
@click.option("--search-latency", is_flag=True,
              help="Only measure the median and p99 of each search, one request at a time "
                   "(bench/search_latency.py).")
@click.option("--member-copies/--no-member-copies", default=True, show_default=True,
              help="Members' own page copies (MEMBER_PAGE_CACHE_SECONDS). Off: every "
                   "signed-in page is rendered, as on a member's first view of it.")
@click.option("--redis-url", envvar="BENCH_REDIS_URL", default="redis://127.0.0.1:6379/0",
              show_default=True, help="The Redis of --instances / --writes (BENCH_REDIS_URL).")
def main(scale: str, database_url: str, duration: int, connections: int, threads: int,
         compare_scale: str, only: str, soak_rounds: int, soak_seconds: int, rounds: int,
         seed_only: bool, instances: int, writes: bool, search_latency: bool,
         member_copies: bool, redis_url: str) -> None:
    """Seed a large forum, serve it with gunicorn, load every page with wrk, report."""
    if search_latency:  # in process, one request at a time: no server, no wrk
        measure_searches(scale, database_url)
        return
    if not seed_only and shutil.which("wrk") is None:
        raise click.ClickException("wrk is missing: install Debian's 'wrk' package "
                                   "(sudo apt-get install wrk), or run `make bench` as root.")
    url, info = prepare(SCALES[scale], database_url or None)
    if seed_only:
        click.echo(f"Seeded database ready: {url}")
        return
    settings = Settings(duration=duration, connections=connections, threads=threads)
    if instances > 1 or writes:  # the production layout's own run, instead of every page
        cluster.run(scale, url, info, settings, instances, writes, redis_url)
        return
    keys = {k.strip() for k in only.split(",") if k.strip()}
    run = {"date": datetime.now(UTC).isoformat(timespec="seconds"), "scale": scale,
           "database": url.split(":", 1)[0].split("+", 1)[0], "machine": report.machine(),
           "settings": settings.__dict__, "rounds": rounds, "seed": info, "ceilings": {},
           "member_copies": member_copies,
           "pages": [], "page_runs": []}
    for key, label, spec in CEILINGS:
        run["ceilings"][key] = _ceiling(key, label, spec, settings)
    # A second hello, served all along and loaded just before each page: the page's ratio is to
    # the hello of the same minute (this machine's speed drifts within a run).
    with Server("hello-beside", CEILINGS[0][2]) as hello, \
            Server("forum", "forum:create_app()",
                   forum_env(url, member_copies=member_copies)) as server:
        session: Session | None = Session(server.base)
        try:
            session.login(info["bench_email"], info["password"])
        except (OSError, RuntimeError) as exc:
            click.echo(f"Signing in failed ({exc}): signed-in pages are skipped.", err=True)
            session = None
        pages = [p for p in forum_pages(info) if not keys or p["key"] in keys]
        by_key: dict[str, list[dict]] = {p["key"]: [] for p in pages}
        for number in range(1, max(rounds, 1) + 1):
            for page in pages:
                click.echo(f"… round {number}: {page['label']}", err=True)
                result = _measure_page(server, page, settings, session, hello)
                by_key[page["key"]].append(result)
                run["page_runs"].append({"key": page["key"], "round": number,
                                         "memory": result.get("memory")})
        run["pages"] = [median_of_rounds(by_key[p["key"]]) for p in pages]
        if soak_rounds > 0:
            click.echo("… memory soak", err=True)
            readable = [p for p in run["pages"] if p.get("status") == "ok"
                        and p["method"] == "GET" and (session or not p["signed_in"])]
            run["soak"] = soak(server, readable, settings, session.cookie if session else "",
                               soak_rounds, soak_seconds)
    run["ceilings"]["hello_end"] = _ceiling("hello_end", "Flask hello world, again at the end",
                                            CEILINGS[0][2], settings)
    if compare_scale not in ("none", "", scale):
        run["query_counts_by_scale"] = {scale: {p["key"]: p.get("queries")
                                                for p in run["pages"]}}
        run["query_counts_by_scale"][compare_scale] = _query_counts(compare_scale, database_url)
    run["machine"]["load_average_end"] = report.machine()["load_average"]
    run["memory_over_run"] = report.memory_line(run)
    run["hello_reference_rps"] = report.hello_reference(run)
    path = report.write_json(run)
    click.echo(f"\n## forum at {scale} posts on {run['database']} — {run['date']}\n")
    click.echo(report.table(run))
    click.echo("\n" + report.memory_line(run))
    if run.get("soak"):
        click.echo("\n" + soak_line(run["soak"]))
    if run.get("query_counts_by_scale"):
        click.echo("\n" + report.query_count_table(run))
    click.echo(f"\nResults: {path}")


def _measure_page(server: Server, page: dict, settings: Settings, session: Session | None,
                  hello: Server) -> dict:
    try:
        result = measure(server, page, settings, session, beside=hello)
    except (OSError, RuntimeError, ValueError) as exc:  # one page must not sink the run
        result = {"key": page["key"], "label": page["label"], "path": page.get("path", ""),
                  "status": f"failed: {exc}"[:200]}
    return {**result, "kind": "page", "method": page.get("method", "GET"),
            "signed_in": bool(page.get("signed_in"))}


def _ceiling(key: str, label: str, spec: str, settings: Settings) -> dict:
    click.echo(f"… ceiling: {label}", err=True)
    with Server(key, spec) as server:
        result = measure(server, {"key": key, "label": label, "path": "/"}, settings)
    return {**result, "kind": "ceiling"}


def _query_counts(scale: str, database_url: str) -> dict:
    """SQL per request for every GET page at another scale: one request each, no load."""
    url, info = prepare(SCALES[scale], database_url or None)
    counts = {}
    with Server(f"forum-{scale}", "forum:create_app()", forum_env(url)) as server:
        session = Session(server.base)
        session.login(info["bench_email"], info["password"])
        for page in forum_pages(info):
            path = page.get("path")
            if "permalink" in page:
                path = redirect_target(server.base + page["permalink"])[1]
            if "last_page_of" in page:
                path = last_page_path(server.base, page["last_page_of"])
            if page.get("method") == "POST" or path is None:
                continue
            client = session if page.get("signed_in") else Session(server.base)
            response = client.request(path)
            counts[page["key"]] = response.query_count if response.status < 400 else None
    return counts


if __name__ == "__main__":
    main()
