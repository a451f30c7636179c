"""Template globals and filters shared by every page."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Flask, g
from flask_login import current_user
from markupsafe import Markup


def register_jinja(app: Flask) -> None:
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.filters["trusted_html"] = trusted_html
    app.jinja_env.filters["datetime"] = format_datetime
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.filters["iso"] = lambda d: d.isoformat() if d else ""
    app.jinja_env.filters["filesize"] = format_filesize

    @app.context_processor
    def inject_globals():
        return {
            "perms": g.get("perms"),
            "site_name": app.config["SITE_NAME"],
            "url_rules": app.view_functions,  # lets the layout link only to features that exist
        }


def trusted_html(html: str | None) -> Markup:
    """Only for HTML produced by forum.markup at write time (stored beside its source)."""
    return Markup(html or "")


def _user_zone():
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


def format_datetime(value: datetime | None, fmt: str = "%-d %b %Y, %H:%M") -> str:
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(_user_zone()).strftime(fmt)


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
