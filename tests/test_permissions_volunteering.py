"""Every volunteering route × every role in tests.world.ROLES → the expected answer.

"login" means a redirect to sign-in (anonymous visitors on pages that do not hide).
"""

from __future__ import annotations

import pytest

from forum.volunteering.models import OpportunityStatus
from tests.factories_volunteering import make_application, make_opportunity
from tests.helpers import answer, post, walk_gets
from tests.world import ROLES, sign_in_as

EVERYONE = dict.fromkeys(ROLES, 200)
STAFF = {"leader", "section_admin", "site_admin"}
MEMBERS_IN_GOOD_STANDING = {"member", "group_member", "moderator", "leader", "section_admin",
                            "site_admin", "other_member"}


def _matrix(ok: set[str], ok_status=200, anonymous="login", others=403, **special):
    expected = {role: (ok_status if role in ok else others) for role in ROLES}
    expected["anonymous"] = anonymous
    expected.update(special)
    return expected


def _staff_only(ok_status=200):
    return _matrix(STAFF, ok_status)


ROUTES = [
    ("GET", "/get-involved/", EVERYONE),
    ("GET", "/get-involved/o/{opp}", EVERYONE),
    ("GET", "/get-involved/o/{private_opp}", _matrix(
        {"group_member", "moderator", "leader", "section_admin", "site_admin"},
        anonymous=404, others=404)),
    ("GET", "/get-involved/o/{draft}", _matrix(STAFF, anonymous=404, others=404)),
    ("GET", "/get-involved/o/{opp}/apply", _matrix(MEMBERS_IN_GOOD_STANDING)),
    # "member" has applied already (see the fixture data), so a second application is refused.
    ("POST", "/get-involved/o/{opp}/apply", _matrix(MEMBERS_IN_GOOD_STANDING, 302, member=400)),
    ("GET", "/get-involved/profile", _matrix(MEMBERS_IN_GOOD_STANDING | {"banned"})),
    ("GET", "/get-involved/mine", _matrix(set(ROLES))),
    ("GET", "/get-involved/applications/{app}", _matrix(
        STAFF | {"member"}, anonymous=404, others=404)),
    ("GET", "/get-involved/applications/{app}/edit", _matrix(
        {"member"}, anonymous=404, others=404)),
    ("POST", "/get-involved/applications/{app}/withdraw", _matrix(
        {"member"}, 302, anonymous=404, others=404)),
    ("POST", "/get-involved/applications/{app}/decide", _matrix(
        STAFF, 302, anonymous=404, others=404)),
    ("POST", "/get-involved/review/decide", _matrix(STAFF, 302, others=403)),
    ("GET", "/get-involved/manage", _staff_only()),
    ("GET", "/get-involved/manage/new", _staff_only()),
    ("GET", "/get-involved/o/{opp}/edit", _staff_only()),
    ("POST", "/get-involved/o/{opp}/close", _staff_only(302)),
    ("POST", "/get-involved/o/{draft}/open", _matrix(STAFF, 302, anonymous=404, others=404)),
    ("GET", "/get-involved/review", _staff_only()),
    ("GET", "/get-involved/review/applications.csv", _staff_only()),
    ("GET", "/get-involved/manage/roster.csv", _staff_only()),
    ("GET", "/get-involved/manage/volunteers?interest=plan", _staff_only()),
    ("GET", "/get-involved/manage/cycles", _matrix({"section_admin", "site_admin"})),
]


GETS = [(pattern, expected) for method, pattern, expected in ROUTES if method == "GET"]
POSTS = [(pattern, expected) for method, pattern, expected in ROUTES if method == "POST"]


def _rows(world) -> dict:
    opp = make_opportunity(group=world.group, openings=5)
    return {
        "opp": opp.id,
        "private_opp": make_opportunity(group=world.private).id,
        "draft": make_opportunity(group=world.group, status=OpportunityStatus.DRAFT).id,
        "app": make_application(opportunity=opp, user=world.member).id,
    }


@pytest.mark.parametrize("role", ROLES)
def test_volunteering_pages_by_role(client, world, role):
    # A GET never writes: one world and one sign-in serve the role's whole row.
    ids = _rows(world)
    sign_in_as(client, world, role)
    got = walk_gets(client, {pattern: pattern.format(**ids) for pattern, _ in GETS})
    assert got == {pattern: expected[role] for pattern, expected in GETS}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("pattern,expected", POSTS, ids=[f"POST {p}" for p, _ in POSTS])
def test_volunteering_actions_by_role(client, world, role, pattern, expected):
    ids = _rows(world)
    url = pattern.format(**ids)
    sign_in_as(client, world, role)
    data = {"statement": "I would like to help.", "action": "waitlist",
            "application_id": str(ids["app"])}
    response = post(client, url, data, token_from="/get-involved/")
    assert answer(response) == expected[role], (role, url, response.status_code)
