"""A thread moved to another group, or a branch split off into a thread of its own, keeps its
old address: a permanent redirect to where it lives now, asked of the current group's rules
(a reader who may not read it there learns nothing of where it went)."""

from __future__ import annotations

from forum.groups.models import Visibility
from tests.factories import make_group
from tests.factories_moderation import make_post, make_thread
from tests.factories_moderation import mpost as post
from tests.helpers import login, logout


def _move(client, world, thread, target):
    login(client, world.site_admin)
    r = post(client, f"/moderation/threads/{thread.id}/move", {"group_id": target.id})
    assert r.status_code == 302, r.get_data(as_text=True)
    logout(client)


def test_a_moved_thread_redirects_from_its_old_address(client, world):
    public = make_group(section=world.section, name="Open Forum", slug="open-forum",
                        visibility=Visibility.PUBLIC)
    t, root = make_thread(group=world.group, author=world.leader, title="Moving on")
    reply = make_post(thread=t, author=world.group_member, parent=root)
    _move(client, world, t, public)

    r = client.get(f"/g/project-management/t/{t.id}?view=newest&page=1")
    assert r.status_code in (301, 308)
    assert r.headers["Location"] == f"/g/open-forum/t/{t.id}?view=newest&page=1"
    assert "no-cache" in r.headers["Cache-Control"]
    assert client.head(f"/g/project-management/t/{t.id}").status_code in (301, 308)
    r = client.get(f"/g/project-management/t/{t.id}/branch/{reply.id}")
    assert r.headers["Location"] == f"/g/open-forum/t/{t.id}/branch/{reply.id}"
    r = client.get(f"/g/project-management/t/{t.id}", follow_redirects=True)
    assert r.status_code == 200 and "Moving on" in r.get_data(as_text=True)
    # A group that never held it, or no such group: the thread's address is its id.
    assert client.get(f"/g/no-such-group/t/{t.id}").status_code in (301, 308)
    assert client.get("/g/project-management/t/999999").status_code == 404


def test_the_old_address_of_a_thread_moved_into_a_private_group_tells_nothing(client, world):
    t, _ = make_thread(group=world.group, author=world.leader, title="Now private")
    _move(client, world, t, world.private)
    old = f"/g/project-management/t/{t.id}"
    for who in (None, world.member, world.other_member, world.banned):
        if who is not None:
            login(client, who)
        r = client.get(old)
        assert r.status_code == 404, who
        assert "nominating" not in (r.headers.get("Location") or "")
        assert "nominating" not in r.get_data(as_text=True).lower()
        logout(client)
    login(client, world.group_member)  # a member of the private group
    r = client.get(old)
    assert r.status_code in (301, 308)
    assert r.headers["Location"] == f"/g/nominating/t/{t.id}"


def test_a_write_to_the_old_address_is_not_redirected(client, world):
    public = make_group(section=world.section, slug="elsewhere", visibility=Visibility.PUBLIC)
    t, root = make_thread(group=world.group, author=world.leader)
    _move(client, world, t, public)
    login(client, world.leader)
    r = post(client, f"/g/project-management/t/{t.id}/reply",
             {"body": "Hello", "parent_id": root.id})
    assert r.status_code == 404


def test_a_split_branch_redirects_from_its_old_branch_address(client, world):
    t, root = make_thread(group=world.group, author=world.leader, title="Big thread")
    a = make_post(thread=t, author=world.group_member, parent=root)
    a1 = make_post(thread=t, author=world.leader, parent=a)
    make_post(thread=t, author=world.group_member, parent=a1)
    login(client, world.moderator)
    assert post(client, f"/moderation/posts/{a.id}/split",
                {"title": "Side topic"}).status_code == 302
    from sqlalchemy import select

    from forum.discussions.models import Thread
    from forum.extensions import db

    new = db.session.scalar(select(Thread).where(Thread.title == "Side topic"))
    logout(client)
    login(client, world.group_member)
    r = client.get(f"/g/project-management/t/{t.id}/branch/{a.id}")
    assert r.status_code in (301, 308)
    assert r.headers["Location"] == f"/g/project-management/t/{new.id}"
    r = client.get(f"/g/project-management/t/{t.id}/branch/{a1.id}")
    assert r.headers["Location"] == f"/g/project-management/t/{new.id}/branch/{a1.id}"
    assert "Side topic" in client.get(r.headers["Location"]).get_data(as_text=True)
    logout(client)
    login(client, world.banned)  # banned from the group: no hint where it went
    r = client.get(f"/g/project-management/t/{t.id}/branch/{a.id}")
    assert r.status_code in (403, 404) and "Location" not in r.headers
    assert "Side topic" not in r.get_data(as_text=True)
