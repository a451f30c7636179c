"""Event times: stored in UTC with the event's zone, repeating events expanded in local time,
all-day events by their days, and bad times refused with nothing saved."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from forum.events import times
from forum.events.models import Event
from forum.events.services import EventError, EventInput, resolve_times
from forum.extensions import db
from tests.factories import make_section, make_user
from tests.factories_events import make_event
from tests.helpers import login, post

CHICAGO = ZoneInfo("America/Chicago")


def _input(**kw):
    values = dict(title="T", description="", timezone="America/Chicago", all_day=False,
                  start_date=date(2027, 2, 1), end_date=date(2027, 2, 1),
                  start_time=time(10), end_time=time(11))
    values.update(kw)
    return EventInput(**values)


def test_monthly_10am_chicago_stays_10am_across_dst(app):
    # 2027: DST starts 14 March in the US. Feb 10:00 CST = 16:00 UTC; Apr 10:00 CDT = 15:00 UTC.
    ev = make_event(section=make_section(), start_date=date(2027, 2, 1),
                    rrule="FREQ=MONTHLY;COUNT=4")
    occ = times.occurrences(ev)
    assert [o.starts_at.astimezone(CHICAGO).hour for o in occ] == [10, 10, 10, 10]
    assert [o.starts_at.astimezone(UTC).hour for o in occ] == [16, 16, 15, 15]
    assert occ[2].starts_at == datetime(2027, 4, 1, 15, tzinfo=UTC)
    assert all(o.ends_at - o.starts_at == (occ[0].ends_at - occ[0].starts_at) for o in occ)


def test_exception_dates_leave_occurrences_out(app):
    ev = make_event(section=make_section(), start_date=date(2027, 1, 5),
                    rrule="FREQ=WEEKLY;COUNT=4", exdates="2027-01-12")
    days = [o.starts_at.astimezone(CHICAGO).date() for o in times.occurrences(ev)]
    assert days == [date(2027, 1, 5), date(2027, 1, 19), date(2027, 1, 26)]
    assert ev.series_ends_at.astimezone(CHICAGO).date() == date(2027, 1, 26)


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Pacific/Pago_Pago", "Asia/Tokyo",
                                  "America/Los_Angeles"])
def test_all_day_event_never_shifts_a_day_for_a_reader_elsewhere(client, app, zone):
    section = make_section()
    make_event(section=section, title="Interest Group Week", all_day=True,
               start_date=date(2027, 3, 7), end_date=date(2027, 3, 11))
    reader = make_user()
    reader.timezone = zone
    login(client, reader)
    html = client.get("/events/?month=2027-03").get_data(as_text=True)
    cells = html.split("<td")[1:]
    with_event = [c.split('class="day-number"')[1][:40] for c in cells
                  if "Interest Group Week" in c]
    days = [int(c.split(">")[1].split("<")[0]) for c in with_event]
    assert days == [7, 8, 9, 10, 11], (zone, days)
    page = client.get("/events/list").get_data(as_text=True)
    assert "March 7–11, 2027" in page


def test_timed_event_shows_in_the_readers_zone(client, app):
    make_event(section=make_section(), title="Webinar", start_date=date(2027, 3, 2))
    reader = make_user()
    reader.timezone = "Europe/Paris"
    login(client, reader)
    html = client.get("/events/list").get_data(as_text=True)
    assert "Tue 2 Mar 2027, 17:00" in html  # 10:00 CST is 17:00 CET


@pytest.mark.parametrize("kw,field", [
    (dict(end_date=date(2027, 1, 31)), "end_date"),
    (dict(end_time=time(9)), "end_time"),
    (dict(start_date=date(1, 1, 1), timezone="Asia/Tokyo"), "start_date"),
    (dict(end_date=date(9999, 12, 31)), "end_date"),
    (dict(timezone="Mars/Olympus_Mons"), "timezone"),
    (dict(timezone="../../etc/passwd"), "timezone"),
    (dict(rrule="FREQ=MONTHLY"), "rrule"),
    (dict(rrule="FREQ=WEEKLY;UNTIL=20990101"), "rrule"),
    (dict(rrule="FREQ=WEEKLY;COUNT=100000"), "rrule"),
    (dict(rrule="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;UNTIL=20300101"), "rrule"),
    (dict(rrule="FREQ=DAILY;COUNT=3"), "rrule"),
    (dict(rrule="FREQ=SECONDLY;COUNT=3"), "rrule"),
    (dict(rrule="not a rule"), "rrule"),
    (dict(rrule="FREQ=MONTHLY;COUNT=3;BYDAY=53MO"), "rrule"),
    (dict(rrule="FREQ=WEEKLY;COUNT=5;BYSETPOS=2;BYDAY=MO"), "rrule"),
    (dict(rrule="FREQ=WEEKLY;COUNT=5;BYMONTH=2;BYMONTHDAY=30"), "rrule"),
    (dict(rrule="FREQ=MONTHLY;COUNT=5;BYDAY=5MO;BYMONTHDAY=1"), "rrule"),
    (dict(rrule="FREQ=WEEKLY;COUNT=5;BYHOUR=1,2,3"), "rrule"),
    (dict(rrule="FREQ=MONTHLY;COUNT=3;INTERVAL=1000"), "rrule"),
    (dict(rrule="FREQ=MONTHLY;COUNT=2", exdates="2027-02-01,2027-03-01"), "exdates"),
    (dict(rrule="FREQ=MONTHLY;COUNT=2", exdates="yesterday"), "exdates"),
])
def test_bad_times_are_refused(app, kw, field):
    with pytest.raises(EventError) as caught:
        resolve_times(_input(**kw))
    assert caught.value.field == field


def test_bad_times_in_the_form_are_clear_errors_and_save_nothing(client, world):
    login(client, world.section_admin)
    before = db.session.scalar(select(func.count(Event.id)))
    for data, message in [
        ({"timezone": "Nowhere/Atlantis"}, "Unknown time zone"),
        ({"end_date": "2027-01-01"}, "cannot end before it starts"),
        ({"start_date": "0001-01-01", "timezone": "Asia/Tokyo"}, "Choose a date between"),
        ({"end_date": "9999-12-31", "all_day": "y"}, "Choose a date between"),
        ({"rrule": "FREQ=WEEKLY"}, "needs an end"),
        ({"rrule": "FREQ=WEEKLY;COUNT=9999"}, "At most 500"),
        ({"rrule": "FREQ=WEEKLY;;;=="}, "not valid"),
        ({"online_url": "javascript:alert(1)//x.org"}, "https://"),
    ]:
        form = {"group": f"s{world.section.id}", "title": "Week", "timezone": "America/Chicago",
                "start_date": "2027-02-01", "end_date": "2027-02-01", "start_time": "10:00",
                "end_time": "11:00", **data}
        response = post(client, "/events/new", form, token_from="/events/new")
        assert response.status_code == 400, data
        assert message in response.get_data(as_text=True), data
    assert db.session.scalar(select(func.count(Event.id))) == before


def test_a_repeating_all_day_event_keeps_its_days(app):
    ev = make_event(section=make_section(), all_day=True, start_date=date(2027, 3, 7),
                    end_date=date(2027, 3, 8), rrule="FREQ=MONTHLY;COUNT=2",
                    timezone="Asia/Tokyo")
    occ = times.occurrences(ev)
    assert [(o.first_day, o.last_day) for o in occ] == [
        (date(2027, 3, 7), date(2027, 3, 8)), (date(2027, 4, 7), date(2027, 4, 8))]




def test_visitors_read_times_in_the_sections_zone(client, app):
    section = make_section()
    section.timezone = "Europe/Paris"
    ev = make_event(section=section, title="Webinar", start_date=date(2027, 3, 2))
    html = client.get(f"/events/{ev.id}").get_data(as_text=True)
    assert "Tuesday 2 March 2027, 17:00" in html and "CET" in html
    assert "Tue 2 Mar 2027, 17:00" in client.get("/events/list").get_data(as_text=True)


def test_a_rules_first_date_becomes_the_events_first_date(client, app):
    # Published for Friday 1 January 2027 with "every second Tuesday": it starts 12 January.
    ev = make_event(section=make_section(), start_date=date(2027, 1, 1),
                    rrule="FREQ=MONTHLY;BYDAY=2TU;COUNT=3")
    occ = times.occurrences(ev)
    assert occ[0].starts_at == ev.starts_at
    assert [o.starts_at.astimezone(CHICAGO).date() for o in occ] == [
        date(2027, 1, 12), date(2027, 2, 9), date(2027, 3, 9)]
    assert b"DTSTART;TZID=America/Chicago:20270112T100000" in client.get(
        f"/events/{ev.id}.ics").data
