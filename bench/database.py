"""Bench databases: seeded once per scale + schema hash, copied fresh for every run.

SQLite: the seeded file is cached under ``bench/.cache/`` and copied to a run file (the run
writes replies, so the cache stays pristine). PostgreSQL: the seeded database is kept as a
template (``<name>_tpl_<scale>_<hash>``) and the run database is ``CREATE DATABASE … TEMPLATE``.
Never the development ``instance/forum.db``.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from pathlib import Path

import click
import sqlalchemy as sa
from sqlalchemy.schema import CreateIndex, CreateTable

from bench import BENCH_DIR, CACHE_DIR
from bench.seed import Scale, seed


def _metadata():
    from forum import models  # noqa: F401 - registers every table
    from forum.db import Base

    return Base.metadata


def schema_hash(dialect) -> str:
    """The schema as DDL (the search engines' included) plus the seeder's own source: either
    changing means reseeding."""
    digest = hashlib.sha256()
    for t in _metadata().sorted_tables:
        digest.update(str(CreateTable(t).compile(dialect=dialect)).encode())
        for index in sorted(t.indexes, key=lambda i: i.name or ""):
            digest.update(str(CreateIndex(index).compile(dialect=dialect)).encode())
    from forum.search.models import DDL_STATEMENTS  # the engines' own index, beside the tables

    digest.update(repr(DDL_STATEMENTS.get(dialect.name, ())).encode())
    for name in ("seed.py", "seed_posts.py", "seed_files.py", "seed_calendar.py",
                 "seed_articles.py", "seed_search.py", "content.py"):
        digest.update((BENCH_DIR / name).read_bytes())
    return digest.hexdigest()[:12]


def seed_into(engine: sa.Engine, scale: Scale) -> dict:
    _metadata().create_all(engine)
    started = time.monotonic()
    with engine.begin() as conn, click.progressbar(
            length=scale.posts, label=f"Seeding {scale.name} posts ({engine.dialect.name})",
            file=None) as bar:
        info = seed(conn, scale, progress=bar.update)
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")  # what autovacuum would soon do
    info["seed_seconds"] = round(time.monotonic() - started, 1)
    click.echo(f"Seeded {scale.posts:,} posts in {info['seed_seconds']} s.")
    return info


def prepare_sqlite(scale: Scale) -> tuple[str, dict]:
    """A fresh copy of the cached seeded SQLite file; seeds it first when missing."""
    CACHE_DIR.mkdir(exist_ok=True)
    key = schema_hash(sa.create_engine("sqlite://").dialect)
    cached = CACHE_DIR / f"sqlite-{scale.name}-{key}.db"
    meta = cached.with_suffix(".json")
    if not (cached.exists() and meta.exists()):
        for old in CACHE_DIR.glob(f"sqlite-{scale.name}-*"):
            old.unlink()
        building = CACHE_DIR / f"building-{scale.name}.db"
        _remove_sqlite(building)
        engine = sa.create_engine(f"sqlite:///{building}")
        info = seed_into(engine, scale)
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        engine.dispose()
        building.rename(cached)
        _remove_sqlite(building)
        meta.write_text(json.dumps(info, indent=2))
    else:
        click.echo(f"Using the cached {scale.name} database ({cached.name}).")
    run = CACHE_DIR / f"run-{scale.name}.db"
    _remove_sqlite(run)
    shutil.copyfile(cached, run)
    return f"sqlite:///{run}", json.loads(meta.read_text())


def _remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def prepare_postgres(url: str, scale: Scale) -> tuple[str, dict]:
    """A fresh run database cloned from the cached seeded template; seeds it first if missing."""
    url_obj = sa.make_url(url.replace("postgresql://", "postgresql+psycopg://", 1)
                          if url.startswith("postgresql://") else url)
    run_name = url_obj.database or "forum_bench"
    key = schema_hash(sa.create_engine(url_obj.set(database="postgres")).dialect)
    template = f"{run_name}_tpl_{scale.name}_{key}"
    meta = CACHE_DIR / f"pg-{template}.json"
    CACHE_DIR.mkdir(exist_ok=True)
    admin = sa.create_engine(url_obj.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"),
                             {"n": template})
        if not (exists and meta.exists()):
            _drop_stale_templates(conn, f"{run_name}_tpl_{scale.name}_")
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')
            conn.exec_driver_sql(f'CREATE DATABASE "{template}"')
            engine = sa.create_engine(url_obj.set(database=template))
            meta.write_text(json.dumps(seed_into(engine, scale), indent=2))
            engine.dispose()
        else:
            click.echo(f"Using the cached {scale.name} database ({template}).")
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{run_name}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{run_name}" TEMPLATE "{template}"')
    admin.dispose()
    return url_obj.set(database=run_name).render_as_string(hide_password=False), \
        json.loads(meta.read_text())


def _drop_stale_templates(conn, prefix: str) -> None:
    """Templates of an older schema or seeder are never used again."""
    names = conn.scalars(sa.text("SELECT datname FROM pg_database WHERE starts_with(datname, :p)"),
                         {"p": prefix}).all()
    for name in names:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        (CACHE_DIR / f"pg-{name}.json").unlink(missing_ok=True)


def prepare(scale: Scale, database_url: str | None) -> tuple[str, dict]:
    if database_url and database_url.startswith("postgres"):
        return prepare_postgres(database_url, scale)
    return prepare_sqlite(scale)
