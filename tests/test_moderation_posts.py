"""Moderators hide, restore, edit and approve posts and warn authors, who are told why."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.discussions.models import PostRevision, PostStatus, Thread
from forum.extensions import db
from forum.moderation.models import Flag, FlagStatus, ModerationLogEntry
from tests.factories_moderation import make_flag, make_post, make_thread
from tests.factories_moderation import mpost as post
from tests.helpers import login


@pytest.fixture
def thread(world):
    t, root = make_thread(group=world.group, author=world.leader, title="Reading list")
    reply = make_post(thread=t, author=world.group_member, parent=root, body="Rude words")
    return t, root, reply


def _log(action):
    return db.session.scalars(select(ModerationLogEntry).where(
        ModerationLogEntry.action == action)).all()


def test_moderator_hides_a_post_with_a_reason_and_the_author_is_told(client, world, thread,
                                                                      mail):
    t, _, reply = thread
    make_flag(post=reply, reporter=world.leader)
    login(client, world.moderator)
    r = post(client, f"/moderation/posts/{reply.id}/hide", {"reason": "Personal attack"})
    assert r.status_code == 302
    db.session.refresh(reply)
    assert reply.status == PostStatus.HIDDEN
    assert db.session.get(Thread, t.id).post_count == 1
    flag = db.session.scalar(select(Flag))
    assert flag.status == FlagStatus.RESOLVED and flag.resolved_by_id == world.moderator.id
    [entry] = _log("hide_post")
    assert entry.actor_name == "moderator" and entry.reason == "Personal attack"
    assert entry.group_id == world.group.id and entry.target_id == reply.id
    [msg] = mail.deliver()
    assert msg["To"] == world.group_member.email
    assert "Personal attack" in mail.text(msg) and "Reading list" in mail.text(msg)


def test_hiding_twice_changes_nothing_and_says_so(client, world, thread):
    _, _, reply = thread
    login(client, world.moderator)
    post(client, f"/moderation/posts/{reply.id}/hide", {})
    r = post(client, f"/moderation/posts/{reply.id}/hide", {}, follow=True)
    assert "already hidden" in r.get_data(as_text=True)
    assert len(_log("hide_post")) == 1


def test_restore_brings_a_hidden_post_back_and_counts_it(client, world, thread):
    t, _, reply = thread
    login(client, world.leader)
    post(client, f"/moderation/posts/{reply.id}/hide", {})
    post(client, f"/moderation/posts/{reply.id}/restore", {"reason": "Misread it"})
    db.session.refresh(reply)
    assert reply.status == PostStatus.PUBLISHED
    assert db.session.get(Thread, t.id).post_count == 2
    assert len(_log("restore_post")) == 1


def test_moderator_edit_keeps_the_revision_with_the_moderators_name(client, world, thread):
    _, _, reply = thread
    login(client, world.moderator)
    r = client.get(f"/moderation/posts/{reply.id}/edit")
    assert r.status_code == 200 and "Rude words" in r.get_data(as_text=True)
    r = post(client, f"/moderation/posts/{reply.id}/edit",
             {"body": "Kind words", "reason": "Tone"})
    assert r.status_code == 302
    db.session.refresh(reply)
    assert reply.source == "Kind words" and "Kind words" in reply.html
    assert reply.edited_by_id == world.moderator.id
    rev = db.session.scalar(select(PostRevision).where(PostRevision.post_id == reply.id))
    assert rev.source == "Rude words" and rev.edited_by_id == world.moderator.id
    assert len(_log("edit_post")) == 1


def test_empty_edit_is_a_form_error_and_changes_nothing(client, world, thread):
    _, _, reply = thread
    login(client, world.moderator)
    r = post(client, f"/moderation/posts/{reply.id}/edit", {"body": "   "})
    assert r.status_code == 400
    db.session.refresh(reply)
    assert reply.source == "Rude words"
    assert db.session.scalar(select(PostRevision)) is None


def test_approving_a_held_post_publishes_it_once(client, world, thread, mail):
    t, root, _ = thread
    held = make_post(thread=t, author=world.group_member, parent=root, body="First post!",
                     status=PostStatus.PENDING)
    login(client, world.moderator)
    assert post(client, f"/moderation/posts/{held.id}/approve", {}).status_code == 302
    db.session.refresh(held)
    assert held.status == PostStatus.PUBLISHED
    assert db.session.get(Thread, t.id).post_count == 3
    r = post(client, f"/moderation/posts/{held.id}/approve", {}, follow=True)
    assert "not waiting" in r.get_data(as_text=True)
    assert db.session.get(Thread, t.id).post_count == 3
    assert len(_log("approve_post")) == 1
    assert any("approved" in m["Subject"] for m in mail.deliver())


def test_warning_needs_a_reason_and_reaches_the_author(client, world, thread, mail):
    _, _, reply = thread
    login(client, world.moderator)
    r = post(client, f"/moderation/posts/{reply.id}/warn", {"reason": "  "})
    assert r.status_code == 400 and not _log("warn")
    r = post(client, f"/moderation/posts/{reply.id}/warn", {"reason": "Be civil"})
    assert r.status_code == 302
    [entry] = _log("warn")
    assert entry.target_type == "user" and entry.target_id == world.group_member.id
    [msg] = mail.deliver()
    assert "Be civil" in mail.text(msg)


def test_moderator_of_another_group_gets_404_or_403_on_hide(client, world):
    t, root = make_thread(group=world.private, author=world.leader)
    t2, root2 = make_thread(group=world.group, author=world.leader)
    login(client, world.other_member)
    assert post(client, f"/moderation/posts/{root.id}/hide", {}).status_code == 404
    assert post(client, f"/moderation/posts/{root2.id}/hide", {}).status_code == 403
    db.session.refresh(root)
    assert root.status == PostStatus.PUBLISHED and not _log("hide_post")


def test_a_failure_mid_action_leaves_nothing_behind(client, world, thread, monkeypatch):
    """Hide, its flags, audit entry and mail are one transaction: a crash keeps none."""
    _, _, reply = thread
    make_flag(post=reply, reporter=world.leader)

    def boom(*args, **kwargs):
        raise RuntimeError("mail template broke")

    monkeypatch.setattr("forum.moderation.notify.queue_template", boom)
    login(client, world.moderator)
    client.application.config["PROPAGATE_EXCEPTIONS"] = False
    r = post(client, f"/moderation/posts/{reply.id}/hide", {"reason": "x"})
    assert r.status_code == 500
    db.session.refresh(reply)
    assert reply.status == PostStatus.PUBLISHED
    assert db.session.scalar(select(Flag)).status == FlagStatus.OPEN
    assert not _log("hide_post")
    from forum.mailing.models import Delivery

    assert db.session.scalar(select(Delivery)) is None
