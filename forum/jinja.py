"""Template globals and filters shared by every page."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Flask, g
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup

from forum.submissions import new_key


def register_jinja(app: Flask) -> None:
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.filters["trusted_html"] = trusted_html
    # Dates print in the render's ``reader_zone`` (set for every render by _zone_context; a
    # view reading a section's pages passes its own for visitors, see reader_zone).
    app.jinja_env.filters["datetime"] = _datetime_filter
    app.jinja_env.filters["date"] = _date_filter
    # A term's end is stored exclusive (the first day out of office): printed, its last day.
    app.jinja_env.filters["last_day"] = format_last_day
    app.context_processor(_zone_context)
    app.jinja_env.filters["iso"] = lambda d: d.isoformat() if d else ""
    app.jinja_env.filters["filesize"] = format_filesize
    app.jinja_env.filters["initials"] = initials
    # The one-time key of a hand-written form that creates something (forum/submissions.py).
    app.jinja_env.globals["new_submission_key"] = new_key

    @app.context_processor
    def inject_globals():
        return {
            "perms": g.get("perms"),
            "site_name": app.config["SITE_NAME"],
            "url_rules": app.view_functions,  # lets templates link only to features that exist
        }


def trusted_html(html: str | None) -> Markup:
    """Only for HTML produced by forum.markup at write time (stored beside its source)."""
    return Markup(html or "")


def zone_named(name: str | None) -> tzinfo:
    """The zone called ``name``, or UTC for a name this machine's tz database lacks (a zone
    withdrawn from it must not break a page). ZoneInfo keeps the zones it made: asking again
    is a dictionary lookup."""
    try:
        return ZoneInfo(name) if name else UTC
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return UTC


def reader_zone(section_zone: str | None = None) -> tzinfo:
    """The zone dates are printed in: a signed-in member's own (their settings); for a visitor,
    the zone of the section whose pages they read (``section_zone``, the section's
    ``timezone``), else UTC. Views of a section's pages pass ``reader_zone=reader_zone(...)``
    to render_template; every other render gets ``reader_zone()`` from _zone_context."""
    user = current_user
    if getattr(user, "is_authenticated", False):
        return zone_named(user.timezone)
    return zone_named(section_zone)


def _zone_context() -> dict[str, tzinfo]:
    # Once per render: the date filters read it from the context instead of asking per date.
    return {"reader_zone": reader_zone()}


DATETIME_FORMAT = "%-d %b %Y, %H:%M"  # "4 Nov 2026, 09:30", in the reader's time zone
_MONTHS = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def format_datetime(value: datetime | None, fmt: str = DATETIME_FORMAT,
                    zone: tzinfo | None = None) -> str:
    """``value`` as the reader reads it, in their time zone (``zone``: theirs, when a caller
    printing many dates has it at hand already; else ``reader_zone()``)."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    local = value.astimezone(zone or reader_zone())
    if fmt == DATETIME_FORMAT:
        # A thread page prints one per post: written out, it costs a third of strftime's
        # (which goes through the C library and its locale for %b). Same text as the format.
        return (f"{local.day} {_MONTHS[local.month]} {local.year}, "
                f"{local.hour:02d}:{local.minute:02d}")
    return local.strftime(fmt)


DATE_FORMAT = "%-d %b %Y"  # "4 Nov 2026"


def format_date(value: date | datetime | None, fmt: str = DATE_FORMAT,
                zone: tzinfo | None = None) -> str:
    """The day of ``value``: a moment (datetime) on the reader's calendar, in ``zone`` (else
    ``reader_zone()``) like format_datetime; a plain ``date`` (a term's last day, a deadline)
    is a calendar day already and prints as it is."""
    if not value:
        return ""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(zone or reader_zone())
    return value.strftime(fmt)


def format_last_day(ends_on: date | None, fmt: str = DATE_FORMAT) -> str:
    """The last day of a term whose ``ends_on`` is exclusive (appointments, volunteering
    terms): the one way every page and mail prints a term's end, so the group page, the
    leaders' history and an opportunity agree on the day."""
    if not ends_on:
        return ""
    return format_date(ends_on - timedelta(days=1), fmt)


@pass_context
def _datetime_filter(context, value: datetime | None, fmt: str = DATETIME_FORMAT) -> str:
    # A macro imported without context has no reader_zone: format_datetime then asks.
    return format_datetime(value, fmt, context.get("reader_zone"))


@pass_context
def _date_filter(context, value: date | datetime | None, fmt: str = DATE_FORMAT) -> str:
    return format_date(value, fmt, context.get("reader_zone"))


def format_filesize(size: int | None) -> str:
    if size is None:
        return ""
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return ""


# Words a group's initials skip: "Committee on the Status of Women" is CS, not CO.
_MINOR_WORDS = frozenset({"a", "an", "and", "for", "in", "of", "on", "the", "to"})


def initials(name: str) -> str:
    """Up to two capital letters for a name, from its first two words that matter (letters
    and digits only: "Alpha <Readers> & Co" is AR)."""
    words = ["".join(ch for ch in word if ch.isalnum()) for word in name.split()]
    words = [w for w in words if w]
    major = [w for w in words if w.lower() not in _MINOR_WORDS] or words
    return "".join(w[0] for w in major[:2]).upper() or "?"
