"""Publishing, editing and cancelling events; members' calendar-feed tokens.

Services check the *state* rules and the times (forum.events.times), change data and flush;
who may act is asked of ``g.perms`` by the view first. The view commits.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from forum.db import utcnow
from forum.events import times
from forum.events.models import CalendarFeed, Event, EventStatus, Rsvp, RsvpAnswer
from forum.extensions import db
from forum.mail import queue_bulk, render_mail, sender_domain
from forum.markup import render
from forum.notifications.emails import absolute
from forum.users.models import User

FIRST_YEAR, LAST_YEAR = 1970, 2200


class EventError(ValueError):
    """Why an event change cannot be made; ``field`` names the form field at fault."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass
class EventInput:
    """What the form sent, as plain values (dates and wall times in ``timezone``)."""

    title: str
    description: str
    timezone: str
    all_day: bool
    start_date: date
    end_date: date
    start_time: time | None = None
    end_time: time | None = None
    rrule: str = ""
    exdates: str = ""
    location: str = ""
    online_url: str = ""
    capacity: int | None = None
    featured: bool = False


@dataclass(frozen=True)
class Times:
    starts_at: datetime
    ends_at: datetime
    start_date: date | None
    end_date: date | None
    series_ends_at: datetime
    rrule: str
    exdates: str


def resolve_times(data: EventInput) -> Times:
    """The stored times for ``data``, or EventError naming the field at fault."""
    try:
        tz = times.zone(data.timezone)
    except times.TimeError as exc:
        raise EventError(str(exc), "timezone") from None
    for name in ("start_date", "end_date"):
        if not FIRST_YEAR <= getattr(data, name).year <= LAST_YEAR:
            raise EventError(f"Choose a date between {FIRST_YEAR} and {LAST_YEAR}.", name)
    if data.end_date < data.start_date:
        raise EventError("The event cannot end before it starts.", "end_date")
    if data.all_day:
        first = datetime.combine(data.start_date, time())
        last = datetime.combine(data.end_date + timedelta(days=1), time())
    else:
        if data.start_time is None or data.end_time is None:
            raise EventError("Give a start and an end time, or tick “All day”.", "start_time")
        first = datetime.combine(data.start_date, data.start_time)
        last = datetime.combine(data.end_date, data.end_time)
        if last <= first:
            raise EventError("The event cannot end before it starts.", "end_time")
    if last - first > timedelta(days=31):
        raise EventError("An event lasts at most 31 days; use a repeat rule instead.",
                         "end_date")
    rule = (data.rrule or "").strip().upper().removeprefix("RRULE:")
    try:
        starts = times.parse_rule(rule, first)
        exdates = times.parse_exdates(data.exdates) if rule else []
    except times.TimeError as exc:
        raise EventError(str(exc), "exdates" if "date" in str(exc) and "“" in str(exc)
                         else "rrule") from None
    if starts[0] != first:
        # The rule's first date is the event's first date (RFC 5545 counts DTSTART as one):
        # "FREQ=MONTHLY;BYDAY=2TU" published on a Friday starts on the next second Tuesday.
        shift = starts[0] - first
        first, last = first + shift, last + shift
        if data.all_day:
            data = replace(data, start_date=first.date(),
                           end_date=(last - timedelta(days=1)).date())
    kept = [s for s in starts if s.date() not in set(exdates)]
    if not kept:
        raise EventError("The exception dates leave no occurrence.", "exdates")
    return Times(
        starts_at=times.to_utc(first, tz), ends_at=times.to_utc(last, tz),
        start_date=data.start_date if data.all_day else None,
        end_date=data.end_date if data.all_day else None,
        series_ends_at=times.to_utc(kept[-1] + (last - first), tz),
        rrule=rule, exdates=",".join(d.isoformat() for d in exdates))


def _apply(event: Event, data: EventInput, t: Times) -> None:
    event.title = data.title.strip()
    if event.description != data.description or not event.description_html:
        event.description = data.description
        event.description_html = render(data.description)
    event.timezone = data.timezone
    event.all_day = data.all_day
    event.starts_at, event.ends_at = t.starts_at, t.ends_at
    event.start_date, event.end_date = t.start_date, t.end_date
    event.series_ends_at = t.series_ends_at
    event.rrule, event.exdates = t.rrule, t.exdates
    event.location = data.location.strip()
    event.online_url = data.online_url.strip()
    event.capacity = data.capacity
    event.featured = bool(data.featured)


def new_uid() -> str:
    return f"{uuid.uuid4()}@{sender_domain()}"


def create_event(user, section_id: int, group_id: int | None, data: EventInput) -> Event:
    t = resolve_times(data)
    event = Event(section_id=section_id, group_id=group_id, uid=new_uid(), sequence=0,
                  created_by_id=user.id if user is not None else None, description="")
    _apply(event, data, t)
    db.session.add(event)
    db.session.flush()
    return event


# What calendars care for: a change to any of these bumps SEQUENCE.
_CALENDAR_FIELDS = ("title", "description", "timezone", "all_day", "starts_at", "ends_at",
                    "start_date", "end_date", "rrule", "exdates", "location", "online_url")


def update_event(event: Event, data: EventInput) -> Event:
    if event.is_cancelled:
        raise EventError("This event is cancelled; it can no longer be changed.")
    t = resolve_times(data)
    before = {f: getattr(event, f) for f in _CALENDAR_FIELDS}
    _apply(event, data, t)
    if any(getattr(event, f) != before[f] for f in _CALENDAR_FIELDS):
        event.sequence = Event.sequence + 1  # in SQL: two editors never lose a bump
    db.session.flush()
    return event


def cancel_event(event: Event) -> int:
    """Cancel the event, bump SEQUENCE and tell everyone who answered going, maybe or is on
    the waiting list for an occurrence not yet over. Returns how many mails were queued."""
    if event.is_cancelled:
        raise EventError("This event is already cancelled.")
    event.status = EventStatus.CANCELLED
    event.cancelled_at = utcnow()
    event.sequence = Event.sequence + 1
    db.session.flush()
    rows = db.session.execute(
        select(User.email, User.display_name).join(Rsvp, Rsvp.user_id == User.id)
        .where(Rsvp.event_id == event.id,
               Rsvp.answer.in_((RsvpAnswer.GOING, RsvpAnswer.MAYBE)),
               Rsvp.occurrence_at >= utcnow() - (event.ends_at - event.starts_at))
        .distinct().order_by(User.email)).all()
    link = absolute("events.event", event_id=event.id)
    mails = []
    for email, name in rows:
        text, html = render_mail("event_cancelled", event=event, name=name, link=link)
        mails.append({"to_address": email, "subject": f"Cancelled: {event.title}",
                      "body_text": text, "body_html": html})
    return queue_bulk(mails)


# --- members' private feeds ----------------------------------------------------------------

def feed_of(user_id: int) -> CalendarFeed | None:
    return db.session.scalar(select(CalendarFeed).where(CalendarFeed.user_id == user_id))


def ensure_feed(user) -> CalendarFeed:
    feed = feed_of(user.id)
    if feed is None:
        feed = CalendarFeed(user_id=user.id, token=secrets.token_urlsafe(32))
        db.session.add(feed)
        db.session.flush()
    return feed


def reset_feed(user) -> CalendarFeed:
    feed = feed_of(user.id)
    if feed is None:
        return ensure_feed(user)
    feed.token = secrets.token_urlsafe(32)
    feed.created_at = utcnow()
    db.session.flush()
    return feed
