"""Digests on schedule: each member's daily digest at ``DIGEST_HOUR`` in their own time zone
(weekly: on ``DIGEST_WEEKDAY``), sent by the delivery worker (``flask deliver``, also under
``make run``) — exactly once per period, however many workers run.

A member is due when their digest cursor's ``sent_at`` is older than the start of the current
period in their zone. The due members are found in one statement (one clause per time zone in
use, so no per-member query for those who are not due); each due member's cursor then moves by
a conditional UPDATE (forum.digests.sending), so two workers never both send, and a
period with nothing new still counts as done (no re-check every round)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo

from flask import current_app
from sqlalchemy import and_, or_, select

from forum.db import utcnow
from forum.digests.sending import PERIODS, send_digests
from forum.extensions import db
from forum.jinja import zone_named
from forum.notifications.models import DigestCursor
from forum.users.models import User


def period_start(now: datetime, zone: tzinfo, period: str, hour: int, weekday: int) -> datetime:
    """The latest scheduled time at or before ``now``, in UTC: today's (or yesterday's)
    ``hour`` o'clock in ``zone``; for "weekly", that of the last ``weekday`` (0 = Monday). Wall
    clock arithmetic: 07:00 stays 07:00 across a daylight-saving change."""
    local = now.astimezone(zone)
    start = datetime(local.year, local.month, local.day, hour, tzinfo=zone)
    if period == "weekly":
        start -= timedelta(days=(local.weekday() - weekday) % 7)
    if start > local:
        start -= timedelta(days=7 if period == "weekly" else 1)
    return start.astimezone(UTC)


def due_members(period: str, now: datetime) -> set[int]:
    config = current_app.config
    zones = db.session.scalars(select(User.timezone).distinct()).all()
    clauses = []
    for name in zones:
        start = period_start(now, zone_named(name), period, config["DIGEST_HOUR"],
                             config["DIGEST_WEEKDAY"])
        clauses.append(and_(User.timezone == name,
                            or_(DigestCursor.sent_at.is_(None), DigestCursor.sent_at < start)))
    if not clauses:
        return set()
    rows = db.session.scalars(
        select(User.id).outerjoin(DigestCursor, and_(DigestCursor.user_id == User.id,
                                                     DigestCursor.period == period))
        .where(or_(*clauses)))
    return set(rows)


def send_due_digests(now: datetime | None = None) -> int:
    """Queue the digests whose time has come; returns how many were queued."""
    now = now or utcnow()
    queued = 0
    for period in PERIODS:
        due = due_members(period, now)
        db.session.commit()
        if due:
            queued += send_digests(period, now, due=due)
    return queued
