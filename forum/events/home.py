"""The home page's "Upcoming events" and "New recordings" blocks, and the save-the-date banner.

forum/home lists this module in FEATURES and shows ``next_featured_event`` as the banner.
Each block is one statement (plus expanding repeating events in Python).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from forum.db import run_columns, utcnow
from forum.events import times
from forum.events.models import Event, EventStatus
from forum.events.queries import upcoming
from forum.events.recordings import latest_recordings
from forum.extensions import db
from forum.home_block import HomeBlock
from forum.permissions import visible_events_clause

BLOCK_SIZE = 5


def home_blocks(perms) -> list[HomeBlock]:
    events = upcoming(perms, per_page=BLOCK_SIZE, count=False).items
    recs = latest_recordings(perms, BLOCK_SIZE)
    return [
        HomeBlock(key="events", title="Upcoming events", template="events/_home_events.html",
                  items=events),
        # Visitors see that recordings exist; members-only ones show the prompt per row.
        HomeBlock(key="recordings", title="New recordings",
                  template="events/_home_recordings.html", items=recs),
    ]


@dataclass(frozen=True, slots=True)
class FeaturedEvent:
    """The save-the-date banner: "2027 Interest Group Week — Save the Date, March 7–11"."""

    event_id: int
    title: str
    all_day: bool
    starts_at: datetime
    ends_at: datetime
    first_day: date | None
    last_day: date | None
    timezone: str

    @property
    def days_label(self) -> str:
        """"March 7–11, 2027" (a timed event: its day in the event's zone)."""
        return times.days_label(*self._days())

    @property
    def short_label(self) -> str:
        """"March 7–11", for "Save the Date, March 7–11" beside the year in the title."""
        return times.days_label(*self._days(), year=False)

    def _days(self) -> tuple[date, date]:
        if self.all_day:
            return self.first_day, self.last_day
        local = self.starts_at.astimezone(times.zone_or_utc(self.timezone)).date()
        return local, local


# The columns the banner prints and ``times.occurrences`` expands (it reads them by name):
# plain rows, not entities, for the up to five candidates.
_FEATURED = select(Event.id, Event.title, Event.all_day, Event.timezone, Event.starts_at,
                   Event.ends_at, Event.start_date, Event.end_date, Event.rrule, Event.exdates)


def next_featured_event(perms, now: datetime | None = None) -> FeaturedEvent | None:
    """The next featured, scheduled event the reader may see that is not over (one query)."""
    now = now or utcnow()
    events = run_columns(db.session, _FEATURED.where(
        Event.featured.is_(True), Event.series_ends_at > now,
        Event.status == EventStatus.SCHEDULED, visible_events_clause(perms))
        .order_by(Event.starts_at, Event.id).limit(5)).all()
    best = None
    for ev in events:
        for occ in times.occurrences(ev):
            if occ.ends_at > now:
                if best is None or occ.starts_at < best[1].starts_at:
                    best = (ev, occ)
                break
    if best is None:
        return None
    ev, occ = best
    return FeaturedEvent(ev.id, ev.title, ev.all_day, occ.starts_at, occ.ends_at,
                         occ.first_day, occ.last_day, ev.timezone)
