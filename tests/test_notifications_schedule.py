"""Digests go out on schedule — at the digest hour in each member's own time zone, sent by the
delivery worker — exactly once per period, however many workers look."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from forum.digests.schedule import period_start, send_due_digests
from forum.digests.sending import send_digests
from forum.extensions import db
from forum.mailing.models import Delivery
from forum.notifications.services import post_published
from tests.factories import make_group, make_group_member
from tests.factories_notifications import make_post, make_thread

CHICAGO = ZoneInfo("America/Chicago")


def at(day: int, hour: int, minute: int = 0, zone=CHICAGO) -> datetime:
    """March 2027, for the calendar's own rules."""
    return datetime(2027, 3, day, hour, minute, tzinfo=zone).astimezone(UTC)


def day(n: int, hour: int, minute: int = 0) -> datetime:
    """``hour`` o'clock in Chicago ``n`` days from today (posts are written now)."""
    today = datetime.now(CHICAGO).date() + timedelta(days=n)
    return datetime(today.year, today.month, today.day, hour, minute,
                    tzinfo=CHICAGO).astimezone(UTC)


def test_the_period_starts_at_the_digest_hour_in_the_members_zone():
    assert period_start(at(9, 8), CHICAGO, "daily", 7, 0) == at(9, 7)
    assert period_start(at(9, 6, 59), CHICAGO, "daily", 7, 0) == at(8, 7)
    # Across the change to daylight time (March 14, 2027): still 07:00 on the wall clock.
    assert period_start(at(14, 9), CHICAGO, "daily", 7, 0) == at(14, 7)
    assert at(14, 7) - at(13, 7) == timedelta(hours=23)
    # Weekly on Mondays (March 8, 2027 is a Monday).
    assert period_start(at(10, 12), CHICAGO, "weekly", 7, 0) == at(8, 7)
    assert period_start(at(8, 6), CHICAGO, "weekly", 7, 0) == at(1, 7)


def digests_queued() -> int:
    return db.session.scalar(select(func.count()).select_from(Delivery).where(
        Delivery.subject.like("Your daily digest%"))) or 0


def test_each_member_gets_one_daily_digest_at_their_hour(app):
    group = make_group()
    author = make_group_member(group=group, username="author")
    reader = make_group_member(group=group, username="reader")  # daily digest by default
    reader.timezone = "America/Chicago"
    author.timezone = "Asia/Tokyo"
    thread, opening = make_thread(group=group, author=author, title="Budget hearings")
    post_published(opening)
    db.session.commit()
    # The first look makes the cursors (a first digest covers one period back).
    send_due_digests(day(0, 23, 50))
    assert digests_queued() == 1  # the reader's; the author's own post is not news to them
    later = make_post(thread=thread, author=author, parent=opening, body="A new reply.")
    post_published(later)
    db.session.commit()
    assert send_due_digests(day(1, 6, 59)) == 0  # before 07:00 in Chicago: not yet
    assert send_due_digests(day(1, 7, 1)) == 1  # the hour has come
    assert send_due_digests(day(1, 7, 2)) == 0  # a second worker, or the next round: once
    assert send_due_digests(day(1, 23, 0)) == 0
    assert digests_queued() == 2


def test_a_period_with_nothing_new_counts_as_done(app):
    group = make_group()
    author = make_group_member(group=group, username="author")
    reader = make_group_member(group=group, username="reader")
    reader.timezone = "America/Chicago"
    db.session.commit()
    assert send_due_digests(day(0, 23, 50)) == 0  # nothing new: no mail, but the day is done
    thread, opening = make_thread(group=group, author=author, title="Late news")
    post_published(opening)
    db.session.commit()
    assert send_due_digests(day(0, 23, 55)) == 0  # waits for tomorrow's digest
    assert send_due_digests(day(1, 7, 1)) == 1


def test_the_manual_command_still_sends_whatever_is_new(app):
    group = make_group()
    author = make_group_member(group=group, username="author")
    make_group_member(group=group, username="reader")
    thread, opening = make_thread(group=group, author=author, title="Now")
    post_published(opening)
    db.session.commit()
    assert send_digests("daily") == 1


def test_the_delivery_worker_sends_due_digests_over_smtp(app, mail):
    group = make_group(name="Budget and Finance Interest Group")
    author = make_group_member(group=group, username="author")
    reader = make_group_member(group=group, username="reader")
    reader.timezone = "UTC"
    address = reader.email
    thread, opening = make_thread(group=group, author=author, title="Spring allocation")
    post_published(opening)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["deliver"])
    assert result.exit_code == 0, result.output
    digests = [m for m in mail.messages if m["Subject"].startswith("Your daily digest")]
    assert [m["To"] for m in digests] == [address]
    assert "Spring allocation" in mail.text(digests[0])
