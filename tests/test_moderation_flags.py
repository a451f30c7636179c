"""Members flag posts; enough flags hide a post until a moderator reviews it."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from forum.discussions.models import PostStatus, Thread
from forum.extensions import db
from forum.moderation.models import Flag, FlagStatus, ModerationLogEntry
from tests.factories import make_group_member
from tests.factories_moderation import make_post, make_thread
from tests.factories_moderation import mpost as post
from tests.helpers import login


@pytest.fixture
def thread(world):
    t, root = make_thread(group=world.group, author=world.leader, title="Budget for 2027")
    reply = make_post(thread=t, author=world.group_member, parent=root, body="Buy cheap pills")
    return t, root, reply


def _flags(post_id):
    return db.session.scalar(select(func.count(Flag.id)).where(Flag.post_id == post_id))


def test_member_flags_a_post_and_is_told_it_was_received(client, world, thread):
    t, root, reply = thread
    login(client, world.moderator)
    r = post(client, f"/p/{reply.id}/flag", {"reason": "spam", "note": "  advert  "},
             follow=True)
    assert r.status_code in (200, 404)  # the thread page may not exist yet; the flash does
    flag = db.session.scalar(select(Flag).where(Flag.post_id == reply.id))
    assert flag.reporter_id == world.moderator.id and flag.note == "advert"
    assert flag.status == FlagStatus.OPEN and flag.group_id == world.group.id
    r = client.get(f"/p/{reply.id}/flag")
    assert "already flagged" in r.get_data(as_text=True)


def test_flagging_the_same_post_twice_changes_nothing_and_says_so(client, world, thread):
    _, _, reply = thread
    login(client, world.leader)
    post(client, f"/p/{reply.id}/flag", {"reason": "spam"})
    r = post(client, f"/p/{reply.id}/flag", {"reason": "other"}, follow=True)
    assert "already flagged" in r.get_data(as_text=True)
    assert _flags(reply.id) == 1


def test_member_cannot_flag_own_post(client, world, thread):
    _, _, reply = thread
    login(client, world.group_member)
    r = post(client, f"/p/{reply.id}/flag", {"reason": "spam"})
    assert r.status_code == 400
    assert "your own post" in r.get_data(as_text=True)
    assert _flags(reply.id) == 0


def test_flag_without_reason_is_a_form_error(client, world, thread):
    _, _, reply = thread
    login(client, world.leader)
    r = post(client, f"/p/{reply.id}/flag", {"reason": "nonsense"})
    assert r.status_code == 400
    assert _flags(reply.id) == 0


def test_banned_member_cannot_flag(client, world, thread):
    _, _, reply = thread
    login(client, world.banned)
    r = post(client, f"/p/{reply.id}/flag", {"reason": "spam"})
    assert r.status_code == 404  # banned: the group's content is not theirs to see
    assert _flags(reply.id) == 0


def test_tampered_post_id_is_404(client, world):
    login(client, world.group_member)
    assert post(client, "/p/999999/flag", {"reason": "spam"}).status_code == 404


def test_three_distinct_flags_hide_the_post_until_reviewed(client, app, world, thread):
    t, _, reply = thread
    reporters = [make_group_member(group=world.group) for _ in range(3)]
    for n, reporter in enumerate(reporters):
        own = app.test_client()
        login(own, reporter)
        post(own, f"/p/{reply.id}/flag", {"reason": "spam"})
        db.session.refresh(reply)
        expected = PostStatus.HIDDEN if n == 2 else PostStatus.PUBLISHED
        assert reply.status == expected
    entry = db.session.scalar(select(ModerationLogEntry).where(
        ModerationLogEntry.action == "auto_hide"))
    assert entry.actor_id is None and entry.actor_name == "system"
    assert db.session.get(Thread, t.id).post_count == 1
    # A moderator dismisses the flags: the post comes back.
    login(client, world.moderator)
    r = post(client, f"/moderation/posts/{reply.id}/dismiss-flags", {})
    assert r.status_code == 302
    db.session.refresh(reply)
    assert reply.status == PostStatus.PUBLISHED
    assert db.session.get(Thread, t.id).post_count == 2


@pytest.fixture
def app_overrides():
    return {"MODERATION_FLAGS_PER_HOUR": 2}


def test_flagging_is_rate_limited_per_member(client, world):
    t, root = make_thread(group=world.group, author=world.leader)
    replies = [make_post(thread=t, author=world.leader, parent=root) for _ in range(3)]
    login(client, world.group_member)
    for reply in replies[:2]:
        assert post(client, f"/p/{reply.id}/flag", {"reason": "spam"}).status_code == 302
    r = post(client, f"/p/{replies[2].id}/flag", {"reason": "spam"})
    assert r.status_code == 400 and "many posts" in r.get_data(as_text=True)
    assert _flags(replies[2].id) == 0
