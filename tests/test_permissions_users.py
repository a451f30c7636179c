"""Profiles × every role in tests.world.ROLES, and the rules moved into forum/permissions/ with
issue 22 (profiles, the posting policy's exemption), asked of ``Permissions`` directly."""

from __future__ import annotations

import pytest

from forum.discussions.models import PostStatus
from forum.moderation.settings import set_hold_first_posts
from forum.permissions import Permissions
from forum.permissions.posting import PostingPolicy
from tests.world import ROLES, sign_in_as

# A verified member's profile is public; an unverified one is a 404 to all but itself and
# site admins.
VERIFIED_PROFILE = {r: 200 for r in ROLES}
UNVERIFIED_PROFILE = {r: 404 for r in ROLES} | {"unverified": 200, "site_admin": 200}


@pytest.mark.parametrize("role", ROLES)
def test_profile_pages_by_role(app, world, role):
    client = app.test_client()
    sign_in_as(client, world, role)
    assert client.get("/members/groupmember").status_code == VERIFIED_PROFILE[role]
    assert client.get("/members/unverified").status_code == UNVERIFIED_PROFILE[role]


def test_profile_rules(world):
    assert Permissions(None).can_see_profile(world.member)
    assert not Permissions(None).can_see_profile(world.unverified)
    assert Permissions(world.unverified).can_see_profile(world.unverified)
    assert Permissions(world.site_admin).can_see_profile(world.unverified)
    assert not Permissions(world.member).can_see_profile(world.unverified)
    # Only the member edits their own profile (the page's "Edit your profile" link).
    assert Permissions(world.member).can_edit_profile(world.member)
    assert not Permissions(world.site_admin).can_edit_profile(world.member)
    assert not Permissions(None).can_edit_profile(world.member)


def test_the_groups_moderators_skip_the_posting_policy(app, world):
    set_hold_first_posts(world.group, by=world.leader, hold=True)
    links = "see https://a.example " * 50
    for role in ("moderator", "leader", "site_admin"):
        policy = PostingPolicy(Permissions(getattr(world, role)), world.group)
        assert policy.exempt and policy.refusal(links) is None
        assert policy.initial_status() == PostStatus.PUBLISHED
    policy = PostingPolicy(Permissions(world.group_member), world.group)
    assert not policy.exempt and policy.refusal(links) is not None
