"""iCalendar: what we serve parses with ``icalendar`` and says what RFC 5545 wants; private
feeds answer only their own secret token, and a reset token leaves the old URL a 404."""

from __future__ import annotations

from datetime import date

from icalendar import Calendar
from sqlalchemy import select

from forum.events.models import CalendarFeed, RsvpAnswer
from forum.events.services import cancel_event
from forum.extensions import db
from forum.groups.models import Visibility
from tests.factories import make_group, make_membership, make_section, make_user
from tests.factories_events import make_event, make_rsvp
from tests.helpers import login, logout, post


def _parse(response):
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "text/calendar"
    return Calendar.from_ical(response.data)


def _events(cal):
    return list(cal.walk("VEVENT"))


def test_a_timed_repeating_event(client, app):
    ev = make_event(section=make_section(), title="Webinar", start_date=date(2027, 2, 1),
                    rrule="FREQ=MONTHLY;COUNT=6", exdates="2027-04-01")
    cal = _parse(client.get(f"/events/{ev.id}.ics"))
    assert cal["VERSION"] == "2.0" and cal["PRODID"]
    (ve,) = _events(cal)
    assert str(ve["UID"]) == ev.uid and "@" in ev.uid
    assert int(ve["SEQUENCE"]) == 0 and ve.get("DTSTAMP") is not None
    start = ve["DTSTART"]
    assert start.params["TZID"] == "America/Chicago"
    assert start.dt.hour == 10 and start.dt.tzinfo is not None
    assert ve["RRULE"]["FREQ"] == ["MONTHLY"] and ve["RRULE"]["COUNT"] == [6]
    exdates = ve["EXDATE"] if isinstance(ve["EXDATE"], list) else [ve["EXDATE"]]
    assert [d.dt.date() for x in exdates for d in x.dts] == [date(2027, 4, 1)]
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["America/Chicago"]
    assert str(ve["STATUS"]) == "CONFIRMED"


def test_an_all_day_event_uses_dates_and_an_exclusive_end(client, app):
    ev = make_event(section=make_section(), all_day=True, start_date=date(2027, 3, 7),
                    end_date=date(2027, 3, 11))
    (ve,) = _events(_parse(client.get(f"/events/{ev.id}.ics")))
    assert ve["DTSTART"].params.get("VALUE") == "DATE" or type(ve["DTSTART"].dt) is date
    assert ve["DTSTART"].dt == date(2027, 3, 7)
    assert ve["DTEND"].dt == date(2027, 3, 12)
    assert b"DTSTART;VALUE=DATE:20270307" in client.get(f"/events/{ev.id}.ics").data


def test_cancelled_events_say_so_with_a_higher_sequence(client, app):
    ev = make_event(section=make_section())
    cancel_event(ev)
    (ve,) = _events(_parse(client.get(f"/events/{ev.id}.ics")))
    assert str(ve["STATUS"]) == "CANCELLED" and int(ve["SEQUENCE"]) == 1
    assert str(ve["UID"]) == ev.uid


def test_online_link_only_for_members_going(client, app):
    ev = make_event(section=make_section(), online_url="https://meet.example.org/x")
    assert b"meet.example.org" not in client.get(f"/events/{ev.id}.ics").data
    member = make_user()
    login(client, member)
    assert b"meet.example.org" not in client.get(f"/events/{ev.id}.ics").data
    make_rsvp(event=ev, user=member, answer=RsvpAnswer.GOING)
    assert b"meet.example.org" in client.get(f"/events/{ev.id}.ics").data


def test_group_and_section_feeds_keep_private_groups_private(client, app):
    section = make_section(slug="core")
    public = make_group(section=section, slug="open-group", visibility=Visibility.PUBLIC)
    private = make_group(section=section, slug="secret", visibility=Visibility.PRIVATE)
    make_event(section=section, title="Section week")
    make_event(section=section, group=public, title="Open meet-up")
    make_event(section=section, group=private, title="Secret meeting")
    titles = {str(e["SUMMARY"]) for e in _events(_parse(client.get("/events/sections/core.ics")))}
    assert titles == {"Section week", "Open meet-up"}
    group = {str(e["SUMMARY"]) for e in _events(_parse(
        client.get("/events/groups/open-group.ics")))}
    assert group == {"Open meet-up"}
    assert client.get("/events/groups/secret.ics").status_code == 404
    assert client.get("/events/groups/nope.ics").status_code == 404
    assert client.get("/events/sections/nope.ics").status_code == 404
    insider = make_user()
    make_membership(group=private, user=insider)
    login(client, insider)
    secret = {str(e["SUMMARY"]) for e in _events(_parse(client.get("/events/groups/secret.ics")))}
    assert secret == {"Secret meeting"}


def test_private_feed_lists_my_events_and_resets(client, app):
    section = make_section()
    going = make_event(section=section, title="Going to this")
    maybe = make_event(section=section, title="Maybe this", online_url="https://meet.example.org/m")
    make_event(section=section, title="Not this")
    member, other = make_user(), make_user()
    make_rsvp(event=going, user=member)
    make_rsvp(event=maybe, user=member, answer=RsvpAnswer.MAYBE)
    make_rsvp(event=going, user=other)
    login(client, member)
    assert client.get("/events/my-feed").status_code == 200
    assert post(client, "/events/my-feed", token_from="/events/my-feed").status_code == 302
    token = db.session.scalar(select(CalendarFeed.token).where(
        CalendarFeed.user_id == member.id))
    logout(client)
    url = f"/events/feed/{token}.ics"
    feed = _parse(client.get(url))  # a calendar app has no session: the token is the key
    assert {str(e["SUMMARY"]) for e in _events(feed)} == {"Going to this", "Maybe this"}
    assert b"meet.example.org" not in client.get(url).data  # "maybe" holds no seat
    assert "no-store" in client.get(url).headers["Cache-Control"]
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert client.get(f"/events/feed/{tampered}.ics").status_code == 404
    assert client.get("/events/feed/short.ics").status_code == 404
    login(client, member)
    post(client, "/events/my-feed", token_from="/events/my-feed")
    assert client.get(url).status_code == 404  # the old address is dead
    new = db.session.scalar(select(CalendarFeed.token).where(CalendarFeed.user_id == member.id))
    assert new != token and client.get(f"/events/feed/{new}.ics").status_code == 200


def test_private_feed_drops_events_the_member_may_no_longer_see(client, app):
    section = make_section()
    private = make_group(section=section, visibility=Visibility.PRIVATE)
    member = make_user()
    membership = make_membership(group=private, user=member)
    ev = make_event(section=section, group=private, title="Inner circle",
                    days_ahead=3)
    make_rsvp(event=ev, user=member)
    feed = CalendarFeed(user_id=member.id, token="t" * 40)
    db.session.add(feed)
    db.session.flush()
    assert b"Inner circle" in client.get("/events/feed/" + "t" * 40 + ".ics").data
    db.session.delete(membership)
    db.session.commit()
    assert b"Inner circle" not in client.get("/events/feed/" + "t" * 40 + ".ics").data
