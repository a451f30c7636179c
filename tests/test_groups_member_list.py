"""Leaders' member list: pages of 50 by name, a search, and the same queries however many."""

from __future__ import annotations

import re

from forum.groups.queries import MEMBERS_PAGE_SIZE
from forum.querycount import count_queries
from tests.factories import make_group_member
from tests.helpers import login, post

MANAGE = "/g/project-management/manage"


def _names(page: str) -> list[str]:
    """The members' usernames in the table, in the order shown."""
    table = page[page.index('id="members-title"'):]
    return re.findall(r'<span class="muted">@([\w.-]+)</span></td>', table)


def _crowd(world, n: int) -> None:
    for i in range(n):
        make_group_member(group=world.group, username=f"crowd{i:03d}",
                          display_name=f"Crowd Member {i:03d}")


def test_a_big_group_is_listed_fifty_a_page_by_name(client, world):
    _crowd(world, MEMBERS_PAGE_SIZE + 5)
    login(client, world.leader)
    first = client.get(MANAGE).get_data(as_text=True)
    shown = _names(first)
    assert len(shown) == MEMBERS_PAGE_SIZE
    assert f"Members ({world.group.member_count})" in first
    assert 'aria-label="Pages of members"' in first and "page=2" in first
    second = _names(client.get(f"{MANAGE}?page=2").get_data(as_text=True))
    assert set(shown).isdisjoint(second)
    everyone = shown + second
    assert len(everyone) == world.group.member_count
    crowd = [name for name in everyone if name.startswith("crowd")]
    assert crowd == sorted(crowd)  # by display name, which sorts like the usernames here


def test_a_leader_finds_a_member_by_name_or_username(client, world):
    _crowd(world, 12)
    login(client, world.leader)
    page = client.get(f"{MANAGE}?q=member 007").get_data(as_text=True)
    assert _names(page) == ["crowd007"]
    assert "1 member match" in page
    assert _names(client.get(f"{MANAGE}?q=CROWD01").get_data(as_text=True)) == [
        "crowd010", "crowd011"]


def test_search_wildcards_are_taken_literally(client, world):
    _crowd(world, 3)
    login(client, world.leader)
    page = client.get(f"{MANAGE}?q=%25").get_data(as_text=True)  # a literal "%"
    assert _names(page) == []
    assert "0 members match" in page
    assert _names(client.get(f"{MANAGE}?q=crowd_0").get_data(as_text=True)) == []


def test_removing_a_member_returns_the_leader_to_the_same_page_and_search(client, world):
    _crowd(world, MEMBERS_PAGE_SIZE + 5)
    login(client, world.leader)
    second = client.get(f"{MANAGE}?page=2&q=crowd").get_data(as_text=True)
    target = _names(second)[0]
    form = re.search(r'action="(/g/project-management/members/\d+/remove[^"]*)"',
                     second[second.index('id="members-title"'):])
    url = form.group(1).replace("&amp;", "&")
    response = post(client, url, token_from=MANAGE)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/manage?page=2&q=crowd")
    assert target not in _names(client.get(f"{MANAGE}?q=crowd&page=2").get_data(as_text=True))
    assert target not in _names(client.get(f"{MANAGE}?q=crowd").get_data(as_text=True))


def test_past_the_last_page_is_an_empty_page_not_an_error(client, world):
    login(client, world.leader)
    response = client.get(f"{MANAGE}?page=99")
    assert response.status_code == 200
    assert _names(response.get_data(as_text=True)) == []


def test_the_member_list_runs_the_same_queries_for_5_or_60_members(client, world):
    login(client, world.leader)
    counts = []
    for n in (5, 55):
        for _ in range(n):
            make_group_member(group=world.group)
        client.get(MANAGE)
        with count_queries() as q:
            assert client.get(MANAGE).status_code == 200
        counts.append(len(q))
    assert counts[0] == counts[1]


def test_an_ordinary_member_cannot_see_the_list(client, world):
    login(client, world.group_member)
    assert client.get(f"{MANAGE}?q=crowd").status_code == 403
