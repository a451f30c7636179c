"""A visitor and a member browse groups: the directory, a group's page, its leadership."""

from __future__ import annotations

from datetime import date

from forum.groups.models import GroupKind, Role, Visibility
from tests.factories import appoint, make_group, make_section, make_user
from tests.helpers import login


def test_visitor_browses_directory_and_sees_purpose_and_leaders(client, world):
    chair = make_user(username="priya", display_name="Priya Raman")
    appoint(user=chair, group=world.group, role=Role.LEADER, title="Chair")
    html = client.get("/groups").get_data(as_text=True)
    assert "Project Management Interest Group" in html
    assert "Priya Raman (Chair)" in html
    assert "Nominating Committee" not in html  # private


def test_directory_filters_by_kind_and_searches_by_name(client, world):
    make_group(section=world.section, name="Program Planning Committee",
               kind=GroupKind.COMMITTEE, visibility=Visibility.PUBLIC)
    html = client.get("/groups?kind=committee").get_data(as_text=True)
    assert "Program Planning Committee" in html
    assert "Project Management Interest Group" not in html
    html = client.get("/groups?q=project%20man").get_data(as_text=True)
    assert "Project Management Interest Group" in html
    assert "Program Planning" not in html
    assert client.get("/groups?q=%25").status_code == 200


def test_directory_is_paginated(client):
    section = make_section()
    for n in range(25):
        make_group(section=section, name=f"Group {n:02d}", visibility=Visibility.PUBLIC)
    first = client.get("/groups").get_data(as_text=True)
    second = client.get("/groups?page=2").get_data(as_text=True)
    assert "Group 00" in first and "Group 24" not in first
    assert "Group 24" in second


def test_group_page_shows_purpose_leaders_terms_and_count(client, world):
    appoint(user=world.leader, group=world.group, role=Role.LEADER, title="Co-chair",
            starts_on=date(2020, 7, 1), ends_on=date(2021, 7, 1))
    html = client.get("/g/project-management").get_data(as_text=True)
    assert "A group for testing." in html
    assert "Chair" in html and "4 members" in html
    assert "log in to view this content" in html
    history = client.get("/g/project-management/leadership").get_data(as_text=True)
    assert "since 2020" in history and "Past" in history


def test_private_group_is_404_for_a_member_who_does_not_belong(client, world):
    login(client, world.member)
    assert client.get("/g/nominating").status_code == 404
    assert client.get("/g/nominating/leadership").status_code == 404


def test_my_groups_needs_sign_in_and_lists_mine(client, world):
    assert client.get("/groups/mine").status_code == 302
    login(client, world.group_member)
    html = client.get("/groups/mine").get_data(as_text=True)
    assert "Project Management Interest Group" in html and "Nominating Committee" in html
