"""Every notifications route × every role in tests.world.ROLES → expected status."""

from __future__ import annotations

import pytest

from forum.notifications.emails import unsubscribe_token
from forum.notifications.models import Notification, NotificationKind
from tests.factories_notifications import make_thread
from tests.helpers import post
from tests.world import ROLES, sign_in_as

SIGNED_IN = {r: 200 for r in ROLES} | {"anonymous": 302}
# Watching a members-only group: a member in good standing who may read it.
WATCH_GROUP = {r: 302 for r in ROLES} | {
    "unverified": 403, "banned": 403, "suspended": 403}
# Watching in a private group: its people only; to everyone else it does not exist.
WATCH_PRIVATE = {r: 404 for r in ROLES} | {
    r: 302 for r in ("group_member", "moderator", "leader", "section_admin", "site_admin")}
# Marking the group member's notification read: only its owner; for others it does not exist.
READ_ONE = {r: 404 for r in ROLES} | {"group_member": 302, "anonymous": 302}


def _notification(world):
    thread, opening = make_thread(group=world.group, author=world.leader)
    note = Notification(user_id=world.group_member.id, post_id=opening.id, thread_id=thread.id,
                        group_id=world.group.id, actor_id=world.leader.id,
                        kind=NotificationKind.WATCHED_GROUP)
    from forum.extensions import db

    db.session.add(note)
    db.session.flush()
    return note


@pytest.mark.parametrize("role", ROLES)
def test_notification_pages_need_sign_in(client, world, role):
    sign_in_as(client, world, role)
    for url in ("/notifications/", "/notifications/settings"):
        response = client.get(url)
        assert response.status_code == SIGNED_IN[role], url
        if role == "anonymous":
            assert "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize("role", ROLES)
def test_mark_all_read_needs_sign_in(client, world, role):
    sign_in_as(client, world, role)
    response = post(client, "/notifications/read-all")
    assert response.status_code == 302
    assert ("/auth/login" in response.headers["Location"]) == (role == "anonymous")


@pytest.mark.parametrize("role", ROLES)
def test_turning_mail_back_on_needs_sign_in_and_touches_only_ones_own(client, world, role):
    from forum.db import utcnow
    from forum.extensions import db

    world.group_member.mail_paused_at = utcnow()  # someone else's pause, for every other role
    db.session.commit()
    sign_in_as(client, world, role)
    response = post(client, "/notifications/settings/resume-mail")
    assert response.status_code == 302
    assert ("/auth/login" in response.headers["Location"]) == (role == "anonymous")
    db.session.expire_all()
    assert (world.group_member.mail_paused_at is None) == (role == "group_member")


@pytest.mark.parametrize("role", ROLES)
def test_only_the_owner_marks_a_notification_read(client, world, role):
    note = _notification(world)
    sign_in_as(client, world, role)
    response = post(client, f"/notifications/{note.id}/read")
    assert response.status_code == READ_ONE[role]
    from forum.extensions import db

    db.session.refresh(note)
    assert (note.read_at is not None) == (role == "group_member")


@pytest.mark.parametrize("role", ROLES)
def test_watch_members_only_group(client, world, role):
    sign_in_as(client, world, role)
    response = post(client, f"/notifications/groups/{world.group.id}/watch")
    expected = 302 if role == "anonymous" else WATCH_GROUP[role]
    assert response.status_code == expected
    if role == "anonymous":
        assert "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize("role", ROLES)
def test_watch_private_group_and_its_threads(client, world, role):
    thread, _ = make_thread(group=world.private, author=world.leader)
    sign_in_as(client, world, role)
    for url in (f"/notifications/groups/{world.private.id}/watch",
                f"/notifications/threads/{thread.id}/watch",
                f"/notifications/threads/{thread.id}/unwatch"):
        assert post(client, url).status_code == WATCH_PRIVATE[role], url


@pytest.mark.parametrize("role", ROLES)
def test_unsubscribe_link_works_for_anyone_holding_it(client, world, role):
    token = unsubscribe_token(world.group_member.id, group_id=world.group.id)
    sign_in_as(client, world, role)
    assert client.get(f"/notifications/unsubscribe/{token}").status_code == 200
