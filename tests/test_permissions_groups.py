"""Every route of the groups feature × every role in tests.world.ROLES → expected status.

"login" means a redirect to the sign-in page; private groups answer 404 to whoever may not
know they exist.
"""

from __future__ import annotations

import pytest

from tests.helpers import post, walk_gets
from tests.world import ROLES, sign_in_as

ALL = set(ROLES)
SEES_PRIVATE = {"group_member", "moderator", "leader", "section_admin", "site_admin"}
LEADS = {"leader", "section_admin", "site_admin"}
ADMINS = {"section_admin", "site_admin"}


def expect(ok: set, ok_status=200, *, hidden: bool = False, denied=403) -> dict:
    """Status per role: ok roles get ok_status; anonymous is sent to sign in (or 404 if hidden);
    those who cannot see a hidden group get 404; everyone else ``denied``."""
    table = {}
    for role in ROLES:
        if role in ok:
            table[role] = ok_status
        elif hidden and role not in SEES_PRIVATE:
            table[role] = 404
        elif role == "anonymous":
            table[role] = "login"
        else:
            table[role] = denied
    return table


GETS = {
    "/groups": expect(ALL),
    "/groups/mine": expect(ALL - {"anonymous"}),
    "/g/project-management": expect(ALL),
    "/g/project-management/leadership": expect(ALL),
    "/g/nominating": expect(SEES_PRIVATE, hidden=True),
    "/g/nominating/leadership": expect(SEES_PRIVATE, hidden=True),
    "/g/no-such-group": {role: 404 for role in ROLES},
    "/g/project-management/manage": expect(LEADS),
    "/g/project-management/settings": expect(LEADS),
    "/g/project-management/members.csv": expect(LEADS),
    "/g/project-management/picture": expect(LEADS),
    "/g/nominating/picture": expect(LEADS, hidden=True),
    "/g/nominating/manage": expect(LEADS, hidden=True),
    "/g/nominating/settings": expect(LEADS, hidden=True),
    "/g/nominating/members.csv": expect(LEADS, hidden=True),
    "/admin/": expect(ADMINS),
    "/admin/sections/new": expect({"site_admin"}),
    "/admin/sections/core": expect(ADMINS),
    "/admin/sections/another": expect({"site_admin"}),
    "/admin/sections/core/groups/new": expect(ADMINS),
    "/admin/groups/project-management/edit": expect(ADMINS),
    "/admin/groups/project-management/leaders": expect(ADMINS),
    "/admin/groups/nominating/edit": expect(ADMINS, hidden=True),
    "/admin/groups/nominating/leaders": expect(ADMINS, hidden=True),
    "/admin/groups/other-group/edit": expect({"site_admin"}),
}

JOINERS = {"member", "other_member", "section_admin", "site_admin"}
IN_GROUP = {"group_member", "moderator", "leader", "suspended"}
APPOINT_MODERATOR = {"who": "member", "role": "moderator", "title": "Moderator",
                     "starts_on": "2026-07-01"}
APPOINT_LEADER = dict(APPOINT_MODERATOR, role="leader", title="Chair")
NEW_GROUP = {"name": "Middle Managers Interest Group", "slug": "middle-managers",
             "kind": "interest_group", "purpose": "Managing from the middle.",
             "visibility": "members", "join_policy": "open"}

POSTS = {
    ("/g/project-management/join", None): expect(JOINERS, 302),
    ("/g/project-management/leave", None): expect(IN_GROUP, 302),
    ("/g/nominating/join", None): expect(set(), 302, hidden=True),
    ("/g/project-management/invite", (("who", "member"),)): expect(LEADS, 302),
    ("/g/nominating/invite", (("who", "member"),)): expect(LEADS, 302, hidden=True),
    ("/g/project-management/appointments", tuple(APPOINT_MODERATOR.items())):
        expect(LEADS, 302),
    ("/g/project-management/appointments", tuple(APPOINT_LEADER.items())):
        expect(ADMINS, 302),
    ("/g/nominating/appointments", tuple(APPOINT_LEADER.items())):
        expect(ADMINS, 302, hidden=True),
    ("/g/project-management/picture", (("remove_picture", "y"),)): expect(LEADS, 302),
    ("/g/nominating/picture", (("remove_picture", "y"),)): expect(LEADS, 302, hidden=True),
    ("/admin/groups/project-management/archive", None): expect(ADMINS, 302),
    ("/admin/groups/nominating/archive", None): expect(ADMINS, 302, hidden=True),
    ("/admin/sections/core/groups/new", tuple(NEW_GROUP.items())): expect(ADMINS, 302),
    ("/admin/sections/new", (("name", "Tech Section"), ("slug", "tech"))):
        expect({"site_admin"}, 302),
    ("/admin/sections/core/admins", (("who", "member"), ("title", "Admin"),
                                     ("starts_on", "2026-07-01"))): expect({"site_admin"}, 302),
    ("/admin/sections/core/timezone", (("timezone", "Europe/Berlin"),)): expect(ADMINS, 302),
    ("/admin/sections/core/editors", (("editor-who", "member"), ("editor-title", "Editor"),
                                      ("editor-starts_on", "2026-07-01"))): expect(ADMINS, 302),
    ("/admin/sections/another/timezone", (("timezone", "Europe/Berlin"),)):
        expect({"site_admin"}, 302),
}


def _check(response, expected):
    if expected == "login":
        assert response.status_code == 302
        assert "/auth/login" in response.headers["Location"]
    else:
        assert response.status_code == expected, response.get_data(as_text=True)[:500]
        if expected == 302:
            assert "/auth/login" not in response.headers["Location"]


@pytest.mark.parametrize("role", ROLES)
def test_get_routes_answer_each_role(client, world, role):
    sign_in_as(client, world, role)
    got = walk_gets(client, {url: url for url in GETS})
    assert got == {url: GETS[url][role] for url in GETS}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", list(POSTS), ids=lambda r: r[0] + ("+" if r[1] else ""))
def test_post_routes_answer_each_role(client, world, route, role):
    sign_in_as(client, world, role)
    url, data = route
    _check(post(client, url, dict(data or ())), POSTS[route][role])


def _term(world, **where):
    from sqlalchemy import select

    from forum.extensions import db
    from forum.groups.models import Appointment

    return db.session.scalar(select(Appointment.id).filter_by(**where))


def _asker(world):
    from forum.groups.models import MembershipStatus
    from tests.factories import make_membership, make_user

    asker = make_user(username="asker")
    make_membership(group=world.group, user=asker, status=MembershipStatus.PENDING)
    return asker.id


def _seat(world):
    """A volunteer's seat in the group (role editor), as an accepted application makes."""
    from forum.groups.models import Role
    from tests.factories import appoint

    return appoint(user=world.member, group=world.group, role=Role.EDITOR,
                   title="Coordinator").id


# Routes naming a row: (name, url built from the world, expected per role).
ROW_POSTS = {
    "end moderator term": (
        lambda w: f"/g/project-management/appointments/"
                  f"{_term(w, group_id=w.group.id, user_id=w.moderator.id)}/end",
        expect(LEADS, 302)),
    "end private chair term": (
        lambda w: f"/g/nominating/appointments/"
                  f"{_term(w, group_id=w.private.id, user_id=w.leader.id)}/end",
        expect(ADMINS, 302, hidden=True)),
    "end section admin term": (
        lambda w: f"/admin/sections/core/admins/"
                  f"{_term(w, section_id=w.section.id, user_id=w.section_admin.id)}/end",
        expect({"site_admin"}, 302)),
    "end editor term": (
        lambda w: f"/admin/sections/core/editors/"
                  f"{_term(w, section_id=w.section.id, user_id=w.editor.id)}/end",
        expect(ADMINS, 302)),
    "end volunteer seat": (
        lambda w: f"/g/project-management/appointments/{_seat(w)}/end", expect(LEADS, 302)),
    "approve request": (
        lambda w: f"/g/project-management/requests/{_asker(w)}/approve", expect(LEADS, 302)),
    "decline request": (
        lambda w: f"/g/project-management/requests/{_asker(w)}/decline", expect(LEADS, 302)),
    "remove member": (
        lambda w: f"/g/project-management/members/{w.group_member.id}/remove",
        expect(LEADS, 302)),
    "remove private member": (
        lambda w: f"/g/nominating/members/{w.group_member.id}/remove",
        expect(LEADS, 302, hidden=True)),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(ROW_POSTS))
def test_row_routes_answer_each_role(client, world, name, role):
    build, expected = ROW_POSTS[name]
    url = build(world)
    sign_in_as(client, world, role)
    _check(post(client, url), expected[role])


ROW_SAMPLES = ("/g/x/appointments/1/end", "/admin/sections/x/admins/1/end",
               "/admin/sections/x/editors/1/end",
               "/g/x/requests/1/approve", "/g/x/members/1/remove",
               "/g/x/picture/0123456789abcdef")  # its answers: tests/test_groups_picture.py


def test_matrix_covers_every_route_of_the_feature(app):
    covered = {u.split("?")[0] for u in GETS} | {u for u, _ in POSTS} | set(ROW_SAMPLES)
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("groups.")]
    assert len(rules) >= 20
    for rule in rules:
        assert any(_matches(rule, url) for url in covered), rule.rule


def _matches(rule, url: str) -> bool:
    adapter = rule.map.bind("localhost")
    try:
        endpoint, _ = adapter.match(url, method=next(iter(rule.methods - {"HEAD", "OPTIONS"})))
    except Exception:  # noqa: BLE001 - not this rule
        return False
    return endpoint == rule.endpoint
