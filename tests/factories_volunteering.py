"""Factories for volunteering: keyword-only, sensible defaults, added and flushed."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from forum.db import utcnow
from forum.extensions import db
from forum.groups.models import Role
from forum.volunteering.models import (
    Application,
    ApplicationAnswer,
    ApplicationStatus,
    Opportunity,
    OpportunityQuestion,
    OpportunityStatus,
    QuestionKind,
    RecruitingCycle,
    VolunteerProfile,
)

_seq = itertools.count(1)


def make_cycle(*, section, name: str = "2026–27 recruitment", max_choices: int = 3):
    cycle = RecruitingCycle(section_id=section.id, name=name, max_choices=max_choices)
    db.session.add(cycle)
    db.session.flush()
    return cycle


def make_opportunity(*, group, title: str | None = None, role: Role = Role.EDITOR,
                     role_title: str = "Member", openings: int = 2, filled_count: int = 0,
                     status: OpportunityStatus = OpportunityStatus.OPEN,
                     deadline: date | None = None, term_starts_on: date | None = None,
                     term_ends_on: date | None = None, cycle=None,
                     questions: list[tuple] = ()):
    """``questions``: tuples (prompt, kind, required[, choices])."""
    today = utcnow().date()
    starts = term_starts_on or today + timedelta(days=30)
    opp = Opportunity(
        group_id=group.id, title=title or f"Volunteer role {next(_seq)}",
        description="Help us plan.", description_html="<p>Help us plan.</p>", role=role,
        role_title=role_title, openings=openings, filled_count=filled_count,
        term_starts_on=starts, term_ends_on=term_ends_on or starts + timedelta(days=365),
        time_commitment="Two hours a month", deadline=deadline or today + timedelta(days=14),
        status=status, cycle_id=cycle.id if cycle else None,
    )
    for position, q in enumerate(questions):
        prompt, kind, required = q[:3]
        opp.questions.append(OpportunityQuestion(
            position=position, prompt=prompt, kind=QuestionKind(kind), required=required,
            choices=q[3] if len(q) > 3 else ""))
    db.session.add(opp)
    db.session.flush()
    return opp


def make_application(*, opportunity, user, status: ApplicationStatus = ApplicationStatus.SUBMITTED,
                     statement: str = "I would love to help.", rank: int | None = None,
                     answers: dict | None = None):
    app_ = Application(opportunity_id=opportunity.id, user_id=user.id,
                       cycle_id=opportunity.cycle_id, rank=rank, statement=statement,
                       status=status)
    for qid, value in (answers or {}).items():
        app_.answers.append(ApplicationAnswer(question_id=qid, value=value))
    db.session.add(app_)
    db.session.flush()
    return app_


def make_profile(*, user, interests: str = "programme planning", skills: str = "",
                 availability: str = "", preferred_work: str = ""):
    profile = VolunteerProfile(user_id=user.id, interests=interests, skills=skills,
                               availability=availability, preferred_work=preferred_work)
    db.session.add(profile)
    db.session.flush()
    return profile
