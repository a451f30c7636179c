"""Dates as readers read them: a member on their own calendar, a visitor on the section's, a
plain date as it is; the thread page's fast path prints what strftime would."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import render_template_string
from flask_login import login_user

from forum.extensions import db
from forum.groups.models import Visibility
from forum.jinja import DATETIME_FORMAT, format_date, format_datetime, reader_zone
from tests.factories import make_group, make_user
from tests.factories_files import make_file
from tests.helpers import login

NEW_YEAR_IN_UTC = datetime(2026, 1, 1, 3, 0, tzinfo=UTC)  # 21:00 on New Year's Eve in Chicago


def _member_in(zone: str):
    member = make_user()
    member.timezone = zone
    db.session.flush()
    return member


def test_post_dates_read_as_the_format_says_in_every_month(app):
    with app.test_request_context("/"):
        for month in range(1, 13):
            moment = datetime(2026, month, 3 if month % 2 else 28, month, 4 * month, tzinfo=UTC)
            assert format_datetime(moment) == moment.strftime(DATETIME_FORMAT)
        assert format_datetime(datetime(2026, 11, 4, 9, 7, tzinfo=UTC)) == "4 Nov 2026, 09:07"
        assert format_datetime(None) == ""


def test_post_dates_are_in_the_readers_time_zone(app):
    member = _member_in("America/New_York")
    with app.test_request_context("/"):
        login_user(member)
        moment = datetime(2026, 1, 1, 3, 30, tzinfo=UTC)  # still New Year's Eve in New York
        assert format_datetime(moment) == "31 Dec 2025, 22:30"
        naive = datetime(2026, 7, 1, 12, 0)  # stored without a zone: taken as UTC
        assert format_datetime(naive) == "1 Jul 2026, 08:00"
        assert format_datetime(moment + timedelta(days=1), "%Y-%m-%d") == "2026-01-01"


def test_a_member_in_chicago_reads_the_local_date(app):
    member = _member_in("America/Chicago")
    with app.test_request_context("/"):
        login_user(member)
        page = render_template_string("{{ d|date }} · {{ d|datetime }}", d=NEW_YEAR_IN_UTC)
        assert page == "31 Dec 2025 · 31 Dec 2025, 21:00"
        # A section's zone is for visitors: the member keeps their own.
        assert render_template_string("{{ d|date }}", d=NEW_YEAR_IN_UTC,
                                      reader_zone=reader_zone("Asia/Tokyo")) == "31 Dec 2025"
        assert format_date(NEW_YEAR_IN_UTC) == "31 Dec 2025"


def test_a_visitor_reads_dates_in_the_sections_zone(app):
    with app.test_request_context("/"):
        assert render_template_string("{{ d|date }}", d=NEW_YEAR_IN_UTC) == "1 Jan 2026"
        section_page = "{{ d|date }} · {{ d|datetime }}"
        assert render_template_string(
            section_page, d=NEW_YEAR_IN_UTC, reader_zone=reader_zone("America/Chicago"),
        ) == "31 Dec 2025 · 31 Dec 2025, 21:00"
        # A section whose zone left the tz database reads in UTC rather than failing.
        assert render_template_string("{{ d|date }}", d=NEW_YEAR_IN_UTC,
                                      reader_zone=reader_zone("Atlantis/Capital")) == "1 Jan 2026"


def test_a_plain_date_prints_as_it_is_in_every_zone(app):
    member = _member_in("Pacific/Kiritimati")  # UTC+14: a moment's date moves a day
    with app.test_request_context("/"):
        login_user(member)
        deadline = date(2026, 1, 1)
        assert render_template_string("{{ d|date }}", d=deadline) == "1 Jan 2026"
        assert format_date(deadline, "%Y-%m-%d") == "2026-01-01"
        assert format_date(datetime(2026, 1, 1, 12, 0)) == "2 Jan 2026"  # naive: taken as UTC
        assert format_date(None) == ""


def test_dates_follow_daylight_saving_time_on_both_sides_of_the_change(app):
    chicago = ZoneInfo("America/Chicago")
    with app.test_request_context("/"):
        # 8 March 2026, 02:00 CST: clocks jump to 03:00 CDT (08:00 UTC).
        assert format_datetime(datetime(2026, 3, 8, 7, 59, tzinfo=UTC),
                               zone=chicago) == "8 Mar 2026, 01:59"
        assert format_datetime(datetime(2026, 3, 8, 8, 0, tzinfo=UTC),
                               zone=chicago) == "8 Mar 2026, 03:00"
        # 1 November 2026, 02:00 CDT: clocks fall back to 01:00 CST. Half past midnight UTC-5
        # before the change, half past eleven UTC-6 after it: each on its own local day.
        assert format_date(datetime(2026, 10, 31, 5, 30, tzinfo=UTC), zone=chicago) == \
            "31 Oct 2026"
        assert format_date(datetime(2026, 11, 2, 5, 30, tzinfo=UTC), zone=chicago) == \
            "1 Nov 2026"
        visitor = render_template_string("{{ d|datetime }}", d=datetime(2026, 11, 1, 7, 30,
                                                                       tzinfo=UTC),
                                         reader_zone=reader_zone("America/Chicago"))
        assert visitor == "1 Nov 2026, 01:30"  # the second 01:30 of that night (CST)


def test_a_group_page_reads_in_the_sections_zone_for_visitors_and_in_theirs_for_members(
        app, client, world):
    group = make_group(section=world.section, slug="open-house", visibility=Visibility.PUBLIC)
    make_file(group=group, uploader=world.leader).updated_at = NEW_YEAR_IN_UTC
    world.section.timezone = "America/Chicago"
    db.session.flush()
    visitor_page = client.get("/g/open-house").get_data(as_text=True)
    assert "31 Dec 2025" in visitor_page and "1 Jan 2026" not in visitor_page
    member = app.test_client()
    login(member, world.member)  # a member in UTC, the default
    member_page = member.get("/g/open-house").get_data(as_text=True)
    assert "1 Jan 2026" in member_page and "31 Dec 2025" not in member_page


def test_a_thread_and_its_group_list_read_in_the_sections_zone_for_visitors(app, client, world):
    from tests.factories_discussions import make_thread, root_post

    group = make_group(section=world.section, slug="open-forum", visibility=Visibility.PUBLIC)
    thread = make_thread(group=group, author=world.leader, title="New Year")
    root_post(thread).created_at = NEW_YEAR_IN_UTC
    thread.last_post_at = NEW_YEAR_IN_UTC
    world.section.timezone = "America/Chicago"
    db.session.commit()
    for url in (f"/g/open-forum/t/{thread.id}", "/g/open-forum/discussions"):
        page = client.get(url).get_data(as_text=True)
        assert "31 Dec 2025, 21:00" in page and "1 Jan 2026" not in page, url
    member = app.test_client()
    login(member, world.member)  # in UTC, the default: their own zone, not the section's
    page = member.get(f"/g/open-forum/t/{thread.id}").get_data(as_text=True)
    assert "1 Jan 2026, 03:00" in page and "31 Dec 2025" not in page
