"""Moderators pin, lock, move, split and merge threads in the groups they moderate."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.discussions.models import Post, Thread
from forum.extensions import db
from forum.groups.models import Role
from forum.moderation.models import ModerationLogEntry
from tests.factories import appoint, make_group
from tests.factories_moderation import make_flag, make_post, make_thread
from tests.factories_moderation import mpost as post
from tests.helpers import login


def _log(action):
    return db.session.scalars(select(ModerationLogEntry).where(
        ModerationLogEntry.action == action)).all()


def _posts(thread_id):
    return db.session.scalars(select(Post).where(Post.thread_id == thread_id)
                              .order_by(Post.path)).all()


def test_pin_and_lock_are_idempotent_and_logged(client, world):
    t, _ = make_thread(group=world.group, author=world.leader)
    login(client, world.moderator)
    assert post(client, f"/moderation/threads/{t.id}/pin", {}).status_code == 302
    r = post(client, f"/moderation/threads/{t.id}/pin", {}, follow=True)
    assert "already pinned" in r.get_data(as_text=True)
    post(client, f"/moderation/threads/{t.id}/lock", {"reason": "Heated"})
    t = db.session.get(Thread, t.id)
    assert t.pinned and t.locked
    assert len(_log("pin")) == 1 and _log("lock")[0].reason == "Heated"
    post(client, f"/moderation/threads/{t.id}/unpin", {})
    post(client, f"/moderation/threads/{t.id}/unlock", {})
    db.session.refresh(t)
    assert not t.pinned and not t.locked


def test_group_member_cannot_pin(client, world):
    t, _ = make_thread(group=world.group, author=world.leader)
    login(client, world.group_member)
    assert post(client, f"/moderation/threads/{t.id}/pin", {}).status_code == 403
    assert not db.session.get(Thread, t.id).pinned


@pytest.fixture
def second_group(world):
    """A group in the same section the moderator also moderates."""
    group = make_group(section=world.section, name="Mentoring Committee", slug="mentoring")
    appoint(user=world.moderator, group=group, role=Role.MODERATOR)
    return group


def test_moving_a_thread_needs_the_right_in_both_groups(client, world, second_group):
    t, root = make_thread(group=world.group, author=world.leader)
    make_flag(post=root, reporter=world.group_member)
    login(client, world.moderator)
    r = client.get(f"/moderation/threads/{t.id}/move")
    assert "Mentoring Committee" in r.get_data(as_text=True)
    assert "Other Interest Group" not in r.get_data(as_text=True)
    # A group one does not moderate: refused by the form, nothing moved.
    r = post(client, f"/moderation/threads/{t.id}/move", {"group_id": world.other.id})
    assert r.status_code == 400
    assert db.session.get(Thread, t.id).group_id == world.group.id
    r = post(client, f"/moderation/threads/{t.id}/move", {"group_id": second_group.id})
    assert r.status_code == 302
    db.session.expire_all()
    assert db.session.get(Thread, t.id).group_id == second_group.id
    from forum.moderation.models import Flag

    assert db.session.scalar(select(Flag.group_id)) == second_group.id
    assert {e.group_id for e in _log("move")} == {world.group.id, second_group.id}


def test_leader_of_one_group_only_cannot_move_anywhere(client, world):
    t, _ = make_thread(group=world.group, author=world.leader)
    login(client, world.leader)
    r = post(client, f"/moderation/threads/{t.id}/move", {"group_id": world.other.id})
    assert r.status_code == 400
    assert db.session.get(Thread, t.id).group_id == world.group.id


def test_split_moves_a_branch_into_a_new_thread_with_paths_and_counters(client, world):
    t, root = make_thread(group=world.group, author=world.leader, title="Big thread")
    a = make_post(thread=t, author=world.group_member, parent=root)
    a1 = make_post(thread=t, author=world.leader, parent=a)
    a11 = make_post(thread=t, author=world.group_member, parent=a1)
    b = make_post(thread=t, author=world.leader, parent=root)
    login(client, world.moderator)
    r = post(client, f"/moderation/posts/{a.id}/split", {"title": "Side topic"})
    assert r.status_code == 302, r.get_data(as_text=True)
    db.session.expire_all()
    new = db.session.scalar(select(Thread).where(Thread.title == "Side topic"))
    moved = _posts(new.id)
    assert [p.id for p in moved] == [a.id, a1.id, a11.id]
    assert [p.depth for p in moved] == [0, 1, 2]
    assert moved[0].path == f"{a.id:010d}" and moved[0].parent_id is None
    assert moved[2].path == f"{a.id:010d}{a1.id:010d}{a11.id:010d}"
    assert [p.id for p in _posts(t.id)] == [root.id, b.id]
    assert db.session.get(Thread, t.id).post_count == 2 and new.post_count == 3
    assert new.last_post_id == a11.id and db.session.get(Thread, t.id).last_post_id == b.id
    assert len(_log("split")) == 2


def test_split_refuses_the_opening_post(client, world):
    t, root = make_thread(group=world.group, author=world.leader)
    make_post(thread=t, author=world.leader, parent=root)
    login(client, world.moderator)
    r = post(client, f"/moderation/posts/{root.id}/split", {"title": "All of it"})
    assert r.status_code == 400 and "opens the thread" in r.get_data(as_text=True)
    assert db.session.scalar(select(Thread).where(Thread.title == "All of it")) is None


def test_merge_under_root_rewrites_paths(client, world):
    target, troot = make_thread(group=world.group, author=world.leader, title="Target")
    make_post(thread=target, author=world.leader, parent=troot)
    source, sroot = make_thread(group=world.group, author=world.group_member, title="Dup")
    sreply = make_post(thread=source, author=world.leader, parent=sroot)
    login(client, world.moderator)
    r = post(client, f"/moderation/threads/{source.id}/merge",
             {"target_id": target.id, "mode": "under_root"})
    assert r.status_code == 302, r.get_data(as_text=True)
    db.session.expire_all()
    merged = {p.id: p for p in _posts(target.id)}
    assert set(merged) >= {sroot.id, sreply.id}
    assert merged[sroot.id].path == troot.path + f"{sroot.id:010d}"
    assert merged[sroot.id].depth == 1 and merged[sroot.id].parent_id == troot.id
    assert merged[sreply.id].depth == 2
    assert db.session.get(Thread, target.id).post_count == 4
    src = db.session.get(Thread, source.id)
    assert src.post_count == 0 and src.hidden and src.locked
    assert len(_log("merge")) == 1


def test_merge_as_top_level_keeps_paths(client, world):
    target, _ = make_thread(group=world.group, author=world.leader)
    source, sroot = make_thread(group=world.group, author=world.leader)
    path = sroot.path
    login(client, world.moderator)
    post(client, f"/moderation/threads/{source.id}/merge",
         {"target_id": target.id, "mode": "top_level"})
    db.session.expire_all()
    moved = db.session.get(Post, sroot.id)
    assert moved.thread_id == target.id and moved.path == path and moved.depth == 0


def test_merge_into_a_thread_of_an_unmoderated_group_is_refused(client, world):
    target, _ = make_thread(group=world.other, author=world.other_member)
    source, sroot = make_thread(group=world.group, author=world.leader)
    login(client, world.moderator)
    for target_id in (target.id, 999999, source.id):
        r = post(client, f"/moderation/threads/{source.id}/merge",
                 {"target_id": target_id, "mode": "under_root"})
        assert r.status_code == 400
    db.session.expire_all()
    assert db.session.get(Post, sroot.id).thread_id == source.id
    assert not _log("merge")
