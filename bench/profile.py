"""``python -m bench.profile [KEYS] [--signed-in] [--cprofile]``: CPU milliseconds one request
costs, page by page, measured in process on the seeded bench database (SQLite: run
``python -m bench --seed-only`` first; PostgreSQL: ``--database-url``, seeded when its template
is missing).

The full bench needs minutes and a quiet machine; this needs seconds and hardly cares what else
the machine is doing, because it reads the process's own CPU time (the best of three rounds).
Use it while changing a page; confirm with ``make bench``. The last column is a bare Flask
"hello" app's CPU per request (measured first, in the same process) over the page's. It is not
the bench's ratio of requests/s: under wrk on two cores, hello is held back by wrk and the
network stack rather than by the workers' CPU, so the bench's ratio comes out about twice this
one (on 2026-11-22 a page at 4.0 ms reached 11% of hello's requests/s, here it reads 6%).
``--cprofile`` prints where the time of each page goes. Signed in, a page is rendered once and
then answered from the member's own copy (forum.pagecache.pages): ``--rendered`` turns the
copies off, to measure (and profile) the render itself.
"""

from __future__ import annotations

import cProfile
import json
import os
import pstats
import time

import click

from bench import CACHE_DIR
from bench.runner import SEARCH_PAGES

# A bare page of the app (a 404) shows what every request costs before any feature runs.
KEYS = ("notfound", "home", "directory", "group", "thread_big", "thread_deep", "thread_small",
        "profile", "files", "calendar", "events", "event", "recordings", "articles",
        "search_form", "search_one", "search_two", "search_rare", "search_common", "search_newest",
        "article")


def _pages(info: dict) -> dict[str, str]:
    slug, big = info["group_slug"], info["big_thread_id"]
    return {
        "notfound": "/no-such-page", "home": "/", "directory": "/groups", "group": f"/g/{slug}",
        "thread_big": f"/g/{slug}/t/{big}", "thread_deep": f"/p/{info['deep_post_id']}",
        "thread_small": f"/g/{slug}/t/{info['small_thread_id']}",
        "profile": f"/members/{info['profile_username']}", "files": f"/g/{slug}/files",
        "calendar": "/events/", "events": "/events/list", "event": f"/events/{info['event_id']}",
        "recordings": "/events/recordings", "articles": "/articles/",
        "article": f"/articles/{info['article_slug']}", "search_form": "/search",
        **{page["key"]: page["path"] for page in SEARCH_PAGES},
    }


def _database(scale: str, database_url: str) -> tuple[str, dict]:
    """PostgreSQL: a fresh copy of the seeded template. SQLite: the run file as it is, so
    several people can profile at once while one of them changes code."""
    if database_url:
        from bench.database import prepare
        from bench.seed import SCALES

        return prepare(SCALES[scale], database_url)
    run = CACHE_DIR / f"run-{scale}.db"
    if not run.exists():
        raise click.ClickException(f"{run} is missing: run `python -m bench --seed-only` first.")
    info = json.loads(next(CACHE_DIR.glob(f"sqlite-{scale}-*.json")).read_text())
    return f"sqlite:///{run}", info


def _app(url: str, rendered: bool = False):
    if rendered:  # members' own page copies off: every signed-in request renders its page
        os.environ["FORUM_MEMBER_PAGE_CACHE_SECONDS"] = "0"
    os.environ.update({"FORUM_ENV": "production", "FORUM_SECRET_KEY": "p" * 48,
                       "FORUM_SQLALCHEMY_DATABASE_URI": url,
                       "FORUM_RATELIMIT_ENABLED": "false", "FORUM_WTF_CSRF_ENABLED": "false",
                       # Not Secure, so not the production name: a __Host- cookie must be.
                       "FORUM_SESSION_COOKIE_SECURE": "false",
                       "FORUM_SESSION_COOKIE_NAME": "session",
                       "FORUM_QUERY_COUNT_HEADER": "true",
                       "FORUM_INSTANCE_PATH": str(CACHE_DIR / "instance")})
    from forum import create_app

    return create_app()


def _requests(client, path: str, repeat: int) -> None:
    for _ in range(repeat):
        client.get(path)


def _cpu_ms(client, path: str, repeat: int) -> tuple[float, float]:
    """Best CPU and best wall milliseconds per request over three rounds. Wall minus CPU is
    mostly the wait for the database server (a round trip per statement on PostgreSQL)."""
    best_cpu = best_wall = float("inf")
    for _ in range(3):
        cpu, wall = time.process_time(), time.perf_counter()
        _requests(client, path, repeat)
        best_cpu = min(best_cpu, (time.process_time() - cpu) / repeat * 1000)
        best_wall = min(best_wall, (time.perf_counter() - wall) / repeat * 1000)
    return best_cpu, best_wall


@click.command()
@click.argument("keys", default="all")
@click.option("--scale", envvar="BENCH_SCALE", default="100k", show_default=True)
@click.option("--database-url", envvar="BENCH_DATABASE_URL", default="",
              help="PostgreSQL URL of the bench database (BENCH_DATABASE_URL); SQLite if empty.")
@click.option("--signed-in", is_flag=True, help="As the bench user (a member of the group).")
@click.option("--repeat", default=40, show_default=True, help="Requests per round.")
@click.option("--cprofile", is_flag=True, help="Print the 25 costliest functions per page.")
@click.option("--rendered", is_flag=True,
              help="Members' own page copies off: what rendering a signed-in page costs.")
def main(keys: str, scale: str, database_url: str, signed_in: bool, repeat: int,
         cprofile: bool, rendered: bool) -> None:
    """KEYS: comma-separated page keys, or all."""
    url, info = _database(scale, database_url)
    pages = _pages(info)
    wanted = KEYS if keys == "all" else tuple(keys.split(","))
    client = _app(url, rendered).test_client()
    from bench.ceiling_apps import hello_app

    hello_ms, _ = _cpu_ms(hello_app().test_client(), "/", repeat * 5)
    if signed_in:
        client.post("/auth/login", data={"email": info["bench_email"],
                                         "password": info["password"]})
    click.echo(f"{'page':14} {'status':>6} {'KB':>7} {'SQL':>4} {'CPU ms/req':>11} "
               f"{'hello / page':>12} {'wall ms/req':>11}")
    click.echo(f"{'(hello)':14} {200:>6} {0.0:>7.1f} {0:>4} {hello_ms:>11.2f} {'100%':>12}")
    for key in wanted:
        path = pages[key]
        first = client.get(path)
        if first.status_code in (301, 302, 303):  # a permalink lands on its thread page
            path = first.headers["Location"]
            first = client.get(path)
        ms, wall = _cpu_ms(client, path, repeat)
        # The statements of a request like the timed ones: the first may also fill a
        # per-process map (the page cache's slug → group), which later requests read.
        steady = client.get(path)
        click.echo(f"{key:14} {first.status_code:>6} {len(first.data) / 1024:>7.1f} "
                   f"{steady.headers.get('X-Query-Count', '?'):>4} {ms:>11.2f} "
                   f"{hello_ms / ms:>12.1%} {wall:>11.2f}")
        if cprofile:
            profiler = cProfile.Profile()
            profiler.runcall(_requests, client, path, repeat)
            # PROFILE_SORT=cumulative, PROFILE_LINES=100: another order, more lines.
            pstats.Stats(profiler).sort_stats(os.environ.get("PROFILE_SORT", "tottime")) \
                .print_stats(int(os.environ.get("PROFILE_LINES", "25")))


if __name__ == "__main__":
    main()
