"""The group page, the directory and the home page run a fixed number of queries."""

from __future__ import annotations

import pytest

from forum.groups.models import Role, Visibility
from forum.querycount import count_queries
from tests.factories import appoint, make_group, make_membership, make_section, make_user
from tests.helpers import login

BUDGET = 8
# Other features plug into these pages (include points, home blocks); each may add up to two.
PER_PLUG_IN = 2


def _plug_ins(app, url: str) -> int:
    if url == "/":
        from forum.home.blocks import FEATURES

        return len(FEATURES)
    if url.startswith("/g/"):
        names = ("discussions/_group_threads.html", "files/_group_recent.html")
        return sum(n in app.jinja_env.list_templates() for n in names)
    return 0


def _populate(section, n: int) -> None:
    for _ in range(n):
        group = make_group(section=section, visibility=Visibility.PUBLIC)
        person = make_user()
        make_membership(group=group, user=person)
        appoint(user=person, group=group, role=Role.LEADER, title="Chair")


def _crowd(group, n: int) -> None:
    for _ in range(n):
        person = make_user()
        make_membership(group=group, user=person)
        appoint(user=person, group=group, role=Role.LEADER, title="Co-chair")
        appoint(user=person, group=group, role=Role.MODERATOR, title="Moderator")


def _count(client, url: str) -> int:
    client.get(url)  # warm-up: templates compiled, nothing cached in the database
    with count_queries() as q:  # rendered, not a signed-in reader's kept copy
        response = client.get(url, headers={"Cache-Control": "no-cache"})
    assert response.status_code == 200
    return len(q)


@pytest.mark.parametrize("signed_in", [False, True])
def test_group_page_query_count_does_not_grow(client, signed_in):
    section = make_section()
    group = make_group(section=section, slug="busy", visibility=Visibility.PUBLIC)
    chair = make_user()
    make_membership(group=group, user=chair)
    appoint(user=chair, group=group, role=Role.LEADER, title="Chair")
    if signed_in:
        login(client, chair)
    _crowd(group, 2)
    few = _count(client, "/g/busy")
    _crowd(group, 58)
    many = _count(client, "/g/busy")
    assert few == many <= BUDGET + PER_PLUG_IN * _plug_ins(client.application, "/g/busy")
    # Visitor: the group with its staff, a page of threads (their count comes with them),
    # recent files. A leader adds sign-in (one statement: the account, its unread
    # notifications, memberships and appointments) and the watch state; read marks come with
    # the threads, the waiting requests with the group.
    assert many <= (5 if signed_in else 3)


@pytest.mark.parametrize("url", ["/groups", "/", "/groups/mine"])
def test_list_pages_query_count_does_not_grow(client, url):
    section = make_section()
    member = make_user()
    login(client, member)
    _populate(section, 3)
    few = _count(client, url)
    _populate(section, 57)
    many = _count(client, url)
    assert few == many <= BUDGET + PER_PLUG_IN * _plug_ins(client.application, url)
    if url == "/groups":  # sign-in (one statement), a page of groups with their count and leaders
        assert many <= 2
