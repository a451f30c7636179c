"""Counting SQL statements: for the query-budget tests and the benchmark's bench mode."""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator

from sqlalchemy import event
from sqlalchemy.engine import Engine

_counter: contextvars.ContextVar[list | None] = contextvars.ContextVar("sql_counter", default=None)


@event.listens_for(Engine, "before_cursor_execute")
def _count(conn, cursor, statement, parameters, context, executemany):
    bucket = _counter.get()
    # SQLite's BEGIN / BEGIN IMMEDIATE is emitted as a statement (forum.db); it is not a query.
    if bucket is not None and not statement.startswith("BEGIN"):
        bucket.append(statement)


@contextlib.contextmanager
def count_queries() -> Iterator[list[str]]:
    """Collect the SQL statements run inside the block (BEGIN/COMMIT are not counted)."""
    bucket: list[str] = []
    token = _counter.set(bucket)
    try:
        yield bucket
    finally:
        _counter.reset(token)


def start_request_count():
    return _counter.set([])


def finish_request_count(token) -> int:
    bucket = _counter.get() or []
    _counter.reset(token)
    return len(bucket)
