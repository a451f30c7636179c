"""The lists volunteering shows: each one query (plus a count where paginated), filtered in SQL
by the permission clauses, with what the template needs loaded eagerly."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import contains_eager

from forum.db import contains_pattern, utcnow
from forum.extensions import db
from forum.groups.models import Appointment, Group, Role
from forum.permissions import visible_groups_clause
from forum.permissions.volunteering import reviewable_groups_clause
from forum.users.models import User
from forum.volunteering.models import (
    Application,
    ApplicationStatus,
    Opportunity,
    OpportunityStatus,
    VolunteerProfile,
)

REVIEW_SORTS = {
    "newest": (Application.created_at.desc(), Application.id.desc()),
    "oldest": (Application.created_at.asc(), Application.id.asc()),
    "name": (User.display_name.asc(), Application.id.asc()),
    "opportunity": (Opportunity.title.asc(), Application.rank.asc(), Application.id.asc()),
    "status": (Application.status.asc(), Application.id.asc()),
}


def open_opportunities(perms, limit: int | None = None) -> list[Opportunity]:
    today = utcnow().date()
    stmt = (
        select(Opportunity).join(Opportunity.group)
        .where(Opportunity.status == OpportunityStatus.OPEN, Opportunity.deadline >= today,
               Group.archived_at.is_(None), visible_groups_clause(perms))
        .options(contains_eager(Opportunity.group))
        .order_by(Opportunity.deadline, Opportunity.id)
    )
    if limit:
        stmt = stmt.limit(limit)
    return list(db.session.scalars(stmt))


def managed_opportunities(perms) -> list[tuple[Opportunity, int]]:
    """Opportunities this user reviews, each with its number of undecided applications."""
    waiting = (
        select(Application.opportunity_id, func.count().label("n"))
        .where(Application.status.in_((ApplicationStatus.SUBMITTED,
                                       ApplicationStatus.WAITLISTED)))
        .group_by(Application.opportunity_id).subquery()
    )
    stmt = (
        select(Opportunity, func.coalesce(waiting.c.n, 0))
        .join(Opportunity.group).outerjoin(waiting, waiting.c.opportunity_id == Opportunity.id)
        .where(reviewable_groups_clause(perms))
        .options(contains_eager(Opportunity.group))
        .order_by(Opportunity.status, Opportunity.deadline.desc(), Opportunity.id)
    )
    return [(o, n) for o, n in db.session.execute(stmt)]


def review_query(perms, status: str | None = None, opportunity_id: int | None = None,
                 sort: str = "newest"):
    stmt = (
        select(Application)
        .join(Application.opportunity).join(Opportunity.group)
        .join(Application.user)
        .where(reviewable_groups_clause(perms))
        .options(contains_eager(Application.opportunity).contains_eager(Opportunity.group),
                 contains_eager(Application.user))
    )
    if status:
        stmt = stmt.where(Application.status == ApplicationStatus(status))
    else:
        stmt = stmt.where(Application.status != ApplicationStatus.WITHDRAWN)
    if opportunity_id:
        stmt = stmt.where(Application.opportunity_id == opportunity_id)
    return stmt.order_by(*REVIEW_SORTS.get(sort, REVIEW_SORTS["newest"]))


def my_applications(user_id: int) -> list[Application]:
    stmt = (
        select(Application).join(Application.opportunity).join(Opportunity.group)
        .where(Application.user_id == user_id)
        .options(contains_eager(Application.opportunity).contains_eager(Opportunity.group))
        .order_by(Application.cycle_id, Application.rank, Application.created_at.desc())
    )
    return list(db.session.scalars(stmt))


def ending_terms(perms, days: int = 60) -> list[Appointment]:
    """Appointments in reviewable groups whose term ends in the next ``days`` days."""
    today = utcnow().date()
    stmt = (
        select(Appointment).join(Appointment.group).join(Appointment.user)
        .where(reviewable_groups_clause(perms), Appointment.role != Role.SECTION_ADMIN,
               Appointment.starts_on <= today,
               and_(Appointment.ends_on > today,
                    Appointment.ends_on <= today + timedelta(days=days)))
        .options(contains_eager(Appointment.group), contains_eager(Appointment.user))
        .order_by(Appointment.ends_on, Appointment.id)
    )
    return list(db.session.scalars(stmt))


def find_volunteers(term: str, limit: int = 100) -> list[VolunteerProfile]:
    term = term.strip()
    if not term:
        return []
    pattern = contains_pattern(term)
    stmt = (
        select(VolunteerProfile).join(VolunteerProfile.user)
        .where(or_(func.lower(VolunteerProfile.interests).like(pattern, escape="\\"),
                   func.lower(VolunteerProfile.skills).like(pattern, escape="\\"),
                   func.lower(VolunteerProfile.preferred_work).like(pattern, escape="\\")),
               VolunteerProfile.findable.is_(True), User.verified_at.is_not(None))
        .options(contains_eager(VolunteerProfile.user))
        .order_by(User.display_name, User.id).limit(limit)
    )
    return list(db.session.scalars(stmt))


def profiles_by_user(user_ids) -> dict[int, VolunteerProfile]:
    ids = set(user_ids)
    if not ids:
        return {}
    rows = db.session.scalars(select(VolunteerProfile).where(VolunteerProfile.user_id.in_(ids)))
    return {p.user_id: p for p in rows}
