"""The calendar's pages: the month grid (a real table), the list and its pages, the group
filter, one event and its dates, publishing through the form, query budgets and the visitors'
page cache; bad input is a 4xx, never a 500."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from forum.events import times
from forum.events.models import Event
from forum.events.services import cancel_event
from forum.extensions import db
from forum.groups.models import Visibility
from forum.querycount import count_queries
from tests.factories import make_group, make_section
from tests.factories_events import make_event
from tests.helpers import csrf_token, login


def test_month_grid_is_a_table_with_caption_and_headers(client, app):
    make_event(section=make_section(), title="Workshop", start_date=date(2027, 3, 16))
    html = client.get("/events/?month=2027-03").get_data(as_text=True)
    assert "<table" in html and "<caption>March 2027: 1 event" in html
    assert html.count('<th scope="col">') == 7
    assert "Workshop" in html
    assert 'href="/events/?month=2027-02"' in html and 'href="/events/?month=2027-04"' in html
    assert "Workshop" not in client.get("/events/?month=2027-05").get_data(as_text=True)


@pytest.mark.parametrize("month", ["2027-13", "2027-00", "abcd-ef", "99999-01", "2027-1",
                                   "0000-01", "2027-03\x00", "9" * 400, "-2027-03"])
def test_a_bad_month_is_a_400(client, app, month):
    assert client.get("/events/", query_string={"month": month}).status_code == 400


@pytest.mark.parametrize("page", ["-1", "0", "abc", "99999999999999999999"])
def test_bad_page_numbers_are_not_errors(client, app, page):
    assert client.get(f"/events/list?page={page}").status_code == 200


def test_list_is_paginated_and_soonest_first(client, app):
    section = make_section()
    for n in range(23):
        make_event(section=section, title=f"Meeting {n:02d}", days_ahead=n + 1)
    first = client.get("/events/list").get_data(as_text=True)
    titles = re.findall(r"Meeting \d\d", first)
    assert titles == [f"Meeting {n:02d}" for n in range(20)]
    assert 'aria-label="Pages of events"' in first
    second = client.get("/events/list?page=2").get_data(as_text=True)
    assert re.findall(r"Meeting \d\d", second) == ["Meeting 20", "Meeting 21", "Meeting 22"]


def test_a_repeating_series_interleaves_with_one_off_events_on_every_page(client, app):
    # One-off events are read a page at a time; a weekly series that began before all of them
    # still lands each date in its place, and the page links count every date.
    section = make_section()
    for n in range(25):
        make_event(section=section, title=f"Meeting {n:02d}", days_ahead=2 * n + 2)
    make_event(section=section, title="Weekly clinic", days_ahead=1,
               rrule="FREQ=WEEKLY;COUNT=10")
    page_one = client.get("/events/list").get_data(as_text=True)
    page_two = client.get("/events/list?page=2").get_data(as_text=True)
    page_three = client.get("/events/list?page=3").get_data(as_text=True)
    found = [re.findall(r"(Meeting \d\d|Weekly clinic)", html)
             for html in (page_one, page_two, page_three)]
    assert [len(titles) for titles in found] == [20, 15, 0]
    everything = found[0] + found[1]
    assert everything.count("Weekly clinic") == 10
    assert [t for t in everything if t != "Weekly clinic"] == [
        f"Meeting {n:02d}" for n in range(25)]
    # Both at 10:00 Chicago: the order is the days' order (clinic: day 1, 8, 15, …).
    days = [(2 * n + 2, f"Meeting {n:02d}") for n in range(25)]
    days += [(1 + 7 * w, "Weekly clinic") for w in range(10)]
    assert everything == [title for _day, title in sorted(days)]
    assert 'href="/events/list?page=2"' in page_one


def test_list_is_filtered_by_group(client, app):
    section = make_section()
    a = make_group(section=section, slug="alpha", visibility=Visibility.PUBLIC)
    b = make_group(section=section, slug="beta", visibility=Visibility.PUBLIC)
    make_event(section=section, group=a, title="Alpha meets")
    make_event(section=section, group=b, title="Beta meets")
    html = client.get("/events/list?group=alpha").get_data(as_text=True)
    assert "Alpha meets" in html and "Beta meets" not in html
    assert client.get("/events/list?group=nosuch").status_code == 404
    assert client.get("/events/?group=alpha").status_code == 200


def test_a_private_groups_events_show_on_the_list_month_and_home_only_to_its_members(
        client, world):
    # One-off and repeating, named by their group, a cancelled series marked on every date;
    # a member outside the group sees none of them, but does see the section-wide event.
    shortlist = make_event(section=world.section, group=world.private, days_ahead=3,
                           title="Shortlist meeting")
    clinic = make_event(section=world.section, group=world.private, days_ahead=1,
                        title="Nominating clinic", rrule="FREQ=WEEKLY;COUNT=3")
    make_event(section=world.section, days_ahead=2, title="Section social")
    cancel_event(clinic)
    db.session.commit()
    month = f"/events/?month={shortlist.starts_at:%Y-%m}"
    insider = client.application.test_client()
    login(insider, world.group_member)
    login(client, world.member)
    for url in ("/events/list", month, "/"):
        inside = insider.get(url).get_data(as_text=True)
        outside = client.get(url).get_data(as_text=True)
        assert "Shortlist meeting" in inside and "Shortlist meeting" not in outside, url
        assert "Nominating clinic" not in outside, url
    listed = insider.get("/events/list").get_data(as_text=True)
    assert listed.count("Nominating clinic</a> <strong class=\"event-cancelled\">"
                        "(cancelled)</strong>") == 3
    assert listed.count("· Nominating Committee") == 4 and "· Whole section" in listed
    assert "Section social" in client.get("/events/list").get_data(as_text=True)
    assert "Section social" in client.get("/").get_data(as_text=True)


def test_repeating_event_page_shows_the_chosen_date(client, app):
    ev = make_event(section=make_section(), title="Coffee", start_date=date(2030, 1, 7),
                    rrule="FREQ=WEEKLY;COUNT=3")
    occ = times.occurrences(ev)
    html = client.get(f"/events/{ev.id}?on={occ[1].key}").get_data(as_text=True)
    assert "14 January 2030" in html
    assert client.get(f"/events/{ev.id}?on=2030-01-14").status_code == 200
    assert client.get(f"/events/{ev.id}?on=2030-01-08").status_code == 404
    assert client.get(f"/events/{ev.id}?on=%00").status_code in (400, 404)
    assert client.get("/events/99999999999999999").status_code == 404


def test_publishing_through_the_form_once_even_when_sent_twice(client, world):
    login(client, world.leader)
    token = csrf_token(client, "/events/new")
    page = client.get("/events/new").get_data(as_text=True)
    key = re.search(r'name="submission_key" type="hidden" value="([^"]+)"', page).group(1)
    form = {"csrf_token": token, "submission_key": key, "group": f"g{world.group.id}",
            "title": "Project clinic", "description": "Bring a **project**.",
            "timezone": "Europe/London", "start_date": "2030-05-02", "end_date": "2030-05-02",
            "start_time": "09:00", "end_time": "10:30", "capacity": "10"}
    first = client.post("/events/new", data=form)
    again = client.post("/events/new", data=form)
    assert first.status_code == 302 and again.status_code == 302
    assert db.session.scalar(select(func.count(Event.id))) == 1
    ev = db.session.scalar(select(Event))
    assert ev.group_id == world.group.id and "<strong>project</strong>" in ev.description_html
    assert ev.starts_at.hour == 8  # 09:00 BST
    # A leader may not publish for the whole section.
    bad = client.post("/events/new", data={**form, "group": f"s{world.section.id}",
                                           "submission_key": key + "x"})
    assert bad.status_code == 400


def _statements(client, url):
    with count_queries() as q:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(q)


@pytest.mark.parametrize("url,budget", [
    ("/events/", 3), ("/events/list", 3), ("/events/recordings", 4),
])
def test_read_pages_run_a_constant_number_of_queries(client, world, url, budget):
    def grow(n):
        for i in range(n):
            make_event(section=world.section, group=world.group, days_ahead=i + 1,
                       rrule="FREQ=WEEKLY;COUNT=3")
            make_event(section=world.section, days_ahead=i + 2)
    grow(2)
    login(client, world.group_member)
    small = _statements(client, url)
    grow(8)
    assert _statements(client, url) == small <= budget  # the member's own statement included
    visitor = client.application.test_client()
    with count_queries() as q:
        assert visitor.get(url).status_code == 200
    assert len(q) <= budget


def test_event_page_query_budget(client, world):
    ev = make_event(section=world.section, group=world.group, capacity=5)
    login(client, world.group_member)
    assert _statements(client, f"/events/{ev.id}") <= 5


def test_visitors_calendar_comes_from_the_cache_and_a_new_event_reaches_them(app):
    section = make_section()
    make_event(section=section, title="First")
    db.session.commit()
    url = "/events/list"
    assert app.test_client().get(url).headers.get("X-Page-Cache") == "miss"
    assert app.test_client().get(url).headers.get("X-Page-Cache") == "hit"
    make_event(section=section, title="Second")
    db.session.commit()
    fresh = app.test_client().get(url)
    assert "Second" in fresh.get_data(as_text=True)


@pytest.mark.parametrize("which", ["/events/", "/events/recordings", "event", "/articles/"])
def test_visitors_read_the_calendar_pages_from_the_cache_without_a_session(app, which):
    section = make_section()
    event = make_event(section=section, title="Open house", capacity=10)
    db.session.commit()
    url = f"/events/{event.id}" if which == "event" else which
    first = app.test_client().get(url)
    assert first.status_code == 200 and "Set-Cookie" not in first.headers, url
    assert app.test_client().get(url).headers.get("X-Page-Cache") == "hit", url


def test_nav_links_the_calendar(client, app):
    assert 'href="/events/">Calendar</a>' in client.get("/events/list").get_data(as_text=True)
