"""Throttles that hold under concurrency: one atomic counter per (scope, key, fixed window).

Every throttle (sign-in, mail-sending forms, posting, uploads, flags) counts here, and always
the same way: **add first, decide on the count that comes back**, in one statement. Checking a
count and adding to it later is a race: fifty parallel requests all pass the check before the
first is counted (that is how fifty wrong passwords got through a limit of ten).

Where the counts live (``RATELIMIT_STORAGE_URI``):
- unset (the default): the database, table ``throttle_counters``; one
  ``INSERT … ON CONFLICT (key, window_start) DO UPDATE SET count = count + n RETURNING count``
  (atomic on PostgreSQL; SQLite's writers are serialised by BEGIN IMMEDIATE). Shared by every
  worker process, unlike the per-process memory storage this replaced.
- ``redis://…`` / ``rediss://…``: Redis, ``INCRBY`` + ``EXPIREAT`` in one MULTI.

Two ways to count:
- ``attempt`` — counted at once and for good (sign-in, mail forms): on the database in a short
  transaction of its own, committed before the view runs, so a view that later rolls back (a
  failed sign-in) cannot take the count back with it.
- ``claim`` — counted in the request's transaction (posts, uploads, flags): the count stands
  when the thing counted is committed, and is taken back when the request rolls back (a refused
  post is not held against its author). On the database the row lock also queues a member's
  concurrent posts; on Redis the count is given back when the transaction ends uncommitted.
"""

from __future__ import annotations

import math
import re
import time
from typing import NamedTuple

import redis
from flask import current_app
from sqlalchemy import BigInteger, Integer, String, delete, event, select, tuple_, update
from sqlalchemy.orm import Mapped, Session, mapped_column
from werkzeug.exceptions import TooManyRequests

from forum.db import Base, insert_or_merge, writing
from forum.extensions import db

# The clock every window is read from (tests hold it still, mid-window, so a run never
# straddles a window's end).
_now = time.time


class ThrottleCounter(Base):
    __tablename__ = "throttle_counters"

    # "<scope>:<key>", e.g. "login-account:ann@example.org", "post:42".
    key: Mapped[str] = mapped_column(String(320), primary_key=True)
    # Epoch seconds: windows are aligned to multiples of their length.
    window_start: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    count: Mapped[int] = mapped_column(Integer)
    # When the window ends (epoch seconds): rows past it are purged (see _purge).
    expires_at: Mapped[int] = mapped_column(BigInteger, index=True)


class Limit(NamedTuple):
    amount: int
    seconds: int
    text: str  # as configured, for the 429 page


_UNITS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
_LIMIT = re.compile(r"^\s*(\d+)\s*(?:per|/)\s*(\d+)?\s*(second|minute|hour|day)s?\s*$", re.I)


def parse_limit(value) -> Limit:
    """"10 per 15 minutes", "30/hour"; a bare number means per hour (the *_PER_HOUR keys)."""
    if isinstance(value, int):
        return Limit(value, 3600, f"{value} per hour")
    match = _LIMIT.match(str(value))
    if not match:
        raise ValueError(f"Not a rate limit: {value!r} (write e.g. '10 per 15 minutes').")
    amount, many, unit = match.groups()
    return Limit(int(amount), int(many or 1) * _UNITS[unit.lower()], str(value).strip())


class Count(NamedTuple):
    """What one counting returned; ``forgive`` takes it back."""

    key: str
    window_start: int
    expires_at: int
    count: int
    cost: int
    limit: Limit
    extras: tuple = ()  # the values of ``claim``'s ``with_columns``

    @property
    def allowed(self) -> bool:
        return self.count <= self.limit.amount

    @property
    def retry_after(self) -> int:
        return max(1, math.ceil(self.expires_at - _now()))


class Throttled(TooManyRequests):
    """Over a limit: answered with the 429 page (forum.auth.throttle.too_many_requests)."""

    def __init__(self, count: Count) -> None:
        super().__init__(f"Limit: {count.limit.text}.")
        self.count = count


# --- configuration ------------------------------------------------------------------------------

def init_app(app) -> None:
    """Check RATELIMIT_STORAGE_URI at start-up; connect to Redis when it names Redis."""
    uri = app.config.get("RATELIMIT_STORAGE_URI") or None
    client = None
    if uri is not None:
        if not uri.startswith(("redis://", "rediss://", "unix://")):
            # memory:// counted per process: every worker had its own allowance.
            raise RuntimeError(
                f"RATELIMIT_STORAGE_URI={uri!r} is not supported: leave it unset (the counts "
                "live in the database, shared by every worker) or give a redis:// URL.")
        client = redis.Redis.from_url(uri)
    app.extensions["forum_ratelimit"] = client


def _redis():
    return current_app.extensions.get("forum_ratelimit")


def _prefix() -> str:
    return current_app.config.get("RATELIMIT_KEY_PREFIX") or "forum-throttle"


def enabled() -> bool:
    """RATELIMIT_ENABLED switches off the sign-in and mail throttles (tests, benchmark)."""
    return bool(current_app.config.get("RATELIMIT_ENABLED", True))


# --- counting -----------------------------------------------------------------------------------

def _window(limit: Limit) -> tuple[int, int]:
    now = int(_now())
    start = now - now % limit.seconds
    return start, start + limit.seconds


def attempt(*rules: tuple[str, str, Limit]) -> list[Count]:
    """Count one attempt against each ``(scope, key, limit)`` now and for good (see the
    module's docstring); decide with each count's ``.allowed``."""
    names = [(f"{scope}:{key}", limit, *_window(limit)) for scope, key, limit in rules]
    client = _redis()
    if client is not None:
        return [Count(name, start, end, _redis_add(client, name, start, end, 1), 1, limit)
                for name, limit, start, end in names]
    # Its own short transaction: it commits whatever the request did before its view (no more
    # than a signed-in member's last-seen time), and the view starts afresh after the commit.
    with writing():
        counts = [Count(name, start, end, _db_add(name, start, end, 1)[0], 1, limit)
                  for name, limit, start, end in names]
        if any(c.count == 1 for c in counts):  # a new window's row: clear out ended ones
            _purge()
        db.session.commit()
    return counts


def claim(scope: str, key: str, limit: Limit, cost: int = 1, *, with_columns=()) -> Count:
    """Count in the request's transaction: undone if it rolls back (module docstring).

    ``with_columns``: other (scalar) columns the caller needs, read in the same statement
    (``RETURNING`` on the database, a SELECT beside Redis), given back as ``.extras``."""
    start, end = _window(limit)
    name = f"{scope}:{key}"
    client = _redis()
    if client is None:
        count, *extras = _db_add(name, start, end, cost, with_columns)
        return Count(name, start, end, count, cost, limit, tuple(extras))
    db.session.connection()  # a transaction is open: its end gives the count back, or keeps it
    extras = tuple(db.session.execute(select(*with_columns)).one()) if with_columns else ()
    count = Count(name, start, end, _redis_add(client, name, start, end, cost), cost, limit,
                  extras)
    db.session.info.setdefault(_UNDO, []).append((client, count))
    return count


def forgive(*counts: Count) -> None:
    """Take back attempts (a successful sign-in does not use up the allowance). Ends the
    request's transaction first (the view has committed what it keeps), then a short one."""
    client = _redis()
    if client is not None:
        for c in counts:
            _redis_add(client, c.key, c.window_start, c.expires_at, -c.cost)
        return
    db.session.rollback()
    with writing():
        for c in counts:
            db.session.execute(
                update(ThrottleCounter)
                .where(ThrottleCounter.key == c.key, ThrottleCounter.window_start == c.window_start)
                .values(count=ThrottleCounter.count - c.cost)
                .execution_options(synchronize_session=False))
        db.session.commit()


def _db_add(name: str, start: int, end: int, cost: int, with_columns=()) -> tuple:
    insert = insert_or_merge(db.session, ThrottleCounter)
    stmt = insert.values(key=name, window_start=start, count=cost, expires_at=end)
    stmt = stmt.on_conflict_do_update(
        index_elements=[ThrottleCounter.key, ThrottleCounter.window_start],
        set_={"count": ThrottleCounter.count + stmt.excluded.count},
    ).returning(ThrottleCounter.count)
    if with_columns:
        # Through a CTE: SQLite's RETURNING is compiled without table names, which would
        # leave a subquery's columns ambiguous; a CTE is compiled as a statement of its own.
        extras = select(*(c.label(f"extra_{i}") for i, c in enumerate(with_columns))).cte()
        stmt = stmt.add_cte(extras).returning(*(select(c).scalar_subquery() for c in extras.c))
    return tuple(db.session.execute(stmt).one())


_PURGE_BATCH = 1000  # bounds one request's share of the clearing


def _purge() -> None:
    # Run whenever a window's row is born, so the table holds about one row per key in use and
    # never grows with time (nor with a spray of made-up addresses). Rows another transaction
    # holds are skipped, not waited for: two requests purging at a window's start would
    # otherwise lock the same ended rows in different orders and deadlock (PostgreSQL; SQLite
    # has one writer at a time and renders no FOR UPDATE).
    ended = (select(ThrottleCounter.key, ThrottleCounter.window_start)
             .where(ThrottleCounter.expires_at < int(_now())).limit(_PURGE_BATCH)
             .with_for_update(skip_locked=True))
    db.session.execute(
        delete(ThrottleCounter)
        .where(tuple_(ThrottleCounter.key, ThrottleCounter.window_start).in_(ended))
        .execution_options(synchronize_session=False))


def _redis_add(client, name: str, start: int, end: int, amount: int) -> int:
    # One MULTI: the count and its expiry together (EXPIREAT in the past deletes the key, so
    # giving back to an ended window leaves nothing behind).
    key = f"{_prefix()}:{name}:{start}"
    with client.pipeline(transaction=True) as pipe:
        pipe.incrby(key, amount)
        pipe.expireat(key, end + 1)
        count, _ = pipe.execute()
    return int(count)


# --- Redis claims follow the database transaction ------------------------------------------------

_UNDO = "forum_ratelimit_undo"


@event.listens_for(Session, "after_commit")
def _kept(session) -> None:
    if not session.in_nested_transaction():  # a SAVEPOINT's release is not the commit
        session.info.pop(_UNDO, None)


@event.listens_for(Session, "after_transaction_end")
def _given_back(session, transaction) -> None:
    if transaction.parent is not None:
        return
    for client, c in session.info.pop(_UNDO, ()):  # still here: rolled back or closed
        _redis_add(client, c.key, c.window_start, c.expires_at, -c.cost)
