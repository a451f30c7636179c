"""The batched readers clause (the audience query's filter) agrees with Permissions.can_read,
role by role."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.notifications.audience import mentioned_keys
from forum.permissions import Permissions
from forum.permissions.audience import can_read_clause, can_read_params
from forum.users.models import User
from tests.world import ROLES


@pytest.mark.parametrize("where", ["group", "private", "other"])
def test_readers_query_matches_can_read_for_every_role(world, where):
    group = getattr(world, where)
    users = {role: getattr(world, role) for role in ROLES if role != "anonymous"}
    ids = [u.id for u in users.values()]
    clause = can_read_clause(group.visibility == "private")
    allowed = set(db.session.scalars(
        select(User.id).where(User.id.in_(ids), clause), can_read_params(group)))
    for role, user in users.items():
        perms = Permissions(user)
        expected = perms.is_member and perms.can_read(group)
        assert (user.id in allowed) == expected, role


def test_mentions_are_read_from_source_outside_code():
    source = "Thanks @Lena and @priya.\n\n```\n@tom\n```\nmail me: x@lena.org `@marcus`"
    assert mentioned_keys(source) == {"lena", "priya"}
