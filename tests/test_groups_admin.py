"""Section admins run groups and appoint leaders; site admins make sections and section admins."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from forum.db import utcnow
from forum.extensions import db
from forum.groups.models import Appointment, Group, Role, Section
from forum.permissions import Permissions
from tests.factories import appoint, make_user
from tests.helpers import login, post

GROUP_FORM = {"name": "Change Management Interest Group", "slug": "change-management",
              "kind": "interest_group", "purpose": "Leading *change*.",
              "visibility": "members", "join_policy": "open"}


def _groups():
    return db.session.scalar(select(func.count(Group.id)))


def _terms(**where):
    return db.session.scalar(select(func.count(Appointment.id)).filter_by(**where))


def test_section_admin_creates_edits_archives_and_unarchives_a_group(client, world):
    login(client, world.section_admin)
    response = post(client, "/admin/sections/core/groups/new", GROUP_FORM)
    assert response.status_code == 302
    group = db.session.scalar(select(Group).where(Group.slug == "change-management"))
    assert group.purpose_html.strip() == "<p>Leading <em>change</em>.</p>"
    edited = dict(GROUP_FORM, name="Change Leadership Interest Group")
    post(client, "/admin/groups/change-management/edit", edited)
    db.session.refresh(group)
    assert group.name == "Change Leadership Interest Group"
    post(client, "/admin/groups/change-management/archive")
    db.session.refresh(group)
    assert group.is_archived
    assert "/g/change-management\"" not in client.get("/groups").get_data(as_text=True)
    post(client, "/admin/groups/change-management/unarchive")
    db.session.refresh(group)
    assert not group.is_archived


def test_duplicate_slug_and_overlong_name_are_form_errors(client, world):
    login(client, world.section_admin)
    before = _groups()
    response = post(client, "/admin/sections/core/groups/new",
                    dict(GROUP_FORM, slug="project-management"))
    assert response.status_code == 400
    assert "already uses that web address" in response.get_data(as_text=True)
    response = post(client, "/admin/sections/core/groups/new", dict(GROUP_FORM, name="x" * 201))
    assert response.status_code == 400
    response = post(client, "/admin/sections/core/groups/new", dict(GROUP_FORM, slug="Bad Slug"))
    assert response.status_code == 400
    assert _groups() == before


def test_section_admin_appoints_a_chair_for_a_term(client, world):
    priya = make_user(username="priya")
    login(client, world.section_admin)
    page = client.get("/admin/groups/project-management/leaders").get_data(as_text=True)
    assert '<datalist id="title-suggestions">' in page and "Co-chair" in page
    response = post(client, "/g/project-management/appointments", {
        "who": "priya", "role": "leader", "title": "Chair",
        "starts_on": "2026-07-01", "ends_on": "2027-07-01"})
    assert response.status_code == 302
    term = db.session.scalar(select(Appointment).where(Appointment.user_id == priya.id))
    assert (term.title, term.starts_on, term.ends_on) == ("Chair", date(2026, 7, 1),
                                                          date(2027, 7, 1))


def test_term_that_ends_before_it_starts_and_unknown_person_change_nothing(client, world):
    make_user(username="priya")
    login(client, world.section_admin)
    before = _terms()
    bad_term = {"who": "priya", "role": "leader", "title": "Chair",
                "starts_on": "2026-07-01", "ends_on": "2026-06-30"}
    response = post(client, "/g/project-management/appointments", bad_term)
    assert response.status_code == 400
    assert "must end after it starts" in response.get_data(as_text=True)
    response = post(client, "/g/project-management/appointments",
                    dict(bad_term, who="nobody-here", ends_on="2027-07-01"))
    assert response.status_code == 400 and "No member has that" in response.get_data(
        as_text=True)
    assert _terms() == before


def test_leader_cannot_appoint_a_leader_or_section_admin_by_tampering(client, world):
    make_user(username="friend")
    login(client, world.leader)
    before = _terms()
    for role in ("leader", "section_admin", "emperor"):
        response = post(client, "/g/project-management/appointments", {
            "who": "friend", "role": role, "title": "Chair", "starts_on": "2026-01-01"})
        assert response.status_code in (400, 403)
    assert _terms() == before
    response = post(client, "/g/project-management/appointments", {
        "who": "friend", "role": "moderator", "title": "Moderator", "starts_on": "2026-01-01"})
    assert response.status_code == 302
    assert _terms() == before + 1


def test_ending_a_term_early_stops_rights_today_and_keeps_history(client, world):
    chair = make_user(username="chair")
    today = utcnow().date()
    term = appoint(user=chair, group=world.group, role=Role.LEADER, title="Chair",
                   starts_on=today - timedelta(days=100))
    login(client, world.section_admin)
    assert post(client, f"/g/project-management/appointments/{term.id}/end").status_code == 302
    db.session.refresh(term)
    assert term.ends_on == today
    assert not Permissions(chair).can_lead(world.group)
    history = client.get("/g/project-management/leadership").get_data(as_text=True)
    assert "Member" in history and "Past" in history


def test_appointment_of_another_group_is_404(client, world):
    term = db.session.scalar(select(Appointment).where(Appointment.group_id == world.other.id))
    login(client, world.site_admin)
    response = post(client, f"/g/project-management/appointments/{term.id}/end")
    assert response.status_code == 404
    db.session.refresh(term)
    assert term.ends_on > utcnow().date()


def test_terms_ending_in_the_next_60_days_are_listed(client, world):
    soon, later = make_user(display_name="Soon Ending"), make_user(display_name="Later Ending")
    today = utcnow().date()
    appoint(user=soon, group=world.group, role=Role.LEADER, title="Chair",
            ends_on=today + timedelta(days=20))
    appoint(user=later, group=world.group, role=Role.LEADER, title="Chair",
            ends_on=today + timedelta(days=200))
    login(client, world.section_admin)
    page = client.get("/admin/sections/core").get_data(as_text=True)
    assert "Soon Ending" in page and "Later Ending" not in page


def test_site_admin_creates_a_section_and_appoints_its_admin(client, world):
    sarah = make_user(username="sarah")
    login(client, world.site_admin)
    response = post(client, "/admin/sections/new", {"name": "Technology Section",
                                                    "slug": "technology"})
    assert response.status_code == 302
    assert post(client, "/admin/sections/new", {"name": "Again",
                                                 "slug": "technology"}).status_code == 400
    section = db.session.scalar(select(Section).where(Section.slug == "technology"))
    response = post(client, "/admin/sections/technology/admins", {
        "who": "sarah", "title": "Section admin", "starts_on": "2026-07-01"})
    assert response.status_code == 302
    assert _terms(section_id=section.id, user_id=sarah.id, role=Role.SECTION_ADMIN) == 1


def test_section_admin_cannot_appoint_section_admins(client, world):
    make_user(username="sarah")
    login(client, world.section_admin)
    before = _terms()
    response = post(client, "/admin/sections/core/admins", {
        "who": "sarah", "title": "Section admin", "starts_on": "2026-07-01"})
    assert response.status_code == 403
    assert _terms() == before


def test_default_term_is_the_association_year(app):
    from forum.groups.appointments import association_year

    assert association_year(date(2026, 11, 22)) == (date(2026, 7, 1), date(2027, 7, 1))
    assert association_year(date(2026, 3, 1)) == (date(2025, 7, 1), date(2026, 7, 1))
    app.config["ASSOCIATION_YEAR_START"] = "09-01"
    assert association_year(date(2026, 9, 1)) == (date(2026, 9, 1), date(2027, 9, 1))


def test_section_admin_sets_the_sections_time_zone(client, world):
    login(client, world.section_admin)
    assert 'value="America/Chicago"' in client.get("/admin/sections/core").get_data(as_text=True)
    response = post(client, "/admin/sections/core/timezone", {"timezone": "America/Chicago"})
    assert response.status_code == 302
    db.session.refresh(world.section)
    assert world.section.timezone == "America/Chicago"


def test_a_time_zone_the_forum_does_not_know_is_a_clear_form_error(client, world):
    login(client, world.section_admin)
    response = post(client, "/admin/sections/core/timezone", {"timezone": "Mars/Olympus_Mons"})
    assert response.status_code == 400
    assert "is not a time zone this forum knows" in response.get_data(as_text=True)
    db.session.refresh(world.section)
    assert world.section.timezone == "UTC"


def test_a_new_section_takes_its_time_zone_from_the_form(client, world):
    login(client, world.site_admin)
    post(client, "/admin/sections/new", {"name": "Europe", "slug": "europe",
                                         "timezone": "Europe/Berlin"})
    assert db.session.scalar(
        select(Section.timezone).where(Section.slug == "europe")) == "Europe/Berlin"
    response = post(client, "/admin/sections/new", {"name": "Nowhere", "slug": "nowhere",
                                                    "timezone": "Nowhere/City"})
    assert response.status_code == 400
    assert "is not a time zone this forum knows" in response.get_data(as_text=True)
