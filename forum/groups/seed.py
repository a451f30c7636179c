"""Demo section and groups for ``flask seed-demo`` (runs after users; flushes, never commits).

Sets ``ctx["section"]`` and ``ctx["groups"][slug]``. Leadership has history (chairs since 2019),
and there is one pending join request and one open invitation to try the leaders' pages with.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import update

from forum.db import utcnow
from forum.extensions import db
from forum.groups.appointments import association_year
from forum.groups.models import (
    Appointment,
    Group,
    GroupKind,
    JoinPolicy,
    Membership,
    MembershipStatus,
    Role,
    Section,
    Visibility,
)
from forum.markup import render

PM_PURPOSE = ("A forum where those who are interested in the topic of project management or "
              "working in this area can come together to learn and share expertise")

IG, COMMITTEE, TEAM = GroupKind.INTEREST_GROUP, GroupKind.COMMITTEE, GroupKind.PROJECT_TEAM
PUBLIC, MEMBERS, PRIVATE = Visibility.PUBLIC, Visibility.MEMBERS, Visibility.PRIVATE
OPEN, APPROVAL, INVITE = JoinPolicy.OPEN, JoinPolicy.APPROVAL, JoinPolicy.INVITE

# slug, name, kind, visibility, join policy, purpose, members (handles)
GROUPS = (
    ("project-management", "Project Management Interest Group", IG, PUBLIC, OPEN, PM_PURPOSE,
     ("priya", "marcus", "lena", "mei", "diego", "aisha", "samir")),
    ("library-leadership", "Library Leadership & Management Interest Group", IG, MEMBERS, OPEN,
     "Directors, deputies and aspiring leaders sharing what works in running a library: "
     "strategy, governance, boards and budgets.",
     ("sarah", "james", "ruth", "oliver", "lena")),
    ("middle-managers", "Middle Managers Interest Group", IG, MEMBERS, APPROVAL,
     "Support for those who manage *and* are managed: supervising teams, managing up, and "
     "growing into leadership from the middle of the organization.",
     ("lena", "hannah", "oliver", "ruth")),
    ("change-management", "Change Management Interest Group", IG, PUBLIC, OPEN,
     "Practical approaches to leading organizational change in libraries: reorganizations, "
     "new services, new systems, and the people through all of it.",
     ("mei", "diego", "sarah")),
    ("dei-leadership", "Diversity, Equity & Inclusion in Leadership Interest Group", IG, MEMBERS,
     OPEN, "How library leaders build inclusive workplaces and services: recruitment, retention, "
     "mentoring, and accountable practice.",
     ("aisha", "hannah", "ruth", "james")),
    ("library-assessment", "Library Assessment Interest Group", IG, MEMBERS, OPEN,
     "Measuring what matters: surveys, outcomes, dashboards and telling the library's story "
     "with evidence.",
     ("diego", "samir")),
    ("nominating-committee", "Nominating Committee", COMMITTEE, PRIVATE, INVITE,
     "Identifies and vets candidates for the section's elected offices. Deliberations are "
     "confidential.",
     ("sarah", "james", "ruth")),
    ("program-planning", "Program Planning Committee", COMMITTEE, MEMBERS, APPROVAL,
     "Plans the section's programs at the annual conference and its year-round webinars.",
     ("priya", "aisha", "oliver", "hannah")),
    ("ig-week-team", "Interest Group Week Project Team", TEAM, MEMBERS, INVITE,
     "Organizes Interest Group Week: a week of free online sessions hosted by the section's "
     "interest groups. 2022 Interest Group Week — save the date, March 7–11.",
     ("marcus", "mei", "diego", "lena")),
)

# group slug, handle, role, title, first association year, last year (None: current term)
TERMS = (
    ("project-management", "james", Role.LEADER, "Chair", 2019, 2020),
    ("project-management", "aisha", Role.LEADER, "Chair", 2021, 2023),
    ("project-management", "priya", Role.LEADER, "Co-chair", 2023, 2023),
    ("project-management", "priya", Role.LEADER, "Chair", 2024, None),
    ("project-management", "marcus", Role.LEADER, "Co-chair", 2024, None),
    ("project-management", "marcus", Role.MODERATOR, "Moderator", 2024, None),
    ("library-leadership", "ruth", Role.LEADER, "Chair", 2019, 2022),
    ("library-leadership", "james", Role.LEADER, "Chair", 2023, None),
    ("middle-managers", "lena", Role.LEADER, "Convener", 2022, None),
    ("middle-managers", "hannah", Role.MODERATOR, "Moderator", 2024, None),
    ("change-management", "mei", Role.LEADER, "Chair", 2021, None),
    ("dei-leadership", "aisha", Role.LEADER, "Chair", 2022, None),
    ("dei-leadership", "hannah", Role.LEADER, "Co-chair", 2024, None),
    ("library-assessment", "diego", Role.LEADER, "Convener", 2023, None),
    ("nominating-committee", "sarah", Role.LEADER, "Chair", 2024, None),
    ("program-planning", "priya", Role.LEADER, "Chair", 2024, None),
    ("program-planning", "oliver", Role.LEADER, "Vice-chair", 2024, None),
    ("ig-week-team", "marcus", Role.LEADER, "Team lead", 2024, None),
)


def seed(ctx: dict) -> None:
    users = ctx["users"]
    section = Section(
        slug="core-leadership", name="Core Leadership and Management Section",
        description="The section for library leaders and managers at every level.",
        # Where the association meets: visitors read the calendar's times in this zone.
        timezone="America/Chicago")
    db.session.add(section)
    db.session.flush()
    ctx["section"] = section
    groups = ctx.setdefault("groups", {})
    now = utcnow()
    for n, (slug, name, kind, visibility, policy, purpose, members) in enumerate(GROUPS):
        group = Group(section_id=section.id, slug=slug, name=name, kind=kind,
                      visibility=visibility, join_policy=policy, purpose=purpose,
                      purpose_html=render(purpose), last_activity_at=now - timedelta(days=n))
        db.session.add(group)
        db.session.flush()
        groups[slug] = group
        for handle in members:
            _add_member(group, users[handle], MembershipStatus.ACTIVE,
                        joined_at=now - timedelta(days=400 - 20 * n))
    _seed_terms(groups, users, section)
    # Something for the leaders to act on: a request and an invitation.
    _add_member(groups["middle-managers"], users["tom"], MembershipStatus.PENDING)
    _add_member(groups["ig-week-team"], users["tom"], MembershipStatus.INVITED,
                invited_by_id=users["marcus"].id)
    db.session.flush()


def _add_member(group: Group, user, status: MembershipStatus, **values) -> None:
    db.session.add(Membership(group_id=group.id, user_id=user.id, status=status, **values))
    if status == MembershipStatus.ACTIVE:
        db.session.execute(update(Group).where(Group.id == group.id)
                           .values(member_count=Group.member_count + 1)
                           .execution_options(synchronize_session=False))


def _seed_terms(groups: dict, users: dict, section: Section) -> None:
    start, _ = association_year()
    month_day = (start.month, start.day)
    admin = users["admin"]
    for slug, handle, role, title, first, last in TERMS:
        begins = date(first, *month_day)
        ends = date(last + 1, *month_day) if last is not None else \
            date(start.year + 1, *month_day)
        db.session.add(Appointment(
            user_id=users[handle].id, group_id=groups[slug].id, role=role, title=title,
            starts_on=begins, ends_on=ends, appointed_by_id=admin.id))
    db.session.add(Appointment(
        user_id=users["sarah"].id, section_id=section.id, role=Role.SECTION_ADMIN,
        title="Section admin", starts_on=date(2023, *month_day),
        ends_on=date(start.year + 1, *month_day), appointed_by_id=admin.id))
    # One term ends soon, so the section admin's "ending in the next 60 days" list has work.
    db.session.add(Appointment(
        user_id=users["mei"].id, group_id=groups["ig-week-team"].id, role=Role.LEADER,
        title="Co-lead", starts_on=date(2025, *month_day),
        ends_on=utcnow().date() + timedelta(days=45), appointed_by_id=admin.id))
    db.session.flush()
    for group in groups.values():
        db.session.refresh(group)  # member_count moved in SQL
