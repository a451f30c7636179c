"""Factories for the calendar: keyword-only, sensible defaults, added and flushed."""

from __future__ import annotations

import itertools
from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

from forum.db import utcnow
from forum.events import services
from forum.events.models import Recording, Rsvp, RsvpAnswer
from forum.events.services import EventInput
from forum.extensions import db

_seq = itertools.count(1)


def make_event(*, section, group=None, user=None, title: str | None = None,
               timezone: str = "America/Chicago", all_day: bool = False,
               start_date: date | None = None, end_date: date | None = None,
               start_time: time = time(10), end_time: time = time(11), days_ahead: int = 7,
               rrule: str = "", exdates: str = "", capacity: int | None = None,
               featured: bool = False, online_url: str = "", location: str = "",
               description: str = "What we will do."):
    if start_date is None:
        start_date = utcnow().astimezone(ZoneInfo(timezone)).date() + timedelta(days=days_ahead)
    return services.create_event(user, section.id, group.id if group else None, EventInput(
        title=title or f"Event {next(_seq)}", description=description, timezone=timezone,
        all_day=all_day, start_date=start_date, end_date=end_date or start_date,
        start_time=None if all_day else start_time, end_time=None if all_day else end_time,
        rrule=rrule, exdates=exdates, location=location, online_url=online_url,
        capacity=capacity, featured=featured))


def make_rsvp(*, event, user, answer: RsvpAnswer = RsvpAnswer.GOING, occurrence_at=None,
              waitlisted: bool = False):
    rsvp = Rsvp(event_id=event.id, occurrence_at=occurrence_at or event.starts_at,
                user_id=user.id, answer=answer, waitlisted=waitlisted,
                queued_at=utcnow() if waitlisted else None)
    db.session.add(rsvp)
    db.session.flush()
    return rsvp


def make_recording(*, event, title: str = "The recording", url: str = "https://video.example.org/1",
                   slides_url: str = "", members_only: bool = False, occurrence_at=None):
    rec = Recording(event_id=event.id, title=title, url=url, slides_url=slides_url,
                    members_only=members_only, occurrence_at=occurrence_at or event.starts_at)
    db.session.add(rec)
    db.session.flush()
    return rec
