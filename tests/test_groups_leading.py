"""Leaders edit their group's purpose and settings; archived groups are read-only."""

from __future__ import annotations

from sqlalchemy import select

from forum.db import utcnow
from forum.extensions import db
from forum.groups.models import Group, JoinPolicy, Membership, Visibility
from tests.helpers import login, logout, post

SETTINGS = {"purpose": "We **plan** projects.", "visibility": "public", "join_policy": "approval"}


def _group(slug="project-management"):
    return db.session.scalar(select(Group).where(Group.slug == slug))


def test_leader_edits_purpose_rendered_once_and_settings(client, world):
    login(client, world.leader)
    assert client.get("/g/project-management/settings").status_code == 200
    assert post(client, "/g/project-management/settings", SETTINGS).status_code == 302
    group = _group()
    assert "<strong>plan</strong>" in group.purpose_html
    assert group.visibility == Visibility.PUBLIC and group.join_policy == JoinPolicy.APPROVAL
    assert "<strong>plan</strong>" in client.get("/g/project-management").get_data(as_text=True)


def test_bad_settings_are_form_errors_and_change_nothing(client, world):
    login(client, world.leader)
    for bad in ({"purpose": "   "}, {"visibility": "everyone"}, {"join_policy": "bribe"},
                {"purpose": "x" * 5001}):
        response = post(client, "/g/project-management/settings", dict(SETTINGS, **bad))
        assert response.status_code == 400
    group = _group()
    assert group.visibility == Visibility.MEMBERS and group.join_policy == JoinPolicy.OPEN


def test_purpose_cannot_smuggle_script(client, world):
    login(client, world.leader)
    post(client, "/g/project-management/settings",
         dict(SETTINGS, purpose="<script>alert(1)</script> [x](javascript:alert(1))"))
    html = _group().purpose_html
    assert "<script" not in html and 'href="javascript' not in html


def test_archived_group_cannot_be_joined_or_led(client, world):
    world.group.archived_at = utcnow()
    login(client, world.member)
    assert post(client, "/g/project-management/join").status_code == 403
    assert db.session.scalar(select(Membership).where(
        Membership.user_id == world.member.id)) is None
    client2 = client.application.test_client()
    login(client2, world.leader)
    assert client2.get("/g/project-management/settings").status_code == 403
    page = client2.get("/g/project-management").get_data(as_text=True)
    assert "archived" in page


def test_banned_member_sees_the_page_but_not_the_content_and_cannot_rejoin(client, world):
    login(client, world.banned)
    page = client.get("/g/project-management")
    assert page.status_code == 200
    assert "Join this group" not in page.get_data(as_text=True)
    assert post(client, "/g/project-management/join").status_code == 403


def test_a_leader_ends_a_volunteer_seat_from_the_manage_page_and_a_moderator_cannot(client, world):
    from forum.groups.models import Appointment, Role
    from tests.factories import appoint

    seat = appoint(user=world.group_member, group=world.group, role=Role.EDITOR,
                   title="Mentoring coordinator")
    db.session.commit()
    login(client, world.moderator)
    assert post(client, f"/g/{world.group.slug}/appointments/{seat.id}/end").status_code == 403
    logout(client)
    login(client, world.leader)
    page = client.get(f"/g/{world.group.slug}/manage").get_data(as_text=True)
    assert "Volunteer seats" in page and "Mentoring coordinator" in page
    response = post(client, f"/g/{world.group.slug}/appointments/{seat.id}/end")
    assert response.status_code == 302 and response.headers["Location"].endswith("/manage")
    assert db.session.get(Appointment, seat.id).ends_on == utcnow().date()
    assert "Volunteer seats" not in client.get(f"/g/{world.group.slug}/manage").get_data(
        as_text=True)
    # The seat stays on the record.
    assert "Mentoring coordinator" in client.get(
        f"/g/{world.group.slug}/leadership").get_data(as_text=True)
