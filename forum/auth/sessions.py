"""Server-side auth sessions: start one at sign-in, end one (or all) on the server.

The session and remember cookies carry a random token; the database keeps its SHA-256. A cookie
is honoured only while its row has not ended, so signing out, changing the password, "sign out
everywhere" and suspension make every copy of the cookie useless at once.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import request
from sqlalchemy import Select, bindparam, select, update

from forum.auth.models import AuthSession
from forum.db import utcnow
from forum.extensions import db, login_manager
from forum.notifications.inbox import unread_notifications_column
from forum.permissions.base import held_appointments_column, held_memberships_column
from forum.security import clean_header_text
from forum.users.models import User


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(user: User) -> str:
    """Create a session row for ``user``; the caller passes the user to ``login_user``."""
    token = secrets.token_urlsafe(32)
    db.session.add(AuthSession(
        token_hash=_hash(token), user_id=user.id,
        **_client(),
    ))
    user.current_session_token = token
    return token


def _client() -> dict[str, str]:
    """The request's user agent and address as the row can store them (no control characters,
    no longer than the columns): the client writes headers, and PostgreSQL answers NUL with an
    error. Outside a request (the CLI, tests) both are empty."""
    if not request:
        return {"user_agent": "", "ip_address": ""}
    return {"user_agent": clean_header_text(request.user_agent.string,
                                            AuthSession.user_agent.type.length),
            "ip_address": clean_header_text(request.remote_addr,
                                            AuthSession.ip_address.type.length)}


def end_session(token: str | None) -> None:
    if token:
        db.session.execute(
            update(AuthSession)
            .where(AuthSession.token_hash == _hash(token), AuthSession.ended_at.is_(None))
            .values(ended_at=utcnow())
        )


def end_all_sessions(user_id: int, except_token: str | None = None) -> int:
    stmt = update(AuthSession).where(
        AuthSession.user_id == user_id, AuthSession.ended_at.is_(None)
    )
    if except_token:
        stmt = stmt.where(AuthSession.token_hash != _hash(except_token))
    return db.session.execute(stmt.values(ended_at=utcnow())).rowcount


def session_id_for(token: str | None) -> int | None:
    if not token:
        return None
    return db.session.scalar(select(AuthSession.id).where(AuthSession.token_hash == _hash(token)))


# Facts every signed-in page needs come in the same statement as the user rather than one
# statement each: the user's memberships and appointments in force today (the permission
# model's, forum.permissions.base) and the bell's unread count (forum.notifications.inbox).
# Each is a scalar subquery correlated to ``users`` that may use the bound parameter ``today``.
# Built once, at the first sign-in check: building a statement costs more than running it.
_statement: Select | None = None


@dataclass(frozen=True, slots=True)
class LoadedWithSession:
    """What came with the signed-in user, kept on the user object for this request (like
    ``current_session_token``): nothing is left on ``flask.g`` for later code to find."""

    on: date  # the day ``today`` was bound to: appointments in force on that day
    held_memberships: object  # JSON rows, read by forum.permissions.base
    held_appointments: object
    unread_notifications: int


def _user_by_session() -> Select:
    global _statement
    if _statement is None:
        _statement = (
            select(User, AuthSession.last_seen_at.label("session_seen_at"),
                   held_memberships_column().label("held_memberships"),
                   held_appointments_column().label("held_appointments"),
                   unread_notifications_column().label("unread_notifications"))
            .join(AuthSession, AuthSession.user_id == User.id)
            .where(AuthSession.token_hash == bindparam("token_hash"),
                   AuthSession.ended_at.is_(None))
        )
    return _statement


@login_manager.user_loader
def load_user(token: str) -> User | None:
    if not token:
        return None
    today = utcnow().date()  # the standing columns ask what is in force today
    row = db.session.execute(_user_by_session(),
                             {"token_hash": _hash(token), "today": today}).first()
    if row is None:
        return None
    user = row[0]
    user.current_session_token = token
    user.current_session_seen_at = row.session_seen_at
    user.loaded_with_session = LoadedWithSession(
        today, row.held_memberships, row.held_appointments, row.unread_notifications or 0)
    return user


def active_sessions(user_id: int) -> list[AuthSession]:
    return list(db.session.scalars(
        select(AuthSession)
        .where(AuthSession.user_id == user_id, AuthSession.ended_at.is_(None))
        .order_by(AuthSession.last_seen_at.desc(), AuthSession.id.desc())
    ))


def end_session_by_id(user_id: int, session_id: int) -> bool:
    """End one of the user's own sessions; False if there is no such active session of theirs."""
    return db.session.execute(
        update(AuthSession)
        .where(AuthSession.id == session_id, AuthSession.user_id == user_id,
               AuthSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    ).rowcount == 1


def touch_session(token: str | None, seen_at: datetime | None = None) -> None:
    """Record activity on a POST (never on a GET: reading a page writes nothing).

    Runs in the request's own transaction, so it is saved when the view commits. At most once a
    minute per session, so busy members do not write a row on every click; ``seen_at`` (loaded
    with the user) spares the statement altogether when the session was seen within the minute.
    """
    now = utcnow()
    if not token or (seen_at is not None and seen_at >= now - TOUCH_INTERVAL):
        return
    db.session.execute(
        update(AuthSession)
        .where(AuthSession.token_hash == _hash(token), AuthSession.ended_at.is_(None),
               AuthSession.last_seen_at < now - TOUCH_INTERVAL)
        .values(last_seen_at=now, ip_address=_client()["ip_address"])
    )


TOUCH_INTERVAL = timedelta(minutes=1)
