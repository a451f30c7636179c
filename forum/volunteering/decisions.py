"""Reviewing: accept, decline or waitlist an application.

Each decision is one conditional UPDATE (``… WHERE id = :id AND status = :expected``) whose
row count says whether this reviewer won: two reviewers acting at once on one application cannot
both succeed (on PostgreSQL the second UPDATE waits for the first's row lock and then finds the
status changed; on SQLite writers are serialised by BEGIN IMMEDIATE). Accepting also fills an
opening (conditionally, so openings cannot be overfilled by a race either), makes the volunteer
an active member and appoints them, and queues the e-mail — all in the caller's transaction.
"""

from __future__ import annotations

import enum

from flask import current_app, url_for
from sqlalchemy import select, update

from forum.db import utcnow
from forum.extensions import db
from forum.groups.models import Appointment, Group, Membership, MembershipStatus
from forum.mail import queue_template
from forum.volunteering.models import Application, ApplicationStatus, Opportunity
from forum.volunteering.services import VolunteeringError

MESSAGE_MAX = 2000


class Decision(enum.StrEnum):
    ACCEPT = "accept"
    DECLINE = "decline"
    WAITLIST = "waitlist"

    @property
    def status(self) -> ApplicationStatus:
        return {"accept": ApplicationStatus.ACCEPTED, "decline": ApplicationStatus.DECLINED,
                "waitlist": ApplicationStatus.WAITLISTED}[self.value]


# What each decision may be taken from; an accepted application is final (its appointment is
# ended in the group's leadership pages, which keeps the history honest).
ALLOWED_FROM = {
    Decision.ACCEPT: (ApplicationStatus.SUBMITTED, ApplicationStatus.WAITLISTED),
    Decision.DECLINE: (ApplicationStatus.SUBMITTED, ApplicationStatus.WAITLISTED),
    Decision.WAITLIST: (ApplicationStatus.SUBMITTED,),
}


def decide(application: Application, decision: Decision, reviewer, *, message: str = "",
           beyond_openings: bool = False) -> bool:
    """Take the decision; False when the application already has that status (idempotent)."""
    message = (message or "").strip()
    if len(message) > MESSAGE_MAX:
        raise VolunteeringError(f"Keep the message under {MESSAGE_MAX} characters.", "message")
    expected = application.status
    if expected == decision.status:
        return False
    if expected not in ALLOWED_FROM[decision]:
        raise VolunteeringError(
            f"This application is {expected.value}; it cannot be marked {decision.status.value}.")
    _claim(application, expected, decision.status, reviewer, message)
    if decision == Decision.ACCEPT:
        _fill_opening(application.opportunity, beyond_openings)
        application.appointment_id = _appoint(application, reviewer).id
    db.session.flush()
    db.session.refresh(application)
    _queue_decision_mail(application)
    return True


def _claim(application: Application, expected: ApplicationStatus, new: ApplicationStatus,
           reviewer, message: str) -> None:
    result = db.session.execute(
        update(Application)
        .where(Application.id == application.id, Application.status == expected)
        .values(status=new, decided_by_id=reviewer.id, decided_at=utcnow(),
                decision_message=message, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise VolunteeringError("Someone else decided this application a moment ago; "
                                "reload to see its status.")


def _fill_opening(opportunity: Opportunity, beyond_openings: bool) -> None:
    stmt = update(Opportunity).where(Opportunity.id == opportunity.id)
    if not beyond_openings:
        stmt = stmt.where(Opportunity.filled_count < Opportunity.openings)
    result = db.session.execute(
        stmt.values(filled_count=Opportunity.filled_count + 1)
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        raise VolunteeringError(
            "Every opening is filled. Tick “accept beyond openings” to accept anyway.",
            "beyond_openings")
    db.session.expire(opportunity, ["filled_count"])


def _appoint(application: Application, reviewer) -> Appointment:
    opportunity = application.opportunity
    _make_active_member(opportunity.group_id, application.user_id)
    appointment = Appointment(
        user_id=application.user_id, group_id=opportunity.group_id, role=opportunity.role,
        title=opportunity.role_title, starts_on=opportunity.term_starts_on,
        ends_on=opportunity.term_ends_on,
        appointed_by_id=reviewer.id,
    )
    db.session.add(appointment)
    db.session.flush()
    return appointment


def _make_active_member(group_id: int, user_id: int) -> None:
    membership = db.session.scalar(select(Membership).where(
        Membership.group_id == group_id, Membership.user_id == user_id).with_for_update())
    if membership is not None and membership.status == MembershipStatus.ACTIVE:
        return
    if membership is not None and membership.status == MembershipStatus.BANNED:
        raise VolunteeringError("This member is banned from the group and cannot be appointed.")
    if membership is None:
        db.session.add(Membership(group_id=group_id, user_id=user_id,
                                  status=MembershipStatus.ACTIVE, joined_at=utcnow()))
    else:
        membership.status = MembershipStatus.ACTIVE
        membership.joined_at = utcnow()
    db.session.execute(update(Group).where(Group.id == group_id)
                       .values(member_count=Group.member_count + 1)
                       .execution_options(synchronize_session=False))
    db.session.flush()


def _queue_decision_mail(application: Application) -> None:
    opportunity = application.opportunity
    subjects = {
        ApplicationStatus.ACCEPTED: f"Welcome aboard: {opportunity.title}",
        ApplicationStatus.DECLINED: f"Your application: {opportunity.title}",
        ApplicationStatus.WAITLISTED: f"You are on the waiting list: {opportunity.title}",
    }
    link = current_app.config["SITE_URL"] + url_for("volunteering.my_applications")
    queue_template(
        application.user.email, subjects[application.status], "volunteer_decision",
        application=application, opportunity=opportunity, group=opportunity.group,
        user=application.user, link=link,
    )
