"""Event times: zones, recurrence and occurrences.

Stored in UTC with the event's IANA zone. A repeating event is expanded with dateutil's rrule
in the event's LOCAL wall time (naive, in its zone), and each local start is then converted to
UTC: a 10:00 America/Chicago monthly event stays at 10:00 Chicago across daylight saving.
An all-day event is a run of calendar days; it is shown by its days, never converted, so it
never shifts a day for a reader in another zone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.rrule import MONTHLY, WEEKLY, rrulestr

MAX_OCCURRENCES = 500
MAX_SPAN = timedelta(days=5 * 366)
# Rule parts a weekly or monthly event needs ("2nd Tuesday": BYDAY=2TU). Others (BYSETPOS,
# BYMONTH, BYHOUR…) could describe dates that never come, which rrule searches for up to the
# year 9999 before giving up, or many times a day.
_PART = re.compile(r"^[A-Z]{1,12}=[A-Z0-9,+\-]{1,100}$")
ALLOWED_PARTS = frozenset({"FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY", "WKST"})


class TimeError(ValueError):
    """Bad times or rule; the message is for the form."""


def zone(name: str) -> ZoneInfo:
    """The zone called ``name``; TimeError for anything the tz database does not know."""
    if not name or len(name) > 64 or "\x00" in name or name.startswith(("/", ".")):
        raise TimeError("Choose a time zone such as America/Chicago.")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise TimeError(f"Unknown time zone “{name}”.") from None


def to_utc(local: datetime, tz: ZoneInfo) -> datetime:
    """A naive wall time in ``tz`` as an aware UTC moment (a nonexistent time moves forward)."""
    aware = local.replace(tzinfo=tz)
    # A wall time skipped by a spring-forward round-trips to a different wall time: keep it.
    return aware.astimezone(UTC)


def local_naive(moment: datetime, tz: ZoneInfo) -> datetime:
    return moment.astimezone(tz).replace(tzinfo=None)


def parse_rule(text: str, dtstart: datetime) -> list[datetime]:
    """All local starts of ``text`` (an RRULE value) from ``dtstart`` (naive local), refusing
    a rule that is not weekly or monthly, never ends, or yields too many dates."""
    text = (text or "").strip().upper()
    if text.startswith("RRULE:"):
        text = text[6:]
    if not text:
        return [dtstart]
    if len(text) > 300 or "\n" in text or "\r" in text:
        raise TimeError("That repeat rule is too long.")
    if not all(_PART.match(p) for p in text.split(";")):
        raise TimeError("That repeat rule is not valid (e.g. FREQ=MONTHLY;COUNT=6).")
    parts = {p.split("=", 1)[0] for p in text.split(";")}
    unknown = parts - ALLOWED_PARTS
    if unknown:
        raise TimeError("A repeat rule may use FREQ, INTERVAL, COUNT, UNTIL, BYDAY or "
                        f"BYMONTHDAY, not {', '.join(sorted(unknown))[:60]}.")
    if {"BYDAY", "BYMONTHDAY"} <= parts:
        raise TimeError("Use BYDAY or BYMONTHDAY, not both.")
    try:
        rule = rrulestr(text, dtstart=dtstart, ignoretz=True)
    except (ValueError, TypeError, OverflowError, KeyError, IndexError):
        raise TimeError("That repeat rule is not valid (e.g. FREQ=MONTHLY;COUNT=6).") from None
    if getattr(rule, "_freq", None) not in (WEEKLY, MONTHLY):
        raise TimeError("Events repeat weekly or monthly (FREQ=WEEKLY or FREQ=MONTHLY).")
    if rule._count is None and rule._until is None:
        raise TimeError("A repeating event needs an end: COUNT=… or UNTIL=….")
    if rule._count is not None and rule._count > MAX_OCCURRENCES:
        raise TimeError(f"At most {MAX_OCCURRENCES} occurrences.")
    cap = dtstart + MAX_SPAN
    if rule._until is not None and rule._until.replace(tzinfo=None) > cap:
        raise TimeError("A repeating event may run for at most five years.")
    # Expand within the five years only: a rule that matches rarely or never (Feb 30th) then
    # stops at the cap instead of searching to the year 9999.
    try:
        starts = _expand(rule, cap)
    except (ValueError, TypeError, OverflowError, KeyError, IndexError):
        raise TimeError("That repeat rule is not valid (e.g. FREQ=MONTHLY;COUNT=6).") from None
    if not starts:
        raise TimeError("That repeat rule yields no dates.")
    return starts


def _expand(rule, cap: datetime) -> list[datetime]:
    bounded = rule.replace(count=None, until=rule._until or cap)
    starts = []
    for start in bounded:
        starts.append(start.replace(tzinfo=None))
        if len(starts) > MAX_OCCURRENCES:
            raise TimeError(f"At most {MAX_OCCURRENCES} occurrences.")
        if rule._count is not None and len(starts) == rule._count:
            return starts
    if rule._count is not None and starts:
        raise TimeError("A repeating event may run for at most five years.")
    return starts


def parse_exdates(text: str) -> list[date]:
    out = []
    for part in (text or "").replace("\n", ",").split(","):
        part = part.strip()
        if not part:
            continue
        try:
            out.append(date.fromisoformat(part))
        except ValueError:
            raise TimeError(f"“{part[:20]}” is not a date (YYYY-MM-DD).") from None
    if len(out) > MAX_OCCURRENCES:
        raise TimeError("Too many exception dates.")
    return sorted(set(out))


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One occurrence: its UTC start/end (for all-day events, midnight in the event's zone)
    and, for all-day events, its calendar days."""

    starts_at: datetime
    ends_at: datetime
    all_day: bool
    first_day: date | None = None
    last_day: date | None = None  # inclusive

    @property
    def days_label(self) -> str:
        return days_label(self.first_day, self.last_day) if self.all_day else ""

    @property
    def key(self) -> str:
        """What ?on= names: the local first day (all-day) or the UTC start."""
        return self.first_day.isoformat() if self.all_day else self.starts_at.strftime(
            "%Y-%m-%dT%H%MZ")


def occurrences(event) -> list[Occurrence]:
    """Every occurrence of ``event`` (bounded by the rule's limits), exceptions left out."""
    return list(_occurrences(event.timezone, event.all_day, event.start_date, event.end_date,
                             event.starts_at, event.ends_at, event.rrule or "",
                             event.exdates or ""))


@lru_cache(maxsize=4096)
def _occurrences(zone_name: str, all_day: bool, start_date: date | None, end_date: date | None,
                 starts_at: datetime, ends_at: datetime, rule: str,
                 exdates: str) -> tuple[Occurrence, ...]:
    """The expansion, a pure function of the event's times, kept per process: a calendar page
    reads the same few dozen series on every request, and expanding them (rrule, a zone
    conversion per date) was two thirds of a member's list page (bench, 37 monthly series).
    Any edit changes the arguments, so an entry is never stale."""
    tz = zone_or_utc(zone_name)
    excluded = {date.fromisoformat(d) for d in exdates.split(",") if d.strip()}
    if all_day:
        days = (end_date - start_date).days
        first = datetime.combine(start_date, time())
        out = []
        for start in parse_rule(rule, first):
            d = start.date()
            if d in excluded:
                continue
            last = d + timedelta(days=days)
            out.append(Occurrence(to_utc(start, tz),
                                  to_utc(datetime.combine(last + timedelta(days=1), time()), tz),
                                  True, d, last))
        return tuple(out)
    local_start = local_naive(starts_at, tz)
    wall = local_naive(ends_at, tz) - local_start
    return tuple(Occurrence(to_utc(start, tz), to_utc(start + wall, tz), False)
                 for start in parse_rule(rule, local_start) if start.date() not in excluded)


def zone_or_utc(name: str):
    try:
        return zone(name)
    except TimeError:
        return UTC


def find_occurrence(event, key: str | None) -> Occurrence | None:
    """The occurrence ``key`` names (see Occurrence.key); None for an unknown key. No key: the
    next one still running, else the last."""
    all_ = occurrences(event)
    if not all_:
        return None
    if key:
        for occ in all_:
            if occ.key == key or (not occ.all_day and occ.starts_at.date().isoformat() == key):
                return occ
        return None
    now = datetime.now(UTC)
    for occ in all_:
        if occ.ends_at >= now:
            return occ
    return all_[-1]


def occurrence_at(event, starts_at: datetime) -> Occurrence | None:
    for occ in occurrences(event):
        if occ.starts_at == starts_at:
            return occ
    return None


def days_label(first: date, last: date, year: bool = True) -> str:
    """"March 7–11, 2027", "March 30 – April 2, 2027", "March 7, 2027"; without ``year``
    "March 7–11" (a run across new year always names both years)."""
    if first.year != last.year:
        return f"{first:%B} {first.day}, {first.year} – {last:%B} {last.day}, {last.year}"
    suffix = f", {first.year}" if year else ""
    if first == last:
        return f"{first:%B} {first.day}{suffix}"
    if first.month == last.month:
        return f"{first:%B} {first.day}–{last.day}{suffix}"
    return f"{first:%B} {first.day} – {last:%B} {last.day}{suffix}"
