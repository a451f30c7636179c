"""Members racing for the last seat, served for real by a threaded server: exactly one gets
it, on SQLite (BEGIN IMMEDIATE queues the writers) and on PostgreSQL (the event row is locked
FOR UPDATE before the seats are counted); the others join the waiting list. One member double
clicking sends the same answer at once: one row, the rest a clear refusal, never a 500."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from forum.events.models import Rsvp
from forum.extensions import db
from tests.factories import make_section, make_user
from tests.factories_events import make_event
from tests.helpers import DEFAULT_PASSWORD
from tests.live_server import LiveServer, crowd, crowd_posts, tally

CROWD = 4


@pytest.fixture
def live(app):
    with LiveServer(app) as server:
        yield server


def test_exactly_one_member_gets_the_last_seat(live):
    ev = make_event(section=make_section(), capacity=1)
    members = [make_user() for _ in range(CROWD)]
    browsers = []
    for m in members:
        b = live.browser()
        b.sign_in(m.email, DEFAULT_PASSWORD)
        browsers.append((b, b.token(f"/events/{ev.id}")))
    url = f"/events/{ev.id}/rsvp"
    answers = crowd([(lambda b=b, t=t: b.post(url, {"answer": "going", "csrf_token": t}))
                     for b, t in browsers])
    assert tally(answers) == {302: CROWD}
    db.session.rollback()
    rows = db.session.scalars(select(Rsvp).where(Rsvp.event_id == ev.id)).all()
    assert len(rows) == CROWD
    assert sum(1 for r in rows if r.has_seat) == 1
    assert sum(1 for r in rows if r.waitlisted) == CROWD - 1


def test_one_member_answering_at_once_makes_one_answer(live):
    ev = make_event(section=make_section(), capacity=5)
    member = make_user()
    browser = live.browser()
    browser.sign_in(member.email, DEFAULT_PASSWORD)
    answers = crowd_posts(browser, f"/events/{ev.id}/rsvp", CROWD,
                          lambda n: {"answer": "going"}, token_from=f"/events/{ev.id}")
    assert all(a.status == 302 for a in answers), tally(answers)
    db.session.rollback()
    assert db.session.scalar(select(func.count(Rsvp.id)).where(Rsvp.event_id == ev.id)) == 1
