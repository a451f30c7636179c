"""``make bench BENCH_ARGS="--instances 2"`` and ``--writes``: the production layout's scaling.

``--instances N``: a few pages loaded with wrk against 1 gunicorn instance and then against N,
all bound to **one port** with ``--reuse-port`` (SO_REUSEPORT: the kernel spreads incoming
connections across the instances' listening sockets, as a proxy in front of N hosts would).
Every instance has the bench's 2 workers; all share one database and one Redis
(``BENCH_REDIS_URL``, default ``redis://127.0.0.1:6379/0``, keys under a prefix of the run's
own, removed afterwards) for the page cache, as docs/deploy.md runs them.

``--writes``: replies per second with 8 concurrent posters — 8 signed-in members of the bench
group, each posting replies through the HTTP form (CSRF token, submission key) as fast as the
server answers, for ``--duration`` seconds; then the thread's posts in the database are counted
(every 302 must be exactly one new post). Run it once with ``--database-url`` empty (SQLite)
and once with PostgreSQL. With ``--instances N`` it is measured on 1 and on N instances.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime

import click
import redis
import sqlalchemy as sa

from bench import RESULTS_DIR, report
from bench.client import Session
from bench.runner import Settings, forum_pages, measure
from bench.server import Server, forum_env, free_port

SCALING_PAGES = ("home", "thread_big", "group_member", "thread_big_member")
POSTERS = 8


class Front:
    """N gunicorn instances on one port, seen by the runner as one server."""

    def __init__(self, servers: list[Server]) -> None:
        self.servers = servers
        self.base = servers[0].base

    def memory(self) -> dict:
        return {pid: mem for s in self.servers for pid, mem in s.memory().items()}

    def cpu_seconds(self) -> float:
        return sum(s.cpu_seconds() for s in self.servers)


@contextmanager
def instances(count: int, env: dict[str, str]):
    port = free_port()
    with ExitStack() as stack:
        servers = [stack.enter_context(Server(f"forum-instance-{n + 1}", "forum:create_app()",
                                              env, port=port, extra_args=("--reuse-port",)))
                   for n in range(count)]
        yield Front(servers)


def cluster_env(database_url: str, redis_url: str, prefix: str) -> dict[str, str]:
    return {**forum_env(database_url), "FORUM_REDIS_URL": redis_url,
            "FORUM_PAGE_CACHE_KEY_PREFIX": f"{prefix}-page",
            # The write path measures the server, not the posting limit (30 an hour).
            "FORUM_MODERATION_POSTS_PER_HOUR": "100000000"}


@contextmanager
def shared_redis(redis_url: str):
    client = redis.Redis.from_url(redis_url, socket_connect_timeout=2)
    try:
        client.ping()
    except (redis.RedisError, OSError) as exc:
        raise click.ClickException(
            f"Redis is not reachable at {redis_url} ({exc}): the instances share their page "
            "cache there (BENCH_REDIS_URL)") from exc
    prefix = f"bench-{uuid.uuid4().hex[:10]}"
    try:
        yield prefix
    finally:
        for key in client.scan_iter(f"{prefix}*"):
            client.delete(key)


def scaling(url: str, info: dict, settings: Settings, counts: list[int], env: dict) -> list:
    """For each instance count: throughput and p99 of SCALING_PAGES."""
    pages = [p for p in forum_pages(info) if p["key"] in SCALING_PAGES]
    rows = []
    for count in counts:
        with instances(count, env) as front:
            session = Session(front.base)
            session.login(info["bench_email"], info["password"])
            for page in pages:
                click.echo(f"… {count} instance(s): {page['label']}", err=True)
                result = measure(front, page, settings, session)
                rows.append({"instances": count, **result})
    return rows


def writes(url: str, info: dict, seconds: int, counts: list[int], env: dict) -> list:
    """Replies per second with POSTERS concurrent members, for each instance count."""
    thread_path = f"/g/{info['group_slug']}/t/{info['write_thread_id']}"
    engine = sa.create_engine(url)
    rows = []
    try:
        emails = _posters(engine, info)
        for count in counts:
            with instances(count, env) as front:
                click.echo(f"… {count} instance(s): {POSTERS} posters for {seconds} s", err=True)
                before = _posts(engine, info["write_thread_id"])
                result = _post_for(front.base, thread_path, emails, info["password"], seconds)
                result["new_posts_in_database"] = _posts(engine, info["write_thread_id"]) - before
                rows.append({"instances": count, **result})
    finally:
        engine.dispose()
    return rows


def _posters(engine, info: dict) -> list[str]:
    with engine.connect() as conn:
        emails = list(conn.execute(sa.text(
            "SELECT u.email FROM users u JOIN memberships m ON m.user_id = u.id "
            "JOIN groups g ON g.id = m.group_id WHERE g.slug = :slug AND m.status = 'active' "
            "ORDER BY u.id LIMIT :n"), {"slug": info["group_slug"], "n": POSTERS}).scalars())
    if len(emails) < POSTERS:
        raise click.ClickException(f"the bench group has {len(emails)} members, not {POSTERS}")
    return emails


def _posts(engine, thread_id: int) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.text("SELECT count(*) FROM posts WHERE thread_id = :t"),
                            {"t": thread_id}).scalar_one()


def _post_for(base: str, thread_path: str, emails: list[str], password: str,
              seconds: int) -> dict:
    sessions = []
    for email in emails:
        session = Session(base)
        session.login(email, password)
        sessions.append((session, session.csrf_token(thread_path)))
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock, gate = threading.Lock(), threading.Barrier(len(sessions) + 1)
    stop = [0.0]

    def poster(session: Session, token: str) -> None:
        gate.wait()
        while time.monotonic() < stop[0]:
            fields = {"csrf_token": token, "parent_id": "", "submission_key": uuid.uuid4().hex,
                      "body": f"Benchmark reply {uuid.uuid4().hex[:8]}"}
            started = time.monotonic()
            status = session.request(f"{thread_path}/reply", fields).status
            with lock:
                latencies.append(time.monotonic() - started)
                statuses[status] = statuses.get(status, 0) + 1

    threads = [threading.Thread(target=poster, args=pair) for pair in sessions]
    for thread in threads:
        thread.start()
    stop[0] = time.monotonic() + seconds
    gate.wait()
    began = time.monotonic()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    ordered = sorted(latencies)
    return {"posters": len(sessions), "seconds": round(elapsed, 2),
            "replies": statuses.get(302, 0),
            "replies_per_second": round(statuses.get(302, 0) / elapsed, 1),
            "p50_ms": round(1000 * _percentile(ordered, 50), 1),
            "p99_ms": round(1000 * _percentile(ordered, 99), 1),
            "statuses": {str(k): v for k, v in sorted(statuses.items())}}


def _percentile(ordered: list[float], pct: int) -> float:
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def scaling_table(rows: list) -> str:
    lines = ["| Page | instances | req/s | p50 ms | p99 ms | CPU ms/req | errors |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        if r.get("status") != "ok":
            lines.append(f"| {r['label']} | {r['instances']} | {r.get('status')} | | | | |")
            continue
        lines.append(f"| {r['label']} | {r['instances']} | {r['rps']:.0f} | {r['p50_ms']:.1f} "
                     f"| {r['p99_ms']:.1f} | {r['cpu_ms_per_request']} | {r['errors']} |")
    return "\n".join(lines)


def writes_table(rows: list) -> str:
    lines = ["| instances | posters | replies/s | p50 ms | p99 ms | answers | new posts in DB |",
             "|---:|---:|---:|---:|---:|---|---:|"]
    for r in rows:
        answers = ", ".join(f"{k}: {v}" for k, v in r["statuses"].items())
        lines.append(f"| {r['instances']} | {r['posters']} | {r['replies_per_second']} | "
                     f"{r['p50_ms']} | {r['p99_ms']} | {answers} | "
                     f"{r['new_posts_in_database']} |")
    return "\n".join(lines)



def run(scale: str, url: str, info: dict, settings: Settings, count: int, with_writes: bool,
        redis_url: str) -> dict:
    """The whole two-instance run: scaling (if ``count`` > 1), then writes (if asked)."""
    counts = [1, count] if count > 1 else [1]
    result = {"date": datetime.now(UTC).isoformat(timespec="seconds"), "scale": scale,
              "database": url.split(":", 1)[0].split("+", 1)[0], "instances": counts,
              "settings": settings.__dict__, "machine": report.machine()}
    with shared_redis(redis_url) as prefix:
        env = cluster_env(url, redis_url, prefix)
        if count > 1:
            result["scaling"] = scaling(url, info, settings, counts, env)
        if with_writes:
            result["writes"] = writes(url, info, settings.duration, counts, env)
    result["machine"]["load_average_end"] = report.machine()["load_average"]
    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / f"{result['date'][:10]}-{scale}-{result['database']}-cluster.json"
    path.write_text(json.dumps(result, indent=2, default=str) + "\n")
    click.echo(f"\n## {counts} instance(s) at {scale} posts on {result['database']}\n")
    if "scaling" in result:
        click.echo(scaling_table(result["scaling"]))
    if "writes" in result:
        click.echo("\n" + writes_table(result["writes"]))
    click.echo(f"\nLoad average {result['machine']['load_average']} at the start, "
               f"{result['machine']['load_average_end']} at the end. Results: {path}")
    return result
