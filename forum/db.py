"""The declarative base and the database conventions every model shares.

- A naming convention, so constraints have stable names on SQLite and PostgreSQL (for Alembic).
- ``UTCDateTime``: timestamps are timezone-aware UTC in Python whatever the database keeps.
- On PostgreSQL a reading request (GET, HEAD) runs its statements in autocommit: no BEGIN and
  no ROLLBACK round trips, and psycopg keeps its prepared statements (it drops them on every
  ROLLBACK), so a page's statements are planned once per connection instead of on every request.
- SQLite runs in WAL mode with foreign keys on and a busy timeout; a transaction that will write
  begins with ``BEGIN IMMEDIATE`` (SQLAlchemy's documented pysqlite recipe), so two writers queue
  for the lock instead of failing half-way with "database is locked".
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime

from sqlalchemy import DateTime, Integer, MetaData, event, literal_column
from sqlalchemy.engine import Engine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    mapped_column,
    registry,
)
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A DateTime that always comes back timezone-aware in UTC (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    # One registry carries both the naming convention and the type map (Flask-SQLAlchemy
    # subclasses this base, and SQLAlchemy refuses a per-class type map beside a registry).
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


def start_reader(session) -> None:
    """Begin a reading request's session on an autocommit connection (PostgreSQL only).

    A page then reads each statement's own snapshot rather than one for the request: a count
    beside its list may differ by a row written in between, which a reader cannot tell from a
    reload. SQLite keeps its BEGIN: the transaction costs nothing in process and its prepared
    statements survive anyway. The one write a GET makes (a download count) is a single UPDATE,
    atomic on its own.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})


def run_columns(session, stmt, params=None):
    """Run a select of columns (not ORM entities) on the session's connection, in its
    transaction. The rows are the same as ``session.execute`` gives; the ORM's per-execution
    layer, which only entities need, is skipped: 3.5–5% of a list page's CPU (measured on the
    directory and the group page). Pending changes are not flushed first: for reading."""
    return session.connection().execute(stmt, params)


def contains_pattern(term: str) -> str:
    """A LIKE pattern matching ``term`` anywhere, lower-cased, with its own ``%``, ``_`` and
    backslashes taken literally: use with ``func.lower(column).like(pattern, escape="\\")``."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped.lower()}%"


def sql_int(value: int):
    """A constant integer written into the SQL rather than bound, for a LIMIT or a comparison
    whose value is fixed in the code.

    PostgreSQL plans a prepared statement for its values five times, then keeps one generic
    plan only if that plan does not look dearer. A bound LIMIT, or a bound ``post_count > 0``,
    is a guess to the generic plan (a tenth, a third of the rows), so for a short list walked
    off an index it looks dearer for good, and the statement is planned anew on every request:
    the home page's latest discussions cost PostgreSQL 0.4 ms of planning to run in 0.1 ms."""
    return literal_column(str(int(value)), Integer)


def insert_or_merge(session, model):
    """An INSERT that can say ``on_conflict_do_nothing`` / ``on_conflict_do_update``.

    SQLite and PostgreSQL spell the upsert the same way; SQLAlchemy keeps it per dialect, so
    this picks the one for the session's database. One statement instead of an UPDATE, a
    SAVEPOINT, an INSERT and a RELEASE, and still right when two requests race."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(model)


class json_rows(FunctionElement):
    """The rows of a (correlated) subquery as one JSON array of arrays, so a list can ride in
    another statement's row: ``json_rows(a, b)`` is ``json_group_array(json_array(a, b))`` on
    SQLite and ``json_agg(json_build_array(a, b))`` on PostgreSQL. Read it with
    ``json_rows_value``: SQLite hands back text ('[]' for no rows), psycopg a list (or None)."""

    name = "json_rows"
    inherit_cache = True


@compiles(json_rows, "sqlite")
def _json_rows_sqlite(element, compiler, **kw):
    return f"json_group_array(json_array({compiler.process(element.clauses, **kw)}))"


@compiles(json_rows, "postgresql")
def _json_rows_postgresql(element, compiler, **kw):
    return f"json_agg(json_build_array({compiler.process(element.clauses, **kw)}))"


def json_rows_value(value) -> list[list]:
    if value is None:
        return []
    return json.loads(value) if isinstance(value, str) else value


def json_datetime(value: str | None) -> datetime | None:
    """A timestamp from ``json_rows``: SQLite's stored text (UTC, no zone) or PostgreSQL's ISO."""
    if value is None:
        return None
    parsed = datetime.fromisoformat(value)
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


# --- SQLite: pragmas and BEGIN IMMEDIATE for writers -------------------------------------------

_write_intent: contextvars.ContextVar[bool] = contextvars.ContextVar("write_intent", default=False)


def set_write_intent(value: bool) -> contextvars.Token:
    return _write_intent.set(value)


def reset_write_intent(token: contextvars.Token) -> None:
    _write_intent.reset(token)


@contextlib.contextmanager
def writing() -> Iterator[None]:
    """Mark the transactions begun inside as writers (CLI commands, workers, tests)."""
    token = _write_intent.set(True)
    try:
        yield
    finally:
        _write_intent.reset(token)


@event.listens_for(Engine, "connect")
def _sqlite_on_connect(dbapi_connection, connection_record):
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    # Let SQLAlchemy's "begin" event emit BEGIN itself (pysqlite's own handling is broken).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA journal_mode=WAL")
    # FULL: in WAL mode NORMAL may lose the last commits on a power cut (durable after the next
    # checkpoint); FULL syncs the WAL at every commit, one fsync more per writing request.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_on_begin(conn):
    if conn.dialect.name != "sqlite":
        return
    conn.exec_driver_sql("BEGIN IMMEDIATE" if _write_intent.get() else "BEGIN")
