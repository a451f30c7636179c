"""Demo volunteering: a recruiting cycle, open opportunities and applications in each status.

Accepted applications are seeded in the state accepting leaves (active membership, the
appointment, the filled opening) without sending mail. Missing groups or users are tolerated:
the seeder picks another group of the right kind, and skips people it does not have.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from forum.db import utcnow
from forum.extensions import db
from forum.groups.models import Appointment, Group, GroupKind, Membership, MembershipStatus, Role
from forum.markup import render
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

S, W, A, D = (ApplicationStatus.SUBMITTED, ApplicationStatus.WAITLISTED,
              ApplicationStatus.ACCEPTED, ApplicationStatus.DECLINED)

# key, group slug, fallback kind, title, role, role title, openings, deadline in days, description
OPPORTUNITIES = (
    ("ppc", "program-planning", GroupKind.COMMITTEE, "Program Planning Committee member",
     Role.EDITOR, "Member", 3, 21,
     "Help choose and shape the section's **annual conference programs** and year-round "
     "webinars: review proposals, recruit speakers, and host a session or two."),
    ("igw", "ig-week-team", GroupKind.PROJECT_TEAM,
     "Interest Group Week Project Team — coordinator", Role.EDITOR, "Coordinator", 2, 14,
     "Coordinate the schedule for Interest Group Week: work with each interest group's "
     "leaders, keep the calendar, and brief session hosts."),
    ("cm", "change-management", GroupKind.INTEREST_GROUP,
     "Lead the Change Management Interest Group", Role.LEADER, "Co-chair", 1, 30,
     "Co-chair the interest group with its current chair: plan two discussions a year, "
     "welcome new members, and moderate the group's forum."),
)

QUESTIONS = {
    "ppc": (("Which program tracks interest you most?", QuestionKind.SHORT_TEXT, True, ""),
            ("Can you attend the annual conference in person?", QuestionKind.YES_NO, True, ""),
            ("Preferred meeting time", QuestionKind.SINGLE_CHOICE, False,
             "Mornings\nAfternoons\nEvenings")),
    "igw": (("Have you hosted an online session before?", QuestionKind.YES_NO, True, ""),),
    "cm": (("What would you like the group to do in your first year?",
            QuestionKind.LONG_TEXT, True, ""),),
}

PROFILES = {
    "tom": ("programme planning, webinars, community college libraries",
            "event logistics, speaker liaison", "3 hours a month", "committee work"),
    "samir": ("conference programs, assessment", "budgeting, data visualisation",
              "2 hours a month", "short projects"),
    "hannah": ("change management, mentoring", "facilitation, training design",
               "evenings", "leading a group"),
    "james": ("change management, governance", "board relations", "flexible",
              "leading a group"),
    "lena": ("Interest Group Week, scheduling", "project coordination", "4 hours a month",
             "short projects"),
}

# handle, opportunity key, status, rank, statement, decision message
APPLICATIONS = (
    ("tom", "ppc", S, 1, "I have run our college's professional development days for five "
     "years and would love to help plan the section's programs.", ""),
    ("tom", "igw", W, 2, "Happy to help coordinate sessions.", ""),
    ("samir", "ppc", A, 1, "I organised last year's assessment webinar series.",
     "Welcome to the committee — our first call is in two weeks."),
    ("lena", "igw", S, 1, "I coordinated our regional library week and know the interest "
     "group leaders well.", ""),
    ("hannah", "cm", S, 1, "I have led two reorganisations and mentor new managers.", ""),
    ("james", "cm", D, 1, "I would bring governance experience.",
     "Thank you — we chose a co-chair from outside the current leadership this year."),
)


def seed(ctx: dict) -> None:
    users, section = ctx.get("users", {}), ctx.get("section")
    groups = ctx.get("groups", {})
    if section is None:
        return
    today = utcnow().date()
    cycle = RecruitingCycle(section_id=section.id, name=f"{today.year}–{today.year + 1} "
                            "volunteer recruitment", max_choices=3)
    db.session.add(cycle)
    db.session.flush()
    author = users.get("admin")
    opportunities = {}
    for key, slug, kind, title, role, role_title, openings, days, text in OPPORTUNITIES:
        group = groups.get(slug) or _any_group(section.id, kind)
        if group is None:
            continue
        starts = today + timedelta(days=60)
        opp = Opportunity(
            group_id=group.id, cycle_id=cycle.id, title=title, description=text,
            description_html=render(text), role=role, role_title=role_title, openings=openings,
            term_starts_on=starts, term_ends_on=starts + timedelta(days=365),
            time_commitment="About 2–4 hours a month", deadline=today + timedelta(days=days),
            status=OpportunityStatus.OPEN, created_by_id=author.id if author else None)
        for position, (prompt, qkind, required, choices) in enumerate(QUESTIONS[key]):
            opp.questions.append(OpportunityQuestion(
                position=position, prompt=prompt, kind=qkind, required=required,
                choices=choices))
        db.session.add(opp)
        opportunities[key] = opp
    db.session.flush()
    _seed_profiles(users)
    _seed_applications(users, opportunities, author)


def _any_group(section_id: int, kind: GroupKind) -> Group | None:
    return db.session.scalar(
        select(Group).where(Group.section_id == section_id, Group.archived_at.is_(None))
        .order_by((Group.kind == kind).desc(), Group.id).limit(1))


def _seed_profiles(users: dict) -> None:
    for handle, (interests, skills, availability, work) in PROFILES.items():
        if handle in users:
            db.session.add(VolunteerProfile(
                user_id=users[handle].id, interests=interests, skills=skills,
                availability=availability, preferred_work=work))


def _seed_applications(users: dict, opportunities: dict, reviewer) -> None:
    for handle, key, status, rank, statement, message in APPLICATIONS:
        user, opp = users.get(handle), opportunities.get(key)
        if user is None or opp is None:
            continue
        application = Application(
            opportunity_id=opp.id, user_id=user.id, cycle_id=opp.cycle_id, rank=rank,
            statement=statement, status=status, decision_message=message)
        for question in opp.questions:
            application.answers.append(ApplicationAnswer(
                question_id=question.id, value=_demo_answer(question)))
        if status in (A, D, W) and reviewer is not None:
            application.decided_by_id = reviewer.id
            application.decided_at = utcnow()
        db.session.add(application)
        db.session.flush()
        if status == A:
            application.appointment_id = _appoint(opp, user, reviewer).id


def _appoint(opp: Opportunity, user, reviewer) -> Appointment:
    membership = db.session.scalar(select(Membership).where(
        Membership.group_id == opp.group_id, Membership.user_id == user.id))
    if membership is None or membership.status != MembershipStatus.ACTIVE:
        if membership is None:
            db.session.add(Membership(group_id=opp.group_id, user_id=user.id,
                                      status=MembershipStatus.ACTIVE, joined_at=utcnow()))
        else:
            membership.status = MembershipStatus.ACTIVE
        db.session.execute(update(Group).where(Group.id == opp.group_id)
                           .values(member_count=Group.member_count + 1))
    db.session.execute(update(Opportunity).where(Opportunity.id == opp.id)
                       .values(filled_count=Opportunity.filled_count + 1))
    appointment = Appointment(
        user_id=user.id, group_id=opp.group_id, role=opp.role, title=opp.role_title,
        starts_on=opp.term_starts_on, ends_on=opp.term_ends_on,
        appointed_by_id=reviewer.id if reviewer else None)
    db.session.add(appointment)
    db.session.flush()
    return appointment


def _demo_answer(question: OpportunityQuestion) -> str:
    if question.kind == QuestionKind.YES_NO:
        return "yes"
    if question.kind == QuestionKind.SINGLE_CHOICE:
        return question.choice_list[0]
    return "Leadership development and practical workshops."
