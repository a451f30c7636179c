"""Factories for the core objects: keyword-only, sensible defaults, added and flushed.

The test client commits before each request, so a factory's objects are visible to the app.
Feature tests keep their own factories beside them (``tests/factories_<feature>.py``).
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from forum.db import utcnow
from forum.extensions import db
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
from forum.users.services import create_user
from tests.helpers import DEFAULT_PASSWORD

_seq = itertools.count(1)


def make_user(*, username: str | None = None, email: str | None = None,
              display_name: str | None = None, password: str = DEFAULT_PASSWORD,
              verified: bool = True, site_admin: bool = False):
    n = next(_seq)
    username = username or f"member{n}"
    return create_user(
        email=email or f"{username}@example.org", username=username,
        display_name=display_name or f"Member {n}", password=password,
        verified=verified, site_admin=site_admin,
    )


def make_section(*, name: str = "Core Leadership and Management Section",
                 slug: str | None = None):
    section = Section(name=name, slug=slug or f"section-{next(_seq)}")
    db.session.add(section)
    db.session.flush()
    return section


def make_group(*, section: Section | None = None, name: str | None = None,
               slug: str | None = None, kind: GroupKind = GroupKind.INTEREST_GROUP,
               visibility: Visibility = Visibility.MEMBERS,
               join_policy: JoinPolicy = JoinPolicy.OPEN, purpose: str = "A group for testing."):
    n = next(_seq)
    group = Group(
        section=section or make_section(), name=name or f"Test Interest Group {n}",
        slug=slug or f"group-{n}", kind=kind, visibility=visibility, join_policy=join_policy,
        purpose=purpose,
    )
    db.session.add(group)
    db.session.flush()
    return group


def make_membership(*, group: Group, user, status: MembershipStatus = MembershipStatus.ACTIVE,
                    banned_until=None):
    membership = Membership(group=group, user=user, status=status, banned_until=banned_until,
                            joined_at=utcnow() if status == MembershipStatus.ACTIVE else None)
    db.session.add(membership)
    if status == MembershipStatus.ACTIVE:
        group.member_count += 1
    db.session.flush()
    return membership


def appoint(*, user, role: Role, group: Group | None = None, section: Section | None = None,
            title: str = "", starts_on: date | None = None, ends_on: date | None = None,
            appointed_by=None):
    today = utcnow().date()
    appointment = Appointment(
        user=user, role=role, group=group, section=section, title=title,
        starts_on=starts_on or today - timedelta(days=30),
        ends_on=ends_on if ends_on is not None else today + timedelta(days=335),
        appointed_by=appointed_by,
    )
    db.session.add(appointment)
    db.session.flush()
    return appointment


def make_group_member(*, group: Group, **kwargs):
    user = make_user(**kwargs)
    make_membership(group=group, user=user)
    return user


def make_leader(*, group: Group, title: str = "Chair", **kwargs):
    user = make_group_member(group=group, **kwargs)
    appoint(user=user, group=group, role=Role.LEADER, title=title)
    return user


def make_moderator(*, group: Group, **kwargs):
    user = make_group_member(group=group, **kwargs)
    appoint(user=user, group=group, role=Role.MODERATOR, title="Moderator")
    return user


def make_section_admin(*, section: Section, **kwargs):
    user = make_user(**kwargs)
    appoint(user=user, section=section, role=Role.SECTION_ADMIN, title="Section admin")
    return user
