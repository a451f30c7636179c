"""``python -m bench.sql PATH [--signed-in]``: the SQL statements one page runs, in process, on
the seeded SQLite bench database (run ``python -m bench --seed-only`` first), each with its
``EXPLAIN QUERY PLAN`` — for finding N+1 queries and missing indexes. ``--data name=value``
POSTs instead (on a copy: it writes to the run database, which the next bench run replaces).
"""

from __future__ import annotations

import json
import os
import time

import click
from sqlalchemy import event

from bench import CACHE_DIR


@click.command()
@click.argument("path")
@click.option("--scale", envvar="BENCH_SCALE", default="100k", show_default=True)
@click.option("--signed-in", is_flag=True, help="As the bench user (a member of the group).")
@click.option("--data", multiple=True, help="POST this field (name=value; CSRF is off here).")
def main(path: str, scale: str, signed_in: bool, data: tuple[str, ...]) -> None:
    run = CACHE_DIR / f"run-{scale}.db"
    if not run.exists():
        raise click.ClickException(f"{run} is missing: run `python -m bench --seed-only` first.")
    info = json.loads(next(CACHE_DIR.glob(f"sqlite-{scale}-*.json")).read_text())
    os.environ.update({"FORUM_ENV": "production", "FORUM_SECRET_KEY": "b" * 48,
                       "FORUM_SQLALCHEMY_DATABASE_URI": f"sqlite:///{run}",
                       "FORUM_RATELIMIT_ENABLED": "false", "FORUM_WTF_CSRF_ENABLED": "false",
                       # Not Secure, so not the production name: a __Host- cookie must be.
                       "FORUM_SESSION_COOKIE_SECURE": "false",
                       "FORUM_SESSION_COOKIE_NAME": "session",
                       "FORUM_INSTANCE_PATH": str(CACHE_DIR / "instance")})
    from forum import create_app
    from forum.extensions import db

    app = create_app()
    client = app.test_client()
    if signed_in:
        client.post("/auth/login", data={"email": info["bench_email"],
                                         "password": info["password"]})
    seen: list[tuple[str, tuple]] = []
    with app.app_context():
        engine = db.engine

    def capture(conn, cursor, statement, parameters, context, executemany):
        seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    if data:
        response = client.post(path, data=dict(item.split("=", 1) for item in data))
    else:
        response = client.get(path)
    event.remove(engine, "before_cursor_execute", capture)
    click.echo(f"{path} → {response.status_code}, {len(seen)} statements\n")
    raw = engine.raw_connection()
    try:
        for n, (sql, params) in enumerate(seen, 1):
            click.echo(f"-- {n} params={params!r}\n{sql}")
            if sql.lstrip().upper().startswith(("SELECT", "WITH")):
                for row in raw.cursor().execute(f"EXPLAIN QUERY PLAN {sql}", params):
                    click.echo(f"   plan: {row[-1]}")
            click.echo()
    finally:
        raw.close()
    if not data:
        _timing(client, path, engine)


def _timing(client, path: str, engine, repeat: int = 20) -> None:
    """Where a request's time goes, in process: SQL (cursor execute) versus everything else."""
    sql_seconds = [0.0]
    started: list[float] = []

    def before(*args):
        started.append(time.perf_counter())

    def after(*args):
        sql_seconds[0] += time.perf_counter() - started.pop()

    client.get(path)
    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    begin = time.perf_counter()
    for _ in range(repeat):
        client.get(path)
    total = (time.perf_counter() - begin) / repeat * 1000
    event.remove(engine, "before_cursor_execute", before)
    event.remove(engine, "after_cursor_execute", after)
    sql = sql_seconds[0] / repeat * 1000
    click.echo(f"{repeat} requests in process: {total:.1f} ms each, of which SQL {sql:.1f} ms "
               f"and Python (view, ORM, templates) {total - sql:.1f} ms")


if __name__ == "__main__":
    main()
