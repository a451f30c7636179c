"""Answering events: seats, the waiting list and its order, refusals that change nothing,
cancellations that tell attendees, and the reminder the day before (never sent twice)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from forum.db import utcnow, writing
from forum.events import rsvps, times
from forum.events.models import Event, EventStatus, Rsvp, RsvpAnswer
from forum.events.services import EventError, cancel_event
from forum.extensions import db
from forum.mailing.models import Delivery
from tests.factories import make_section, make_user
from tests.factories_events import make_event, make_rsvp
from tests.helpers import login, logout, post

GOING, MAYBE, NOT_GOING = RsvpAnswer.GOING, RsvpAnswer.MAYBE, RsvpAnswer.NOT_GOING


def _answer(client, event, answer, on=None):
    data = {"answer": answer}
    if on:
        data["on"] = on
    return post(client, f"/events/{event.id}/rsvp", data, token_from=f"/events/{event.id}")


def _mine(event, user):
    return db.session.scalar(select(Rsvp).where(Rsvp.event_id == event.id,
                                                Rsvp.user_id == user.id))


def _occ(event):
    return times.occurrences(event)[0]


def test_member_answers_and_changes_their_answer(client, app):
    ev = make_event(section=make_section())
    member = make_user()
    login(client, member)
    assert _answer(client, ev, "going").status_code == 302
    assert _mine(ev, member).answer == GOING
    assert _answer(client, ev, "maybe").status_code == 302
    assert _mine(ev, member).answer == MAYBE
    assert db.session.scalar(select(func.count(Rsvp.id))) == 1


def test_answering_twice_the_same_is_a_clear_error(client, app):
    ev = make_event(section=make_section())
    member = make_user()
    login(client, member)
    _answer(client, ev, "going")
    response = _answer(client, ev, "going")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "You have already answered" in page


def test_past_and_cancelled_events_take_no_answers(app):
    section = make_section()
    member = make_user()
    past = make_event(section=section, days_ahead=-3)
    with pytest.raises(EventError, match="already started"):
        rsvps.answer(member, past, _occ(past), GOING)
    ev = make_event(section=section)
    cancel_event(ev)
    with pytest.raises(EventError, match="cancelled"):
        rsvps.answer(member, ev, _occ(ev), GOING)
    db.session.flush()
    assert db.session.scalar(select(func.count(Rsvp.id))) == 0


def test_capacity_fills_then_queues_in_order_and_promotes_the_first(app, mail):
    ev = make_event(section=make_section(), capacity=2)
    occ = _occ(ev)
    a, b, c, d = (make_user() for _ in range(4))
    now = utcnow()
    for n, u in enumerate((a, b, c, d)):
        rsvps.answer(u, ev, occ, GOING, now=now + timedelta(seconds=n))
    assert [_mine(ev, u).waitlisted for u in (a, b, c, d)] == [False, False, True, True]
    assert rsvps.queue_position(_mine(ev, d)) == 2
    rsvps.answer(a, ev, occ, NOT_GOING)  # a seat frees up: c, first in the queue, gets it
    db.session.commit()
    assert _mine(ev, c).has_seat and _mine(ev, d).waitlisted
    assert rsvps.queue_position(_mine(ev, d)) == 1
    sent = mail.deliver()
    assert [m["To"] for m in sent] == [c.email]
    assert "A seat has opened" in sent[0].get_content()
    rsvps.answer(b, ev, occ, MAYBE)
    db.session.commit()
    assert _mine(ev, d).has_seat
    assert rsvps.seats_taken(ev.id, occ.starts_at) == 2


def test_a_waitlisted_member_leaving_promotes_nobody(app):
    ev = make_event(section=make_section(), capacity=1)
    occ = _occ(ev)
    a, b, c = (make_user() for _ in range(3))
    for u in (a, b, c):
        rsvps.answer(u, ev, occ, GOING)
    rsvps.answer(b, ev, occ, NOT_GOING)
    assert _mine(ev, a).has_seat and _mine(ev, c).waitlisted


def test_answers_are_per_occurrence_of_a_repeating_event(client, app):
    ev = make_event(section=make_section(), rrule="FREQ=WEEKLY;COUNT=3", capacity=1)
    occ = times.occurrences(ev)
    member = make_user()
    login(client, member)
    assert _answer(client, ev, "going", on=occ[1].key).status_code == 302
    assert _answer(client, ev, "going", on=occ[2].key).status_code == 302
    rows = db.session.scalars(select(Rsvp).order_by(Rsvp.occurrence_at)).all()
    assert [r.occurrence_at for r in rows] == [occ[1].starts_at, occ[2].starts_at]
    assert _answer(client, ev, "going", on="2001-01-01").status_code == 404


def test_cancelling_tells_everyone_who_answered_and_bumps_sequence(client, world, mail):
    ev = make_event(section=world.section, capacity=1)
    going, maybe, waiting, no = (make_user() for _ in range(4))
    make_rsvp(event=ev, user=going)
    make_rsvp(event=ev, user=maybe, answer=MAYBE)
    make_rsvp(event=ev, user=waiting, waitlisted=True)
    make_rsvp(event=ev, user=no, answer=NOT_GOING)
    login(client, world.section_admin)
    response = post(client, f"/events/{ev.id}/cancel", token_from=f"/events/{ev.id}")
    assert response.status_code == 302
    db.session.refresh(ev)
    assert ev.status == EventStatus.CANCELLED and ev.sequence == 1 and ev.cancelled_at
    assert sorted(m["To"] for m in mail.deliver()) == sorted(
        u.email for u in (going, maybe, waiting))
    again = post(client, f"/events/{ev.id}/cancel", token_from=f"/events/{ev.id}")
    assert again.status_code == 302
    assert db.session.get(Event, ev.id).sequence == 1  # nothing changed the second time


def test_editing_bumps_sequence_only_for_what_calendars_show(client, world):
    ev = make_event(section=world.section, title="Week", start_date=date(2030, 1, 8))
    login(client, world.section_admin)
    form = {"group": f"s{world.section.id}", "title": "Week", "timezone": "America/Chicago",
            "start_date": "2030-01-08", "end_date": "2030-01-08", "start_time": "10:00",
            "end_time": "11:00", "description": "What we will do."}
    url = f"/events/{ev.id}/edit"
    assert post(client, url, form, token_from=url).status_code == 302
    assert db.session.get(Event, ev.id).sequence == 0
    assert post(client, url, {**form, "start_time": "11:00", "end_time": "12:00"},
                token_from=url).status_code == 302
    assert db.session.get(Event, ev.id).sequence == 1


def test_reminders_go_once_the_day_before(app, mail):
    soon = make_event(section=make_section(), days_ahead=1)
    later = make_event(section=make_section(), days_ahead=5)
    a, b, c = make_user(), make_user(), make_user()
    make_rsvp(event=soon, user=a)
    make_rsvp(event=soon, user=b, answer=NOT_GOING)
    make_rsvp(event=later, user=c)
    db.session.commit()
    now = soon.starts_at - timedelta(hours=20)
    with writing():
        assert rsvps.send_due_reminders(now) == 1
        db.session.commit()
        assert rsvps.send_due_reminders(now) == 0  # a rerun (or a second worker) sends nothing
        assert rsvps.send_due_reminders(now + timedelta(hours=1)) == 0
        db.session.commit()
    sent = mail.deliver()
    assert [m["To"] for m in sent] == [a.email]
    assert "tomorrow" in sent[0].get_content()
    assert db.session.scalar(select(func.count(Delivery.id))) == 1




def test_the_mail_worker_queues_and_sends_due_reminders(app, mail):
    local = (utcnow() + timedelta(hours=12)).astimezone(times.zone("America/Chicago"))
    local = local.replace(second=0, microsecond=0)
    later = local + timedelta(hours=1)
    soon = make_event(section=make_section(), start_date=local.date(), end_date=later.date(),
                      start_time=local.time(), end_time=later.time())
    member = make_user()
    rsvp_id, email = make_rsvp(event=soon, user=member).id, member.email
    db.session.commit()
    for _ in range(2):  # the second run finds nothing left to remind
        result = app.test_cli_runner().invoke(args=["deliver"])
        assert result.exit_code == 0, result.output
    assert db.session.get(Rsvp, rsvp_id).reminded_at is not None
    assert [m["To"] for m in mail.messages] == [email]


def test_editing_an_all_day_event_keeps_its_days(client, world):
    ev = make_event(section=world.section, all_day=True, start_date=date(2030, 3, 7),
                    end_date=date(2030, 3, 11), title="Week")
    login(client, world.section_admin)
    url = f"/events/{ev.id}/edit"
    page = client.get(url).get_data(as_text=True)
    assert 'value="2030-03-07"' in page and 'value="2030-03-11"' in page
    form = {"group": f"s{world.section.id}", "title": "Week", "timezone": "America/Chicago",
            "all_day": "y", "start_date": "2030-03-07", "end_date": "2030-03-12",
            "description": "What we will do."}
    assert post(client, url, form, token_from=url).status_code == 302
    ev = db.session.get(Event, ev.id)
    assert (ev.start_date, ev.end_date, ev.sequence) == (date(2030, 3, 7), date(2030, 3, 12), 1)


def test_raising_the_capacity_seats_the_waiting_list_in_order(client, world, mail):
    ev = make_event(section=world.section, capacity=1, start_date=date(2030, 1, 8))
    first, second, third = (make_user() for _ in range(3))
    make_rsvp(event=ev, user=first)
    make_rsvp(event=ev, user=second, waitlisted=True)
    make_rsvp(event=ev, user=third, waitlisted=True)
    _mine(ev, third).queued_at = _mine(ev, second).queued_at + timedelta(seconds=1)
    login(client, world.section_admin)
    url = f"/events/{ev.id}/edit"
    form = {"group": f"s{world.section.id}", "title": ev.title, "timezone": "America/Chicago",
            "start_date": "2030-01-08", "end_date": "2030-01-08", "start_time": "10:00",
            "end_time": "11:00", "description": "What we will do.", "capacity": "2"}
    assert post(client, url, form, token_from=url).status_code == 302
    assert _mine(ev, second).has_seat and _mine(ev, third).waitlisted
    assert [m["To"] for m in mail.deliver()] == [second.email]


def test_editors_see_who_answered_and_members_do_not(client, world):
    ev = make_event(section=world.section, group=world.group, capacity=1)
    make_rsvp(event=ev, user=world.group_member)
    make_rsvp(event=ev, user=world.moderator, waitlisted=True)
    make_rsvp(event=ev, user=world.member, answer=NOT_GOING)
    login(client, world.leader)
    html = client.get(f"/events/{ev.id}").get_data(as_text=True)
    section = html.split('id="who-heading"')[1].split("</section>")[0]
    names = re.findall(r'<li><a href="/members/(\w+)">', section)
    assert names == [world.group_member.username, world.moderator.username]
    assert "waiting list" in html
    logout(client)
    login(client, world.group_member)
    assert "Who answered" not in client.get(f"/events/{ev.id}").get_data(as_text=True)
