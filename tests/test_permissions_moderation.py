"""Every moderation route × every role in tests.world.ROLES → the expected status.

A moderator of one group gets 404 (private) or 403 on every action in another; banned and
suspended accounts can do nothing; anonymous visitors are sent to sign in where the content's
existence may show, and get 404 where it must not."""

from __future__ import annotations

import pytest

from tests.factories import make_membership, make_user
from tests.factories_moderation import make_post, make_thread, mpost
from tests.world import ROLES, sign_in_as

MODS = {"moderator", "leader", "section_admin", "site_admin"}
LEADS = {"leader", "section_admin", "site_admin"}
MEMBERS = {"member", "group_member", "other_member"} | MODS
# Who may not even know the content of the members-only group exists (object routes).
NO_CONTENT = {"anonymous", "unverified", "banned", "suspended"}
PRIVATE_PEOPLE = {"group_member"} | MODS


def _setup(world):
    thread, root = make_thread(group=world.group, author=world.leader, title="Open thread")
    author = make_user(username="author")  # a post no role of the matrix wrote
    for group in (world.group, world.private):
        make_membership(group=group, user=author)
    reply = make_post(thread=thread, author=author, parent=root)
    pthread, proot = make_thread(group=world.private, author=world.leader, title="Private")
    preply = make_post(thread=pthread, author=author, parent=proot)
    return {"t": thread.id, "p": reply.id, "pt": pthread.id, "pp": preply.id}


def object_status(role, allowed, ok):
    if role in allowed:
        return ok
    return 404 if role in NO_CONTENT else 403


def private_status(role, allowed, ok):
    if role in allowed:
        return ok
    return 403 if role in PRIVATE_PEOPLE else 404


def slug_status(role, allowed, ok):
    if role in allowed:
        return ok
    return 302 if role == "anonymous" else 403


# (method, url template, data, expected(role))
ROUTES = [
    ("POST", "/p/{p}/flag", {"reason": "spam"},
     lambda r: object_status(r, MEMBERS, 302)),
    ("GET", "/p/{p}/flag", None, lambda r: object_status(r, MEMBERS, 200)),
    ("POST", "/p/{pp}/flag", {"reason": "spam"},
     lambda r: private_status(r, PRIVATE_PEOPLE, 302)),
    ("POST", "/moderation/posts/{p}/hide", {}, lambda r: object_status(r, MODS, 302)),
    ("POST", "/moderation/posts/{p}/restore", {}, lambda r: object_status(r, MODS, 302)),
    ("POST", "/moderation/posts/{p}/approve", {}, lambda r: object_status(r, MODS, 302)),
    ("POST", "/moderation/posts/{p}/dismiss-flags", {}, lambda r: object_status(r, MODS, 302)),
    ("POST", "/moderation/posts/{p}/warn", {"reason": "Be kind"},
     lambda r: object_status(r, MODS, 302)),
    ("GET", "/moderation/posts/{p}", None, lambda r: object_status(r, MODS, 200)),
    ("GET", "/moderation/posts/{p}/edit", None, lambda r: object_status(r, MODS, 200)),
    ("POST", "/moderation/posts/{p}/edit", {"body": "Edited"},
     lambda r: object_status(r, MODS, 302)),
    ("GET", "/moderation/posts/{p}/split", None, lambda r: object_status(r, MODS, 200)),
    ("POST", "/moderation/posts/{p}/split", {"title": "New"},
     lambda r: object_status(r, MODS, 302)),
    ("POST", "/moderation/posts/{pp}/hide", {}, lambda r: private_status(r, MODS, 302)),
    ("POST", "/moderation/threads/{t}/pin", {}, lambda r: object_status(r, MODS, 302)),
    ("POST", "/moderation/threads/{t}/unpin", {}, lambda r: object_status(r, MODS, 302)),
    ("POST", "/moderation/threads/{t}/lock", {}, lambda r: object_status(r, MODS, 302)),
    ("POST", "/moderation/threads/{t}/unlock", {}, lambda r: object_status(r, MODS, 302)),
    ("POST", "/moderation/threads/{pt}/lock", {}, lambda r: private_status(r, MODS, 302)),
    ("GET", "/moderation/threads/{t}/move", None, lambda r: object_status(r, MODS, 200)),
    ("GET", "/moderation/threads/{t}/merge", None, lambda r: object_status(r, MODS, 200)),
    ("POST", "/moderation/threads/{t}/merge", {"target_id": "{pt}", "mode": "under_root"},
     lambda r: object_status(r, MODS, 302)),
    ("GET", "/g/project-management/moderation/queue", None,
     lambda r: slug_status(r, MODS, 200)),
    ("GET", "/g/nominating/moderation/queue", None,
     lambda r: 200 if r in MODS else (403 if r == "group_member" else 404)),
    ("GET", "/g/other-group/moderation/queue", None,
     lambda r: 200 if r in {"other_member", "site_admin"} else slug_status(r, set(), 0)),
    ("GET", "/g/project-management/moderation/log", None, lambda r: slug_status(r, MODS, 200)),
    ("GET", "/g/project-management/moderation/log.csv", None,
     lambda r: slug_status(r, MODS, 200)),
    ("GET", "/g/project-management/moderation/bans", None, lambda r: slug_status(r, MODS, 200)),
    ("POST", "/g/project-management/moderation/bans",
     {"username": "member", "duration": "7", "reason": "x"},
     lambda r: slug_status(r, MODS, 302)),
    ("POST", "/g/project-management/moderation/bans/banned/lift", {},
     lambda r: slug_status(r, MODS, 302)),
    ("GET", "/g/project-management/moderation/settings", None,
     lambda r: slug_status(r, LEADS, 200)),
    ("POST", "/g/project-management/moderation/settings", {"hold_first_posts": "y"},
     lambda r: slug_status(r, LEADS, 302)),
    ("GET", "/moderation", None,
     lambda r: 200 if r in MODS | {"other_member"} else slug_status(r, set(), 0)),
    ("GET", "/moderation/log", None, lambda r: slug_status(r, {"site_admin"}, 200)),
    ("GET", "/moderation/log.csv", None, lambda r: slug_status(r, {"site_admin"}, 200)),
    ("GET", "/moderation/users/groupmember/suspend", None,
     lambda r: slug_status(r, {"site_admin"}, 200)),
    ("POST", "/moderation/users/groupmember/suspend", {"duration": "7", "reason": "x"},
     lambda r: slug_status(r, {"site_admin"}, 302)),
    ("POST", "/moderation/users/suspended/unsuspend", {},
     lambda r: slug_status(r, {"site_admin"}, 302)),
]


GETS = [(url, expected) for method, url, _, expected in ROUTES if method == "GET"]
POSTS = [(url, data, expected) for method, url, data, expected in ROUTES if method == "POST"]


@pytest.mark.parametrize("role", ROLES)
def test_moderation_pages_answer_each_role(client, world, role):
    # A GET never writes: one world and one sign-in serve the role's whole row.
    ids = _setup(world)
    sign_in_as(client, world, role)
    got = {url: client.get(url.format(**ids)).status_code for url, _ in GETS}
    assert got == {url: expected(role) for url, expected in GETS}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url,data,expected", POSTS, ids=[f"POST {u}" for u, _, _ in POSTS])
def test_moderation_action_answers_each_role(client, world, role, url, data, expected):
    ids = _setup(world)
    sign_in_as(client, world, role)
    data = {k: v.format(**ids) for k, v in data.items()}
    response = mpost(client, url.format(**ids), data)
    assert response.status_code == expected(role), response.get_data(as_text=True)[:500]
