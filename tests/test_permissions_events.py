"""Every calendar route × every role in tests.world.ROLES → the expected answer.

"login" means a redirect to sign-in (a visitor on a page that does not hide). A group's event
is as visible as the group's content: a private group's events are a 404 to outsiders.
"""

from __future__ import annotations

import pytest

from forum.events.models import RsvpAnswer
from tests.factories_events import make_event, make_rsvp
from tests.helpers import answer, post, walk_gets
from tests.world import ROLES, sign_in_as

EVERYONE = dict.fromkeys(ROLES, 200)
STAFF = {"leader", "section_admin", "site_admin"}
GOOD_STANDING = {"member", "group_member", "moderator", "leader", "section_admin", "site_admin",
                 "other_member"}
# Who may read the members-only group's content (banned and suspended may not).
READERS = GOOD_STANDING
PRIVATE_READERS = {"group_member", "moderator", "leader", "section_admin", "site_admin"}


def _matrix(ok: set[str], ok_status=200, anonymous="login", others=403, **special):
    expected = {role: (ok_status if role in ok else others) for role in ROLES}
    expected["anonymous"] = anonymous
    expected.update(special)
    return expected


def _seen_by(readers: set[str], ok: set[str], ok_status=200):
    """``ok`` succeed; other readers are refused (403); who may not see the event gets 404."""
    expected = {role: (ok_status if role in ok else 403 if role in readers else 404)
                for role in ROLES}
    return expected


ROUTES = [
    ("GET", "/events/", EVERYONE),
    ("GET", "/events/?month=2031-02", EVERYONE),
    ("GET", "/events/list", EVERYONE),
    ("GET", "/events/recordings", EVERYONE),
    ("GET", "/events/{sec}", EVERYONE),
    ("GET", "/events/{sec}.ics", EVERYONE),
    ("GET", "/events/{grp}", _matrix(READERS, anonymous=404, others=404)),
    ("GET", "/events/{grp}.ics", _matrix(READERS, anonymous=404, others=404)),
    ("GET", "/events/list?group=project-management", _matrix(READERS, anonymous=404,
                                                             others=404)),
    ("GET", "/events/?group=nominating", _matrix(PRIVATE_READERS, anonymous=404, others=404)),
    ("GET", "/events/{priv}", _matrix(PRIVATE_READERS, anonymous=404, others=404)),
    ("GET", "/events/{priv}.ics", _matrix(PRIVATE_READERS, anonymous=404, others=404)),
    ("GET", "/events/groups/nominating.ics", _matrix(PRIVATE_READERS, anonymous=404,
                                                     others=404)),
    ("GET", "/events/groups/project-management.ics", _matrix(READERS, anonymous=404,
                                                             others=404)),
    ("GET", "/events/new", _matrix(STAFF)),
    ("GET", "/events/{grp}/edit", _seen_by(READERS, STAFF)),
    ("GET", "/events/{priv}/edit", _seen_by(PRIVATE_READERS, STAFF)),
    ("GET", "/events/{sec}/edit", _matrix({"section_admin", "site_admin"})),
    ("POST", "/events/{grp}/cancel", _seen_by(READERS, STAFF, 302)),
    ("POST", "/events/{sec}/cancel", _matrix({"section_admin", "site_admin"}, 302)),
    ("GET", "/events/{past}/recordings/new", _seen_by(READERS, STAFF)),
    ("POST", "/events/{grp}/rsvp", _matrix(READERS, 302, anonymous=404, others=404)),
    ("POST", "/events/{priv}/rsvp", _matrix(PRIVATE_READERS, 302, anonymous=404, others=404)),
    # A section-wide event: a member banned from one group may still come.
    ("POST", "/events/{sec}/rsvp", _matrix(GOOD_STANDING | {"banned"}, 302)),
    ("GET", "/events/my-feed", _matrix(GOOD_STANDING | {"banned"})),
    ("POST", "/events/my-feed", _matrix(GOOD_STANDING | {"banned"}, 302)),
]


GETS = [(pattern, expected) for method, pattern, expected in ROUTES if method == "GET"]
POSTS = [(pattern, expected) for method, pattern, expected in ROUTES if method == "POST"]


def _events(world) -> dict:
    return {
        "sec": make_event(section=world.section, title="Section week").id,
        "grp": make_event(section=world.section, group=world.group).id,
        "priv": make_event(section=world.section, group=world.private).id,
        "past": make_event(section=world.section, group=world.group, days_ahead=-2).id,
    }


@pytest.mark.parametrize("role", ROLES)
def test_events_pages_by_role(client, world, role):
    # A GET never writes: one world and one sign-in serve the role's whole row.
    ids = _events(world)
    sign_in_as(client, world, role)
    got = walk_gets(client, {pattern: pattern.format(**ids) for pattern, _ in GETS})
    assert got == {pattern: expected[role] for pattern, expected in GETS}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("pattern,expected", POSTS, ids=[f"POST {p}" for p, _ in POSTS])
def test_events_actions_by_role(client, world, role, pattern, expected):
    url = pattern.format(**_events(world))
    sign_in_as(client, world, role)
    response = post(client, url, {"answer": "going"}, token_from="/events/list")
    assert answer(response) == expected[role], (role, url, response.status_code)


@pytest.mark.parametrize("role", ROLES)
def test_online_link_shows_only_to_members_going_and_editors(client, world, role):
    ev = make_event(section=world.section, online_url="https://meet.example.org/secret-room")
    user = sign_in_as(client, world, role)
    html = client.get(f"/events/{ev.id}").get_data(as_text=True)
    editors = {"section_admin", "site_admin"}
    assert ("secret-room" in html) == (role in editors), role
    if user is not None and role in GOOD_STANDING:
        make_rsvp(event=ev, user=user, answer=RsvpAnswer.MAYBE)
        assert ("secret-room" in client.get(f"/events/{ev.id}").get_data(as_text=True)) == (
            role in editors)
        make_rsvp(event=ev, user=user, answer=RsvpAnswer.GOING,
                  occurrence_at=ev.starts_at.replace(year=ev.starts_at.year + 10))
        # Going to another date holds no seat at this one.
        assert ("secret-room" in client.get(f"/events/{ev.id}").get_data(as_text=True)) == (
            role in editors)


def test_online_link_shows_once_going(client, world):
    ev = make_event(section=world.section, group=world.group,
                    online_url="https://meet.example.org/secret-room")
    sign_in_as(client, world, "group_member")
    assert "secret-room" not in client.get(f"/events/{ev.id}").get_data(as_text=True)
    post(client, f"/events/{ev.id}/rsvp", {"answer": "going"}, token_from=f"/events/{ev.id}")
    assert "secret-room" in client.get(f"/events/{ev.id}").get_data(as_text=True)
