"""Template globals and filters shared by every page."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Flask, g, request, url_for
from flask_login import current_user
from markupsafe import Markup

from forum.pagination import pagination
from forum.submissions import new_key
from forum.urls import cached_url, url_format


def register_jinja(app: Flask) -> None:
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.filters["trusted_html"] = trusted_html
    app.jinja_env.filters["datetime"] = format_datetime
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.filters["iso"] = lambda d: d.isoformat() if d else ""
    app.jinja_env.filters["filesize"] = format_filesize
    # Every template's url_for builds from a per-process pattern where one fits (forum.urls);
    # url_format is for lists whose items' links vary in several parts; every list's page
    # links come from forum.pagination.
    app.jinja_env.globals.update(url_for=cached_url, url_format=url_format,
                                 pagination=pagination)
    # The one-time key of a hand-written form that creates something (forum/submissions.py).
    app.jinja_env.globals["new_submission_key"] = new_key

    layout_links_by_root: dict[str, dict[str, str]] = {}

    def layout_links() -> dict[str, str]:
        """The layout's fixed links, built once per mount point instead of ~10 url_for calls on
        every page; only for endpoints that exist, so the layout links only to features that do."""
        root = request.script_root
        links = layout_links_by_root.get(root)
        if links is None:
            links = layout_links_by_root[root] = {
                name: url_for(endpoint, **values)
                for name, (endpoint, values) in LAYOUT_LINKS.items()
                if endpoint in app.view_functions
            }
        return links

    app.jinja_env.globals["layout_links"] = layout_links

    @app.context_processor
    def inject_globals():
        return {
            "perms": g.get("perms"),
            "site_name": app.config["SITE_NAME"],
            "url_rules": app.view_functions,  # lets templates link only to features that exist
        }


LAYOUT_LINKS = {
    "css": ("static", {"filename": "css/forum.css"}),
    "js": ("static", {"filename": "js/forum.js"}),
    "home": ("home.index", {}),
    "groups": ("groups.directory", {}),
    "my_groups": ("groups.mine", {}),
    "get_involved": ("volunteering.index", {}),
    "moderation": ("moderation.queue_all", {}),
    "notifications": ("notifications.index", {}),
    "settings": ("auth.settings", {}),
    "sign_out": ("auth.logout", {}),
    "sign_in": ("auth.login", {}),
    "join": ("auth.register", {}),
}


def trusted_html(html: str | None) -> Markup:
    """Only for HTML produced by forum.markup at write time (stored beside its source)."""
    return Markup(html or "")


def user_zone():
    # Looked up once per request: a thread page prints hundreds of dates.
    zone = g.get("_user_zone")
    if zone is None:
        name = getattr(current_user, "timezone", None) or "UTC"
        try:
            zone = ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            zone = UTC
        g._user_zone = zone
    return zone


DATETIME_FORMAT = "%-d %b %Y, %H:%M"  # "4 Nov 2026, 09:30", in the reader's time zone
_MONTHS = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def format_datetime(value: datetime | None, fmt: str = DATETIME_FORMAT, zone=None) -> str:
    """``value`` as the reader reads it, in their time zone (``zone``: theirs, when a caller
    printing many dates has it at hand already)."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    local = value.astimezone(zone or user_zone())
    if fmt == DATETIME_FORMAT:
        # A thread page prints one per post: written out, it costs a third of strftime's
        # (which goes through the C library and its locale for %b). Same text as the format.
        return (f"{local.day} {_MONTHS[local.month]} {local.year}, "
                f"{local.hour:02d}:{local.minute:02d}")
    return local.strftime(fmt)


def format_date(value, fmt: str = "%-d %b %Y") -> str:
    return value.strftime(fmt) if value else ""


def format_filesize(size: int | None) -> str:
    if size is None:
        return ""
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return ""
