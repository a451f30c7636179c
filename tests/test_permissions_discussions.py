"""Every discussions route × every role in tests.world.ROLES → the expected status.

Each role signs in once and walks every route (fresh objects for each one), so the table reads
as the rules: 302 for visitors sent to sign in (or a successful POST), 403 for a refusal one may
know about, 404 where the content's existence must not leak (private groups, hidden threads)."""

from __future__ import annotations

import pytest

from forum.discussions.services import edit_post
from tests.factories_discussions import make_reply, make_thread, root_post
from tests.helpers import csrf_token
from tests.world import ROLES, sign_in_as

ALL = set(ROLES)
READERS = {"member", "group_member", "moderator", "leader", "section_admin", "site_admin",
           "other_member"}
POSTERS = {"group_member", "moderator", "leader", "section_admin", "site_admin"}
MODERATORS = {"moderator", "leader", "section_admin", "site_admin"}
PRIVATE_PEOPLE = POSTERS
NOT_PRIVATE = ALL - PRIVATE_PEOPLE
AUTHOR_OR_STAFF = {"group_member"} | MODERATORS


@pytest.fixture
def app_overrides():
    # Each role posts many times in a minute here; the hourly limit is moderation's to test.
    return {"MODERATION_NEW_ACCOUNT_POSTS_PER_HOUR": 10_000, "MODERATION_POSTS_PER_HOUR": 10_000}


def expect(ok: set, ok_status: int = 200, *, others: int = 403, anonymous: int = 302,
           hidden: set | None = None) -> dict:
    table = {}
    for role in ROLES:
        if role in ok:
            table[role] = ok_status
        elif hidden and role in hidden:
            table[role] = 404
        elif role == "anonymous":
            table[role] = anonymous
        else:
            table[role] = others
    return table


def _thread(w, group=None, **flags):
    thread = make_thread(group=group or w.group, author=w.leader, title="Matrix")
    for name, value in flags.items():
        setattr(thread, name, value)
    return thread


def _t(w, group=None, suffix="", **flags):
    group = group or w.group
    return f"/g/{group.slug}/t/{_thread(w, group, **flags).id}{suffix}"


def _members_post(w, group=None, edited=False):
    thread = _thread(w, group)
    post = make_reply(thread=thread, author=w.group_member, body="Mine")
    if edited:
        edit_post(post, w.group_member, "Mine, edited")
    return post


def _branch(w):
    post = _members_post(w)
    return f"/g/project-management/t/{post.thread_id}/branch/{post.id}"


def _leaders_post(w):
    return root_post(_thread(w))


ROUTES = [
    ("group list", "GET", lambda w: "/g/project-management/discussions", expect(ALL)),
    ("thread", "GET", lambda w: _t(w), expect(READERS)),
    ("thread flat", "GET", lambda w: _t(w, suffix="?view=newest"), expect(READERS)),
    ("branch", "GET", lambda w: _branch(w), expect(READERS)),
    ("permalink", "GET", lambda w: f"/p/{_members_post(w).id}", expect(READERS, 302)),
    ("first unread", "GET", lambda w: _t(w, suffix="/unread"), expect(READERS, 302)),
    ("new thread form", "GET", lambda w: "/g/project-management/t/new", expect(POSTERS)),
    ("new thread", "POST", lambda w: "/g/project-management/t/new", expect(POSTERS, 302)),
    ("reply form", "GET", lambda w: _t(w, suffix="/reply"), expect(POSTERS)),
    ("reply", "POST", lambda w: _t(w, suffix="/reply"), expect(POSTERS, 302)),
    ("reply to locked", "POST", lambda w: _t(w, suffix="/reply", locked=True),
     expect(MODERATORS, 302)),
    ("hidden thread", "GET", lambda w: _t(w, hidden=True),
     expect(MODERATORS, hidden=ALL - MODERATORS)),
    ("edit form", "GET", lambda w: f"/p/{_members_post(w).id}/edit", expect({"group_member"})),
    ("edit", "POST", lambda w: f"/p/{_members_post(w).id}/edit", expect({"group_member"}, 302)),
    ("delete", "POST", lambda w: f"/p/{_members_post(w).id}/delete",
     expect(AUTHOR_OR_STAFF, 302)),
    ("history", "GET", lambda w: f"/p/{_members_post(w, edited=True).id}/history",
     expect(AUTHOR_OR_STAFF)),
    ("recommend", "POST", lambda w: f"/p/{_leaders_post(w).id}/recommend",
     expect(POSTERS - {"leader"}, 302)),
    ("mark read", "POST", lambda w: _t(w, suffix="/read"), expect(READERS, 302)),
    ("mark all read", "POST", lambda w: "/g/project-management/read-all", expect(READERS, 302)),
    ("members feed", "GET", lambda w: "/g/project-management/feed.atom",
     expect(set(), others=404, anonymous=404)),
    ("private thread", "GET", lambda w: _t(w, w.private),
     expect(PRIVATE_PEOPLE, hidden=NOT_PRIVATE)),
    ("private reply", "POST", lambda w: _t(w, w.private, suffix="/reply"),
     expect(PRIVATE_PEOPLE, 302, hidden=NOT_PRIVATE)),
    ("private history", "GET",
     lambda w: f"/p/{_members_post(w, w.private, edited=True).id}/history",
     expect(AUTHOR_OR_STAFF, hidden=NOT_PRIVATE)),
    ("private permalink", "GET", lambda w: f"/p/{_members_post(w, w.private).id}",
     expect(PRIVATE_PEOPLE, 302, hidden=NOT_PRIVATE)),
]


@pytest.mark.parametrize("role", ROLES)
def test_every_discussions_route_answers_each_role_as_the_rules_say(client, world, role):
    sign_in_as(client, world, role)
    token = csrf_token(client)
    got, wanted = {}, {}
    for name, method, build, expected in ROUTES:
        url = build(world)
        if method == "GET":
            response = client.get(url)
        else:
            response = client.post(url, data={"csrf_token": token, "title": "Matrix thread",
                                              "body": "A post from the matrix."})
        got[name], wanted[name] = response.status_code, expected[role]
    assert got == wanted
