"""The calendar's read side: the list of upcoming occurrences, the month grid, one event.

Events are selected in SQL (visible to the reader, in range by ``starts_at`` and
``series_ends_at``, one statement with their group), then repeating ones are expanded in
Python (forum.events.times) and placed by the reader's zone; all-day events by their own days.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from forum.db import utcnow
from forum.events import times
from forum.events.models import Event
from forum.extensions import db
from forum.groups.models import Group
from forum.pagination import Page
from forum.permissions import visible_events_clause

PER_PAGE = 20
MAX_EVENTS = 500  # events read for one page; the rest waits for a narrower range


@dataclass(frozen=True, slots=True)
class OccurrenceRow:
    event_id: int
    title: str
    group_name: str | None
    group_slug: str | None
    all_day: bool
    starts_at: datetime
    ends_at: datetime
    first_day: date | None
    last_day: date | None
    location: str
    cancelled: bool
    featured: bool
    repeats: bool
    key: str  # the ?on= value for a repeating event

    @property
    def days_label(self) -> str:
        return times.days_label(self.first_day, self.last_day) if self.all_day else ""

    def local_day(self, zone) -> date:
        return self.first_day if self.all_day else self.starts_at.astimezone(zone).date()


def _in_range(event: Event, start: datetime, end: datetime) -> list[times.Occurrence]:
    return [occ for occ in times.occurrences(event)
            if occ.ends_at > start and occ.starts_at < end]


def _rows(event: Event, start: datetime, end: datetime,
          occurrences: list[times.Occurrence] | None = None) -> list[OccurrenceRow]:
    group = event.group
    if occurrences is None:
        occurrences = _in_range(event, start, end)
    return [OccurrenceRow(
        event.id, event.title, group.name if group else None, group.slug if group else None,
        event.all_day, occ.starts_at, occ.ends_at, occ.first_day, occ.last_day,
        event.location, event.is_cancelled, event.featured, event.repeats, occ.key)
        for occ in occurrences]


def _events_between(perms, start: datetime, end: datetime, group_id: int | None,
                    section_id: int | None = None) -> list[Event]:
    stmt = (select(Event).options(joinedload(Event.group))
            .where(visible_events_clause(perms), Event.starts_at < end,
                   Event.series_ends_at > start)
            .order_by(Event.starts_at, Event.id).limit(MAX_EVENTS))
    if group_id is not None:
        stmt = stmt.where(Event.group_id == group_id)
    if section_id is not None:
        stmt = stmt.where(Event.section_id == section_id)
    return list(db.session.scalars(stmt).unique())


def upcoming(perms, *, page: int = 1, group_id: int | None = None,
             now: datetime | None = None, horizon_days: int = 366,
             per_page: int = PER_PAGE, count: bool = True) -> Page[OccurrenceRow]:
    """Occurrences not yet over within the next year, soonest first, one page of them.

    A one-off event is its own single occurrence, so only the first ``page × per_page`` of
    them (by start) can be on the page: those are read, with every repeating event in range
    (few; they are expanded here), in one statement. Reading and expanding all of a year's
    events instead cost a member's home page 26 ms at 2,000 events. ``count``: also count
    the one-off events for the page links (the home block needs no links)."""
    now = now or utcnow()
    end = now + timedelta(days=horizon_days)
    first = (page - 1) * per_page

    def in_range(stmt):
        stmt = stmt.where(visible_events_clause(perms), Event.starts_at < end,
                          Event.series_ends_at > now)
        return stmt.where(Event.group_id == group_id) if group_id is not None else stmt

    soonest_single = (in_range(select(Event.id)).where(Event.rrule == "")
                      .order_by(Event.starts_at, Event.id).limit(first + per_page))
    events = db.session.scalars(
        in_range(select(Event).options(joinedload(Event.group)))
        .where(or_(Event.rrule != "", Event.id.in_(soonest_single)))
        .order_by(Event.starts_at, Event.id).limit(MAX_EVENTS + first + per_page)).unique()
    rows, repeating, wanted = [], 0, first + per_page
    for event in events:
        found = _in_range(event, now, end)
        repeating += len(found) if event.repeats else 0
        # A series' dates after its first ``wanted`` cannot be on this page: counted only.
        rows += _rows(event, now, end, found[:wanted])
    rows.sort(key=lambda r: (r.starts_at, r.event_id))
    total = len(rows)
    if count:
        singles = in_range(select(func.count(Event.id))).where(Event.rrule == "")
        total = repeating + (db.session.scalar(singles) or 0)
    return Page(rows[first:first + per_page], page, per_page, total)


@dataclass(frozen=True, slots=True)
class Day:
    day: date
    in_month: bool
    is_today: bool
    items: list[OccurrenceRow]


@dataclass(frozen=True, slots=True)
class Month:
    year: int
    month: int
    weeks: list[list[Day]]
    first: date

    @property
    def title(self) -> str:
        return f"{self.first:%B} {self.year}"

    @property
    def prev(self) -> str:
        d = self.first - timedelta(days=1)
        return f"{d.year:04d}-{d.month:02d}"

    @property
    def next(self) -> str:
        d = self.first + timedelta(days=32)
        return f"{d.year:04d}-{d.month:02d}"

    @property
    def count(self) -> int:
        return sum(len(d.items) for w in self.weeks for d in w if d.in_month)


def month_grid(perms, year: int, month: int, zone, *, group_id: int | None = None,
               today: date | None = None) -> Month:
    """The month's weeks (Monday first), each day with the occurrences on it in ``zone``; a
    multi-day all-day event shows on each of its days."""
    cal = calendar.Calendar(firstweekday=0)
    days = list(cal.itermonthdates(year, month))
    first_day, last_day = days[0], days[-1]
    # A day's edge differs by at most 14 hours between zones: read a margin either side.
    start = datetime.combine(first_day, datetime.min.time(), UTC) - timedelta(days=1)
    end = datetime.combine(last_day, datetime.min.time(), UTC) + timedelta(days=2)
    on: dict[date, list[OccurrenceRow]] = {}
    for event in _events_between(perms, start, end, group_id):
        for row in _rows(event, start, end):
            if row.all_day:
                d = row.first_day
                while d <= row.last_day:
                    on.setdefault(d, []).append(row)
                    d += timedelta(days=1)
            else:
                on.setdefault(row.starts_at.astimezone(zone).date(), []).append(row)
    today = today or datetime.now(zone).date()
    weeks = []
    for i in range(0, len(days), 7):
        weeks.append([Day(d, d.month == month, d == today,
                          sorted(on.get(d, []), key=lambda r: (not r.all_day, r.starts_at)))
                      for d in days[i:i + 7]])
    return Month(year, month, weeks, date(year, month, 1))


def parse_month(value: str | None, today: date) -> tuple[int, int] | None:
    """``YYYY-MM`` within years 1900–2200, or None for nonsense; absent: this month."""
    if not value:
        return today.year, today.month
    if len(value) != 7 or value[4] != "-" or not (value[:4] + value[5:]).isdigit():
        return None
    year, month = int(value[:4]), int(value[5:])
    if not (1900 <= year <= 2200 and 1 <= month <= 12):
        return None
    return year, month


def group_by_slug(perms, slug: str) -> Group | None:
    """The group ``?group=`` names, if the reader may read it (else None: no leak)."""
    if not slug or len(slug) > 80:
        return None
    group = db.session.scalar(select(Group).where(Group.slug == slug))
    if group is None or not perms.can_read(group):
        return None
    return group


@dataclass(frozen=True, slots=True)
class Attendee:
    display_name: str
    username: str
    answer: str
    waitlisted: bool


def load_event(event_id: int) -> Event | None:
    return db.session.get(Event, event_id, options=[joinedload(Event.group),
                                                     joinedload(Event.section)])
