"""The calendar's read side: the list of upcoming occurrences, the month grid, one event.

Events are selected in SQL (visible to the reader, in range by ``starts_at`` and
``series_ends_at``, one statement with their group), then repeating ones are expanded in
Python (forum.events.times) and placed by the reader's zone; all-day events by their own days.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from operator import itemgetter

from sqlalchemy import Row, func, or_, select
from sqlalchemy.orm import aliased, joinedload

from forum.db import run_columns, utcnow
from forum.events import times
from forum.events.models import Event, EventStatus
from forum.extensions import db
from forum.groups.models import Group
from forum.pagecache.fragments import content_key
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


# What a calendar row prints or expands from, read as plain rows: ``times.occurrences``
# reads the time columns by name, so a row serves as the event. Loading the ~40 series of a
# member's page as entities with their group joined was most of the list page's CPU. The group
# is an alias (as joinedload's was) so that ``visible_events_clause``'s own subquery of
# ``groups`` can never be taken for the joined row.
_GROUP = aliased(Group, name="event_group")
_EVENT_ROWS = (
    select(Event.id, Event.title, Event.all_day, Event.starts_at, Event.ends_at,
           Event.start_date, Event.end_date, Event.timezone, Event.rrule, Event.exdates,
           Event.location, Event.status, Event.featured,
           _GROUP.name.label("group_name"), _GROUP.slug.label("group_slug"))
    .outerjoin(_GROUP, _GROUP.id == Event.group_id))


def _in_range(event: Event | Row, start: datetime, end: datetime) -> list[times.Occurrence]:
    return [occ for occ in times.occurrences(event)
            if occ.ends_at > start and occ.starts_at < end]


def _row(event: Row, occ: times.Occurrence) -> OccurrenceRow:
    """One occurrence of ``event`` (a row of ``_EVENT_ROWS``) as the templates read it."""
    return OccurrenceRow(
        event.id, event.title, event.group_name, event.group_slug, event.all_day,
        occ.starts_at, occ.ends_at, occ.first_day, occ.last_day, event.location,
        event.status == EventStatus.CANCELLED, event.featured, bool(event.rrule), occ.key)


def _events_between(perms, start: datetime, end: datetime, group_id: int | None,
                    section_id: int | None = None) -> list[Row]:
    stmt = (_EVENT_ROWS.where(visible_events_clause(perms), Event.starts_at < end,
                              Event.series_ends_at > start)
            .order_by(Event.starts_at, Event.id).limit(MAX_EVENTS))
    if group_id is not None:
        stmt = stmt.where(Event.group_id == group_id)
    if section_id is not None:
        stmt = stmt.where(Event.section_id == section_id)
    return run_columns(db.session, stmt).all()


_start_then_id = itemgetter(0, 1)


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
    wanted = first + per_page
    # One clause for the three statements: building it asks the reader's groups each time.
    visible = visible_events_clause(perms)

    def in_range(stmt):
        stmt = stmt.where(visible, Event.starts_at < end, Event.series_ends_at > now)
        return stmt.where(Event.group_id == group_id) if group_id is not None else stmt

    soonest_single = (in_range(select(Event.id)).where(Event.rrule == "")
                      .order_by(Event.starts_at, Event.id).limit(wanted))
    events = run_columns(db.session, in_range(_EVENT_ROWS)
                         .where(or_(Event.rrule != "", Event.id.in_(soonest_single)))
                         .order_by(Event.starts_at, Event.id).limit(MAX_EVENTS + wanted))
    # (start, event id, occurrence, event) for each date that could be on the page; rows are
    # made for the page's slice only (a member's page placed ~40 series × 20 dates).
    found: list[tuple[datetime, int, times.Occurrence, Row]] = []
    repeating = 0
    for event in events:
        in_range_ = _in_range(event, now, end)
        repeating += len(in_range_) if event.rrule else 0
        # A series' dates after its first ``wanted`` cannot be on this page: counted only.
        found += [(occ.starts_at, event.id, occ, event) for occ in in_range_[:wanted]]
    found.sort(key=_start_then_id)  # stable: as the rows were sorted before
    total = len(found)
    if count:
        singles = in_range(select(func.count())).select_from(Event).where(Event.rrule == "")
        total = repeating + (db.session.scalar(singles) or 0)
    return Page([_row(event, occ) for _at, _id, occ, event in found[first:wanted]],
                page, per_page, total)


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

    @property
    def fragment_key(self) -> str:
        """A digest of every day and occurrence: the key of the month grid's markup in the
        fragment cache (forum.pagecache.fragments), shared by readers who see the same events
        (the template adds their zone). Printing 120 occurrences was half the page's CPU."""
        return content_key(self)


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
        for occ in _in_range(event, start, end):
            row = _row(event, occ)
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
