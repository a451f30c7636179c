"""iCalendar (RFC 5545) for events, built with the ``icalendar`` package.

Each event is one VEVENT with its stable UID and SEQUENCE; timed events carry DTSTART/DTEND
with the event's TZID (and the VTIMEZONE it names), all-day events VALUE=DATE days (DTEND is
the day after the last, as RFC 5545 wants); repeating events RRULE and EXDATE; cancelled
events STATUS:CANCELLED.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from icalendar import Calendar, vRecur
from icalendar import Event as VEvent

from forum.events import times
from forum.events.models import Event

PRODID = "-//forum//events//EN"


def _recur(rule: str) -> vRecur:
    return vRecur.from_ical(rule)


def vevent(event: Event, url: str, online_url: str | None) -> VEvent:
    ve = VEvent()
    ve.add("uid", event.uid)
    ve.add("sequence", event.sequence)
    ve.add("dtstamp", event.updated_at)
    ve.add("created", event.created_at)
    ve.add("last-modified", event.updated_at)
    ve.add("summary", event.title)
    if event.description:
        ve.add("description", event.description)
    if event.location:
        ve.add("location", event.location)
    ve.add("url", url)
    if online_url:
        ve.add("conference", online_url, parameters={"value": "URI"})
    tz = times.zone_or_utc(event.timezone)
    if event.all_day:
        ve.add("dtstart", event.start_date)
        ve.add("dtend", event.end_date + timedelta(days=1))
    else:
        ve.add("dtstart", event.starts_at.astimezone(tz))
        ve.add("dtend", event.ends_at.astimezone(tz))
    if event.rrule:
        ve.add("rrule", _recur(event.rrule))
        for day in sorted(event.exdate_set()):
            if event.all_day:
                ve.add("exdate", day)
            else:
                local = times.local_naive(event.starts_at, tz)
                ve.add("exdate", datetime.combine(day, local.time()).replace(tzinfo=tz))
    ve.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    return ve


def calendar(name: str, items) -> bytes:
    """``items``: (event, url, online_url or None) triples."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    for event, url, online in items:
        cal.add_component(vevent(event, url, online))
    cal.add_missing_timezones()
    return cal.to_ical()


