"""A visitor and a member browse groups: the directory, a group's page, its leadership."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from forum.db import utcnow
from forum.groups.models import GroupKind, Role, Visibility
from forum.groups.queries import DIRECTORY_PAGE_SIZE
from tests.factories import appoint, make_group, make_section, make_user
from tests.helpers import login


def test_visitor_browses_directory_and_sees_purpose_and_leaders(client, world):
    chair = make_user(username="priya", display_name="Priya Raman")
    appoint(user=chair, group=world.group, role=Role.LEADER, title="Chair")
    today = utcnow().date()
    appoint(user=make_user(display_name="Olive Oldhand"), group=world.group, role=Role.LEADER,
            starts_on=today - timedelta(days=900))  # no title: the name alone
    appoint(user=make_user(display_name="Fay Former"), group=world.group, role=Role.LEADER,
            starts_on=today - timedelta(days=800), ends_on=today - timedelta(days=1))
    appoint(user=make_user(display_name="Milo Moderator"), group=world.group,
            role=Role.MODERATOR)
    html = client.get("/groups").get_data(as_text=True)
    assert "Project Management Interest Group" in html
    # Leaders in force, longest-serving first; not past terms, not moderators.
    # (the world's group has a chair already, appointed before Priya on the same day)
    assert (f"Led by Olive Oldhand, {world.leader.display_name} (Chair), Priya Raman (Chair)</p>"
            in html)
    assert "Fay Former" not in html and "Milo Moderator" not in html
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
    total = DIRECTORY_PAGE_SIZE * 2 + 5
    for n in range(total):
        make_group(section=section, name=f"Group {n:03d}", visibility=Visibility.PUBLIC)
    first = client.get("/groups").get_data(as_text=True)
    second = client.get("/groups?page=2").get_data(as_text=True)
    third = client.get("/groups?page=3").get_data(as_text=True)
    last_on_first = f"Group {DIRECTORY_PAGE_SIZE - 1:03d}"
    assert "Group 000" in first and last_on_first in first
    assert f"Group {DIRECTORY_PAGE_SIZE:03d}" not in first
    assert f"Group {DIRECTORY_PAGE_SIZE:03d}" in second and last_on_first not in second
    assert f"Group {total - 1:03d}" in third and f"Group {total - 1:03d}" not in second
    assert f"{total} groups found" in first
    # The pages are a labelled navigation landmark, the current one marked for screen readers.
    assert '<nav class="pagination" aria-label="Pages of groups">' in second
    assert '<a aria-current="page" href="/groups?page=2">' in second
    assert 'href="/groups?page=3" rel="next"' in second


def test_directory_filters_reach_past_the_first_page(client):
    section = make_section()
    for n in range(DIRECTORY_PAGE_SIZE * 2):
        make_group(section=section, name=f"Alpha {n:03d}", visibility=Visibility.PUBLIC)
    make_group(section=section, name="Zebra Planning Committee", kind=GroupKind.COMMITTEE,
               visibility=Visibility.PUBLIC)
    assert "Zebra" not in client.get("/groups").get_data(as_text=True)  # page 3 unfiltered
    assert "Zebra" in client.get("/groups?page=3").get_data(as_text=True)
    for url in ("/groups?q=zebra", "/groups?kind=committee"):
        html = client.get(url).get_data(as_text=True)
        assert "Zebra Planning Committee" in html and "1 group found" in html
        assert "Alpha 000" not in html


def test_directory_pages_keep_the_filters(client):
    section = make_section()
    for n in range(DIRECTORY_PAGE_SIZE + 3):
        make_group(section=section, name=f"Committee {n:03d}", kind=GroupKind.COMMITTEE,
                   visibility=Visibility.PUBLIC)
    make_group(section=section, name="Team Outlier", kind=GroupKind.PROJECT_TEAM,
               visibility=Visibility.PUBLIC)
    first = client.get("/groups?kind=committee&q=committee").get_data(as_text=True)
    assert 'href="/groups?page=2&amp;kind=committee&amp;q=committee"' in first
    second = client.get("/groups?page=2&kind=committee&q=committee").get_data(as_text=True)
    assert f"Committee {DIRECTORY_PAGE_SIZE + 2:03d}" in second
    assert "Team Outlier" not in first + second
    assert client.get("/groups?page=99").status_code == 200  # past the end: an empty page


def test_group_page_shows_purpose_leaders_terms_and_count(client, world):
    appoint(user=world.leader, group=world.group, role=Role.LEADER, title="Co-chair",
            starts_on=date(2020, 7, 1), ends_on=date(2021, 7, 1))
    html = client.get("/g/project-management").get_data(as_text=True)
    assert "A group for testing." in html
    assert "Chair" in html and "4 members" in html
    assert "log in to view this content" in html
    history = client.get("/g/project-management/leadership").get_data(as_text=True)
    assert "since 2020" in history and "Past" in history


def test_group_page_lists_the_staff_in_force_longest_serving_first(client, world):
    today = utcnow().date()
    old_hand = make_user(display_name="Olive Oldhand")
    newcomer = make_user(display_name="Nico Newcomer")
    former = make_user(display_name="Fay Former")
    future = make_user(display_name="Felix Future")
    appoint(user=newcomer, group=world.group, role=Role.LEADER, title="Co-chair",
            starts_on=today - timedelta(days=2), ends_on=today + timedelta(days=1))
    appoint(user=old_hand, group=world.group, role=Role.LEADER, title="",
            starts_on=date(2019, 1, 1)).ends_on = None  # an open term
    appoint(user=former, group=world.group, role=Role.LEADER, title="Past chair",
            starts_on=date(2019, 1, 1), ends_on=today)  # ends_on is exclusive: over today
    appoint(user=future, group=world.group, role=Role.MODERATOR,
            starts_on=today + timedelta(days=1))
    html = client.get("/g/project-management").get_data(as_text=True)
    leaders = html[html.index('id="leaders-title"'):html.index("Leadership history")]
    assert leaders.index("Olive Oldhand") < leaders.index("Chair</strong>") \
        < leaders.index("Nico Newcomer")
    assert "<strong>Leader</strong>: Olive Oldhand" in leaders  # no title: "Leader"
    assert "(term 1 Jan 2019 – open)" in leaders
    assert "<strong>Co-chair</strong>: Nico Newcomer" in leaders
    assert f"– {today:%-d %b %Y})" in leaders  # the last day in force, not the exclusive end
    assert "Fay Former" not in leaders and "Felix Future" not in leaders
    moderators = leaders[leaders.index("<h3>Moderators</h3>"):]
    assert "Moderator" in html and world.moderator.display_name in moderators


def test_leadership_history_lists_volunteers_seats_but_not_moderators(client, world):
    # docs/volunteering.md: an accepted volunteer's seat (role editor) is in the group's
    # leadership history — the only place the volunteer sees the appointment itself.
    today = utcnow().date()
    appoint(user=make_user(display_name="Vera Volunteer"), group=world.group, role=Role.EDITOR,
            title="Programme coordinator", starts_on=today + timedelta(days=30))
    appoint(user=make_user(display_name="Sam Seat"), group=world.group, role=Role.EDITOR,
            title="")
    appoint(user=make_user(display_name="Milo Moderator"), group=world.group,
            role=Role.MODERATOR)
    html = client.get("/g/project-management/leadership").get_data(as_text=True)
    assert "<td>Programme coordinator</td>\n      <td>Vera Volunteer</td>" in html
    assert "<td>Volunteer</td>\n      <td>Sam Seat</td>" in html  # no title: "Volunteer"
    assert "Upcoming" in html and "Milo Moderator" not in html


def test_private_group_is_404_for_a_member_who_does_not_belong(client, world):
    login(client, world.member)
    assert client.get("/g/nominating").status_code == 404
    assert client.get("/g/nominating/leadership").status_code == 404


def test_my_groups_needs_sign_in_and_lists_mine(client, world):
    assert client.get("/groups/mine").status_code == 302
    login(client, world.group_member)
    html = client.get("/groups/mine").get_data(as_text=True)
    assert "Project Management Interest Group" in html and "Nominating Committee" in html


def test_directory_rows_print_each_groups_facts_escaped(client):
    section = make_section()
    long_purpose = "word " * 60  # 300 characters: cut at a word, "..." after it
    quiet = make_group(section=section, name="Alpha <Readers> & Co", slug="alpha",
                       visibility=Visibility.PUBLIC, purpose=long_purpose)
    quiet.member_count = 1
    busy = make_group(section=section, name="Beta Group", slug="beta",
                      visibility=Visibility.MEMBERS, kind=GroupKind.COMMITTEE,
                      purpose="Short & <sweet>.")
    busy.member_count = 12
    busy.last_activity_at = datetime(2026, 3, 4, 23, 30, tzinfo=UTC)
    member = make_user()
    member.timezone = "Asia/Tokyo"  # the 4th in UTC is the 5th there
    html = client.get("/groups").get_data(as_text=True)
    assert '<h2><a href="/g/alpha">Alpha &lt;Readers&gt; &amp; Co</a></h2>' in html
    assert "<li>1 member</li>" in html and "No activity yet" in html
    assert f"<p>{'word ' * 46}word...</p>" in html  # 237 characters, whole words
    assert '<li><span class="badge">Members only</span></li>' in html  # listed, marked
    assert "<li>Last active 4 Mar 2026</li>" in html
    login(client, member)
    html = client.get("/groups").get_data(as_text=True)
    assert "<li>Committee</li>" in html and "<li>12 members</li>" in html
    assert "<li>Last active 5 Mar 2026</li>" in html  # in the reader's time zone
    assert "<p>Short &amp; &lt;sweet&gt;.</p>" in html
