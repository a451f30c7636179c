"""The permission model's core answers, role by role (route matrices live beside each feature:
tests/test_permissions_<feature>.py, all built on tests/world.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.groups.models import Group
from forum.permissions import Permissions, Rank, readable_groups_clause, visible_groups_clause
from tests.world import ROLES

EXPECTED_RANK_IN_GROUP = {
    "anonymous": Rank.ANONYMOUS, "member": Rank.MEMBER, "unverified": Rank.ANONYMOUS,
    "group_member": Rank.GROUP_MEMBER, "moderator": Rank.MODERATOR, "leader": Rank.LEADER,
    "section_admin": Rank.SECTION_ADMIN, "site_admin": Rank.SITE_ADMIN,
    "other_member": Rank.MEMBER, "banned": Rank.ANONYMOUS, "suspended": Rank.ANONYMOUS,
}
SEES_PRIVATE = {"group_member", "moderator", "leader", "section_admin", "site_admin"}


@pytest.mark.parametrize("role", ROLES)
def test_rank_in_group_follows_role(world, role):
    perms = Permissions(getattr(world, role))
    assert perms.rank_in(world.group) == EXPECTED_RANK_IN_GROUP[role]


@pytest.mark.parametrize("role", ROLES)
def test_private_group_is_known_only_to_its_people(world, role):
    perms = Permissions(getattr(world, role))
    assert perms.can_view(world.private) == (role in SEES_PRIVATE)
    visible = set(db.session.scalars(select(Group.slug).where(visible_groups_clause(perms))))
    assert ("nominating" in visible) == (role in SEES_PRIVATE)
    readable = set(db.session.scalars(select(Group.slug).where(readable_groups_clause(perms))))
    assert ("nominating" in readable) == (role in SEES_PRIVATE)


@pytest.mark.parametrize("role", ROLES)
def test_members_only_content_needs_a_verified_account_in_good_standing(world, role):
    perms = Permissions(getattr(world, role))
    expected = role not in {"anonymous", "unverified", "banned", "suspended"}
    assert perms.can_read(world.group) == expected
    readable = set(db.session.scalars(select(Group.slug).where(readable_groups_clause(perms))))
    assert ("project-management" in readable) == expected


def test_expired_term_stops_granting_rights_on_the_day_it_ends(world):
    from datetime import timedelta

    from forum.db import utcnow
    from forum.groups.models import Role
    from tests.factories import appoint, make_user

    chair = make_user(username="formerchair")
    today = utcnow().date()
    appoint(user=chair, group=world.group, role=Role.LEADER, title="Chair",
            starts_on=today - timedelta(days=365), ends_on=today)
    assert Permissions(chair, today=today).can_lead(world.group) is False
    assert Permissions(chair, today=today - timedelta(days=1)).can_lead(world.group) is True


@pytest.mark.parametrize("granter,role,allowed", [
    ("leader", "moderator", True), ("leader", "leader", False),
    ("moderator", "moderator", False), ("section_admin", "leader", True),
    ("section_admin", "section_admin", False), ("site_admin", "section_admin", True),
    ("group_member", "moderator", False),
])
def test_nobody_grants_a_role_at_or_above_their_own(world, granter, role, allowed):
    from forum.groups.models import Role

    perms = Permissions(getattr(world, granter))
    assert perms.can_appoint(world.group, Role(role)) is allowed


@pytest.mark.parametrize("role", ["leader", "section_admin", "banned", "moderator", "group_member"])
def test_rights_loaded_with_the_session_match_rights_asked_on_their_own(app, world, role):
    # A signed-in request gets its memberships and appointments as JSON in the statement that
    # loads the user from the session; anyone else's are asked with a query. Both must agree,
    # a ban's end date and an appointment's section included.
    from datetime import timedelta

    from forum.auth.sessions import load_user, start_session
    from forum.db import utcnow
    from forum.groups.models import Membership

    user = getattr(world, role)
    ban = db.session.scalar(select(Membership).where(Membership.user_id == user.id))
    if role == "banned":  # a ban with an end, so a timestamp crosses the JSON
        ban.banned_until = utcnow() + timedelta(days=3)
    token = start_session(user)
    db.session.commit()
    with app.test_request_context():
        loaded = load_user(token)
        with_session = Permissions(loaded)
        held = (with_session.memberships, sorted(with_session.appointments, key=repr))
        assert with_session.rank_in(world.group) == EXPECTED_RANK_IN_GROUP[role]
    with app.test_request_context():
        asked = Permissions(db.session.get(type(user), user.id))
        assert held == (asked.memberships, sorted(asked.appointments, key=repr))
    assert held[0] or held[1]  # every role here holds something
