"""Bans in a group, site-wide suspension, and the posting policy (limits, held first posts)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.auth.models import AuthSession
from forum.db import utcnow
from forum.discussions.models import PostStatus
from forum.extensions import db
from forum.groups.models import Group, Membership, MembershipStatus
from forum.moderation.models import ModerationLogEntry
from forum.moderation.settings import set_hold_first_posts
from forum.permissions import Permissions
from forum.permissions.posting import PostingPolicy, count_links
from tests.factories import make_user
from tests.factories_moderation import make_thread
from tests.factories_moderation import mpost as post
from tests.helpers import login


def _membership(group, user):
    return db.session.scalar(select(Membership).where(
        Membership.group_id == group.id, Membership.user_id == user.id))


def _log(action):
    return db.session.scalars(select(ModerationLogEntry).where(
        ModerationLogEntry.action == action)).all()


def test_moderator_bans_a_member_for_a_week_then_lifts_it(client, world):
    before = db.session.get(Group, world.group.id).member_count
    login(client, world.moderator)
    r = post(client, "/g/project-management/moderation/bans",
             {"username": "groupmember", "duration": "7", "reason": "Spam"})
    assert r.status_code == 302
    m = _membership(world.group, world.group_member)
    assert m.status == MembershipStatus.BANNED
    assert m.banned_until > utcnow() + timedelta(days=6)
    assert db.session.get(Group, world.group.id).member_count == before - 1
    assert Permissions(world.group_member).can_flag_in(world.group) is False
    r = client.get("/g/project-management/moderation/bans")
    assert "groupmember" in r.get_data(as_text=True)
    post(client, "/g/project-management/moderation/bans/groupmember/lift", {})
    db.session.expire_all()
    m = _membership(world.group, world.group_member)
    assert m.status == MembershipStatus.ACTIVE and m.banned_until is None
    assert db.session.get(Group, world.group.id).member_count == before
    assert [e.details for e in _log("ban")][0].startswith("until")
    assert len(_log("unban")) == 1


def test_ban_for_good_of_a_non_member_and_lifting_removes_the_row(client, world):
    login(client, world.leader)
    post(client, "/g/project-management/moderation/bans",
         {"username": "member", "duration": "forever", "reason": "Trolling"})
    m = _membership(world.group, world.member)
    assert m.status == MembershipStatus.BANNED and m.banned_until is None
    post(client, "/g/project-management/moderation/bans/member/lift", {})
    db.session.expire_all()
    assert _membership(world.group, world.member) is None


@pytest.mark.parametrize("actor,target", [
    ("moderator", "leader"), ("moderator", "moderator"), ("leader", "leader"),
    ("moderator", "site_admin"), ("leader", "section_admin"),
])
def test_banning_a_leader_oneself_or_a_higher_rank_is_refused(client, world, actor, target):
    login(client, getattr(world, actor))
    username = getattr(world, target).username
    r = post(client, "/g/project-management/moderation/bans",
             {"username": username, "duration": "7", "reason": "x"})
    assert r.status_code == 400 and "cannot ban" in r.get_data(as_text=True)
    m = _membership(world.group, getattr(world, target))
    assert m is None or m.status != MembershipStatus.BANNED
    assert not _log("ban")


def test_ban_form_with_unknown_user_or_bad_duration_is_an_error(client, world):
    login(client, world.leader)
    r = post(client, "/g/project-management/moderation/bans",
             {"username": "nobody-here", "duration": "7", "reason": "x"})
    assert r.status_code == 400 and "no member" in r.get_data(as_text=True)
    r = post(client, "/g/project-management/moderation/bans",
             {"username": "groupmember", "duration": "9999", "reason": "x"})
    assert r.status_code == 400
    assert not _log("ban")


def test_site_admin_suspends_an_account_and_its_sessions_end_at_once(app, client, world):
    victim = app.test_client()
    login(victim, world.group_member)
    login(client, world.site_admin)
    r = post(client, "/moderation/users/groupmember/suspend",
             {"duration": "30", "reason": "Abuse"})
    assert r.status_code == 302
    db.session.expire_all()
    assert world.group_member.is_suspended
    assert db.session.scalar(select(AuthSession).where(
        AuthSession.user_id == world.group_member.id, AuthSession.ended_at.is_(None))) is None
    assert _log("suspend")[0].reason == "Abuse"
    post(client, "/moderation/users/groupmember/unsuspend", {})
    db.session.expire_all()
    assert not world.group_member.is_suspended and len(_log("unsuspend")) == 1


def test_admin_cannot_suspend_themselves_or_another_admin(client, world):
    other_admin = make_user(username="otheradmin", site_admin=True)
    login(client, world.site_admin)
    assert client.get("/moderation/users/siteadmin/suspend").status_code == 403
    assert post(client, "/moderation/users/otheradmin/suspend",
                {"duration": "7", "reason": "x"}).status_code == 403
    assert not other_admin.is_suspended and not _log("suspend")


def test_leader_turns_on_holding_first_posts(app, client, world):
    login(client, world.leader)
    r = post(client, "/g/project-management/moderation/settings", {"hold_first_posts": "y"})
    assert r.status_code == 302
    assert initial_status(world.member, world.group) == PostStatus.PENDING
    assert len(_log("settings")) == 1
    moderator = app.test_client()  # a moderator is not a leader: settings are refused
    login(moderator, world.moderator)
    assert moderator.get("/g/project-management/moderation/settings").status_code == 403


def initial_status(user, group) -> PostStatus:
    return PostingPolicy(Permissions(user), group).initial_status()


def posting_refusal(user, group, source: str) -> str | None:
    return PostingPolicy(Permissions(user), group).refusal(source)


def test_first_post_is_held_only_until_one_is_published(app, world):
    set_hold_first_posts(world.group, by=world.leader, hold=True)
    assert initial_status(world.group_member, world.group) == PostStatus.PENDING
    t, _ = make_thread(group=world.group, author=world.group_member)
    assert initial_status(world.group_member, world.group) == PostStatus.PUBLISHED
    assert initial_status(world.site_admin, world.group) == PostStatus.PUBLISHED
    assert initial_status(world.member, world.other) == PostStatus.PUBLISHED


def test_new_accounts_have_tighter_post_and_link_limits(app, world):
    newbie = make_user(username="newbie")
    old = make_user(username="oldtimer")
    old.created_at = utcnow() - timedelta(days=30)
    db.session.flush()
    links = "see https://a.example http://b.example www.c.example"
    assert count_links(links) == 3
    assert "links" in posting_refusal(newbie, world.group, links)
    assert posting_refusal(old, world.group, links) is None
    # Asking before each post counts that post (forum.ratelimit.claim, in the transaction).
    for _ in range(app.config["MODERATION_NEW_ACCOUNT_POSTS_PER_HOUR"]):
        assert posting_refusal(newbie, world.group, "hello") is None
        assert posting_refusal(old, world.group, "hello") is None
    assert "wait" in posting_refusal(newbie, world.group, "hello")
    assert posting_refusal(old, world.group, "hello") is None
    assert posting_refusal(world.site_admin, world.group, links * 10) is None
