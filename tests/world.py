"""A small world with one user per role, for the route × role permission matrices.

``build_world()`` makes a section with a members-only group (``group``), a private group
(``private``) and a group of someone else's (``other``), and these users:

    anonymous            (no user: the client is not signed in)
    member               verified account, in no group
    unverified           account that has not verified its e-mail
    group_member         active member of ``group`` and ``private``
    moderator            moderator of ``group`` and ``private``
    leader               leader (Chair) of ``group`` and ``private``
    section_admin        section admin of the section
    site_admin           site admin
    other_member         member (and moderator) of ``other`` only
    banned               banned from ``group`` and ``private``, for good
    suspended            suspended site-wide, was a member of ``group``
    editor               editor of the section (a section-scoped term); not in ``ROLES``
                         (matrices that want it add it: tests/test_permissions_articles.py)

Feature matrices parametrize over ``ROLES`` and sign in with ``sign_in_as(client, world, role)``.
"""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from forum.db import utcnow
from forum.groups.models import MembershipStatus, Role, Visibility
from tests.factories import (
    appoint,
    make_group,
    make_membership,
    make_section,
    make_user,
)
from tests.helpers import login

ROLES = (
    "anonymous", "member", "unverified", "group_member", "moderator", "leader", "section_admin",
    "site_admin", "other_member", "banned", "suspended",
)


def build_world() -> SimpleNamespace:
    w = SimpleNamespace()
    w.section = make_section(name="Core Leadership and Management Section", slug="core")
    w.group = make_group(section=w.section, name="Project Management Interest Group",
                         slug="project-management", visibility=Visibility.MEMBERS)
    w.private = make_group(section=w.section, name="Nominating Committee", slug="nominating",
                           visibility=Visibility.PRIVATE)
    w.other = make_group(section=make_section(name="Another Section", slug="another"),
                         name="Other Interest Group", slug="other-group")
    w.anonymous = None
    w.member = make_user(username="member")
    w.unverified = make_user(username="unverified", verified=False)
    w.group_member = make_user(username="groupmember")
    w.moderator = make_user(username="moderator")
    w.leader = make_user(username="leader")
    w.section_admin = make_user(username="sectionadmin")
    w.site_admin = make_user(username="siteadmin", site_admin=True)
    w.other_member = make_user(username="othermember")
    w.banned = make_user(username="banned")
    w.suspended = make_user(username="suspended")
    w.editor = make_user(username="editor")
    for g in (w.group, w.private):
        for u in (w.group_member, w.moderator, w.leader):
            make_membership(group=g, user=u)
        make_membership(group=g, user=w.banned, status=MembershipStatus.BANNED)
        appoint(user=w.moderator, group=g, role=Role.MODERATOR, title="Moderator")
        appoint(user=w.leader, group=g, role=Role.LEADER, title="Chair")
    make_membership(group=w.group, user=w.suspended)
    w.suspended.suspended_until = utcnow() + timedelta(days=30)
    make_membership(group=w.other, user=w.other_member)
    appoint(user=w.other_member, group=w.other, role=Role.MODERATOR, title="Moderator")
    appoint(user=w.section_admin, section=w.section, role=Role.SECTION_ADMIN, title="Admin")
    appoint(user=w.editor, section=w.section, role=Role.EDITOR, title="Editor")
    return w


def sign_in_as(client, world: SimpleNamespace, role: str):
    """Sign the client in as the world's user for ``role`` (nothing for anonymous)."""
    user = getattr(world, role)
    if user is not None:
        login(client, user)
    return user
