"""A banned or suspended member refused a page is told why, until when and how to appeal —
not a bare 403 — and only about their own standing."""

from __future__ import annotations

import re

from forum.groups.models import Visibility
from tests.factories import make_group, make_membership
from tests.factories_moderation import make_thread
from tests.factories_moderation import mpost as post
from tests.helpers import login, logout


def _text(r) -> str:
    return re.sub(r"\s+", " ", r.get_data(as_text=True))


def test_a_banned_member_is_told_why_until_when_and_whom_to_write_to(client, world):
    login(client, world.moderator)
    assert post(client, "/g/project-management/moderation/bans",
                {"username": "groupmember", "duration": "7",
                 "reason": "Repeated personal attacks"}).status_code == 302
    logout(client)
    thread, _ = make_thread(group=world.group, author=world.leader)
    login(client, world.group_member)
    for url in (f"/g/project-management/t/{thread.id}", "/g/project-management/t/new",
                "/g/project-management/files"):
        r = client.get(url)
        assert r.status_code == 403, url
        text = _text(r)
        assert "You are banned from Project Management Interest Group" in text
        assert "Repeated personal attacks" in text
        assert re.search(r'until <time datetime="\d{4}-\d\d-\d\dT', text)
        assert "How to appeal" in text and "/members/leader" in text  # the group's Chair
    r = client.get("/g/project-management/t/new", headers={"Accept": "application/json"})
    assert r.status_code == 403 and r.get_json()["standing"] == "banned"
    assert r.get_json()["reason"] == "Repeated personal attacks"


def test_a_ban_for_good_says_so(client, world):
    login(client, world.banned)  # banned from the group for good, no reason recorded
    text = _text(client.get("/g/project-management/t/new"))
    assert "You are banned from Project Management Interest Group" in text
    assert "banned you for good" in text
    assert "No reason was recorded" in text


def test_other_refusals_stay_plain_and_tell_nothing_of_others_bans(client, world):
    # A ban elsewhere does not explain a refusal in another group.
    other = make_group(section=world.section, slug="elsewhere", visibility=Visibility.PUBLIC)
    make_membership(group=other, user=world.banned)
    login(client, world.banned)
    r = client.get("/g/elsewhere/moderation/settings")
    assert r.status_code == 403 and "You are banned" not in _text(r)
    logout(client)
    login(client, world.group_member)  # not banned: a plain refusal
    r = client.get("/g/project-management/moderation/settings")
    assert r.status_code == 403 and "You are banned" not in _text(r)
    # The private group's banned member still gets the 404 everyone outside gets.
    logout(client)
    login(client, world.banned)
    assert client.get("/g/nominating").status_code in (403, 404)


def test_a_suspended_member_is_told_why_until_when_and_whom_to_write_to(client, world):
    login(client, world.site_admin)
    assert post(client, "/moderation/users/groupmember/suspend",
                {"duration": "7", "reason": "Spam links in five groups"}).status_code == 302
    logout(client)
    login(client, world.group_member)
    r = client.get("/g/project-management/t/new")
    assert r.status_code == 403
    text = _text(r)
    assert "Your account is suspended until" in text
    assert "Spam links in five groups" in text
    assert "/members/siteadmin" in text
