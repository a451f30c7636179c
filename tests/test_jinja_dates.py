"""Dates as members read them: the thread page's fast path prints what strftime would."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import g

from forum.jinja import DATETIME_FORMAT, format_datetime


def test_post_dates_read_as_the_format_says_in_every_month(app):
    with app.test_request_context("/"):
        for month in range(1, 13):
            moment = datetime(2026, month, 3 if month % 2 else 28, month, 4 * month, tzinfo=UTC)
            assert format_datetime(moment) == moment.strftime(DATETIME_FORMAT)
        assert format_datetime(datetime(2026, 11, 4, 9, 7, tzinfo=UTC)) == "4 Nov 2026, 09:07"
        assert format_datetime(None) == ""


def test_post_dates_are_in_the_readers_time_zone(app):
    from zoneinfo import ZoneInfo

    with app.test_request_context("/"):
        g._user_zone = ZoneInfo("America/New_York")  # what the reader's settings give
        moment = datetime(2026, 1, 1, 3, 30, tzinfo=UTC)  # still New Year's Eve in New York
        assert format_datetime(moment) == "31 Dec 2025, 22:30"
        naive = datetime(2026, 7, 1, 12, 0)  # stored without a zone: taken as UTC
        assert format_datetime(naive) == "1 Jul 2026, 08:00"
        assert format_datetime(moment + timedelta(days=1), "%Y-%m-%d") == "2026-01-01"
