"""Two reviewers acting at once on one application: only one of them can succeed.

Two threads, each with its own app context, session and database connection. Reviewer A takes
the decision and holds its transaction open; reviewer B loads the application meanwhile and
tries too. On PostgreSQL B's conditional UPDATE waits for A's row lock, then finds the status
changed and is refused; on SQLite B's BEGIN IMMEDIATE waits for A's commit, then B sees the
application accepted and changes nothing.
"""

from __future__ import annotations

import threading
import time

from sqlalchemy import func, select

from forum.db import writing
from forum.extensions import db
from forum.groups.models import Appointment, Group
from forum.mailing.models import Delivery
from forum.users.models import User
from forum.volunteering.decisions import Decision, decide
from forum.volunteering.models import Application, ApplicationStatus, Opportunity
from forum.volunteering.services import VolunteeringError
from tests.factories_volunteering import make_application, make_opportunity


def _reviewer(app, reviewer_id, application_id, decision, results, name, started, done):
    with app.test_request_context(), writing():
        try:
            if name == "b":
                started.wait(10)
            reviewer = db.session.get(User, reviewer_id)
            application = db.session.get(Application, application_id)
            _ = application.opportunity.group, application.user
            changed = decide(application, decision, reviewer)
            if name == "a":
                started.set()
                time.sleep(0.5)  # hold the transaction while B tries
            db.session.commit()
            results[name] = "changed" if changed else "unchanged"
        except VolunteeringError as exc:
            db.session.rollback()
            results[name] = f"refused: {exc}"
        finally:
            started.set()
            done.set() if name == "b" else None
            db.session.remove()


def _race(app, application, reviewers, decisions):
    db.session.commit()
    results, started, done = {}, threading.Event(), threading.Event()
    threads = [
        threading.Thread(target=_reviewer, args=(app, reviewer.id, application.id, decision,
                                                 results, name, started, done))
        for name, reviewer, decision in zip("ab", reviewers, decisions, strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def test_two_reviewers_accepting_at_once_appoint_once(app, world):
    opp = make_opportunity(group=world.group, openings=3)
    application = make_application(opportunity=opp, user=world.member)
    members_before = world.group.member_count
    results = _race(app, application, [world.leader, world.section_admin],
                    [Decision.ACCEPT, Decision.ACCEPT])
    assert results["a"] == "changed"
    assert results["b"] != "changed", results
    db.session.rollback()  # end the read snapshot taken before the race
    assert db.session.get(Application, application.id).status == ApplicationStatus.ACCEPTED
    assert db.session.get(Opportunity, opp.id).filled_count == 1
    assert db.session.get(Group, world.group.id).member_count == members_before + 1
    assert db.session.scalar(select(func.count(Appointment.id)).where(
        Appointment.user_id == world.member.id)) == 1
    assert db.session.scalar(select(func.count(Delivery.id))) == 1


def test_accept_racing_decline_leaves_exactly_one_decision(app, world):
    opp = make_opportunity(group=world.group, openings=3)
    application = make_application(opportunity=opp, user=world.member)
    results = _race(app, application, [world.leader, world.section_admin],
                    [Decision.ACCEPT, Decision.DECLINE])
    assert results["a"] == "changed"
    assert results["b"].startswith("refused"), results
    db.session.rollback()  # end the read snapshot taken before the race
    assert db.session.get(Application, application.id).status == ApplicationStatus.ACCEPTED
    assert db.session.scalar(select(func.count(Delivery.id))) == 1


def test_two_acceptances_cannot_overfill_the_last_opening(app, world):
    from tests.factories import make_user

    opp = make_opportunity(group=world.group, openings=1)
    first = make_application(opportunity=opp, user=world.member)
    second = make_application(opportunity=opp, user=make_user())
    db.session.commit()
    results, started, done = {}, threading.Event(), threading.Event()
    threads = [
        threading.Thread(target=_reviewer, args=(app, reviewer.id, application.id,
                                                 Decision.ACCEPT, results, name, started, done))
        for name, reviewer, application in (("a", world.leader, first),
                                            ("b", world.section_admin, second))
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert results["a"] == "changed"
    assert "openings" in results["b"], results
    db.session.rollback()  # end the read snapshot taken before the race
    assert db.session.get(Opportunity, opp.id).filled_count == 1
    assert db.session.get(Application, second.id).status == ApplicationStatus.SUBMITTED
