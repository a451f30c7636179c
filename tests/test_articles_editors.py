"""Section editors write a section's articles: section admins appoint them with a term, like
every other role, and the section's admin page lists them."""

from __future__ import annotations

from sqlalchemy import func, select

from forum.extensions import db
from forum.groups.models import Appointment, Role
from forum.permissions import Permissions
from tests.factories import make_user
from tests.helpers import login, logout, post


def _editor_terms(section_id, user_id):
    return db.session.scalar(select(func.count(Appointment.id)).where(
        Appointment.section_id == section_id, Appointment.user_id == user_id,
        Appointment.role == Role.EDITOR))


def test_section_admin_appoints_an_editor_for_a_term_and_it_shows(client, world):
    sarah = make_user(username="sarah", display_name="Sarah Okafor")
    login(client, world.section_admin)
    response = post(client, "/admin/sections/core/editors", {
        "editor-who": "sarah", "editor-title": "Editor", "editor-starts_on": "2026-07-01",
        "editor-ends_on": "2027-07-01"})
    assert response.status_code == 302
    assert _editor_terms(world.section.id, sarah.id) == 1
    page = client.get("/admin/sections/core").get_data(as_text=True)
    assert "Section editors" in page and "Sarah Okafor (Editor, through" in page


def test_the_same_term_twice_is_one_term(client, world):
    sarah = make_user(username="sarah")
    login(client, world.section_admin)
    form = {"editor-who": "sarah", "editor-title": "Editor", "editor-starts_on": "2026-07-01"}
    post(client, "/admin/sections/core/editors", form)
    post(client, "/admin/sections/core/editors", form)
    assert _editor_terms(world.section.id, sarah.id) == 1


def test_bad_editor_forms_change_nothing(client, world):
    make_user(username="sarah")
    login(client, world.section_admin)
    before = db.session.scalar(select(func.count(Appointment.id)))
    for form in ({"editor-who": "nobody", "editor-title": "Editor",
                  "editor-starts_on": "2026-07-01"},
                 {"editor-who": "sarah", "editor-title": "Editor",
                  "editor-starts_on": "2026-07-01", "editor-ends_on": "2026-01-01"},
                 {"editor-who": "sarah", "editor-title": "Ed\x01itor",
                  "editor-starts_on": "2026-07-01"},
                 {"editor-who": "sarah", "editor-title": "Editor",
                  "editor-starts_on": "not a date"}):
        assert post(client, "/admin/sections/core/editors", form).status_code == 400
    assert db.session.scalar(select(func.count(Appointment.id))) == before


def test_leaders_and_editors_cannot_appoint_editors(client, world):
    make_user(username="sarah")
    before = db.session.scalar(select(func.count(Appointment.id)))
    for who in (world.leader, world.editor, world.member):
        login(client, who)
        response = post(client, "/admin/sections/core/editors", {
            "editor-who": "sarah", "editor-title": "Editor", "editor-starts_on": "2026-07-01"})
        assert response.status_code in (403, 404)
        logout(client)
    assert db.session.scalar(select(func.count(Appointment.id))) == before


def test_section_admin_ends_an_editors_term_today(client, world):
    term = db.session.scalar(select(Appointment).where(
        Appointment.user_id == world.editor.id, Appointment.role == Role.EDITOR))
    assert Permissions(world.editor).is_section_editor(world.section.id)
    login(client, world.section_admin)
    response = post(client, f"/admin/sections/core/editors/{term.id}/end", {})
    assert response.status_code == 302
    db.session.expire_all()
    assert not Permissions(world.editor).is_section_editor(world.section.id)


def test_an_editor_of_one_section_is_not_an_editor_of_another(world):
    perms = Permissions(world.editor)
    assert perms.is_section_editor(world.section.id)
    assert not perms.is_section_editor(world.other.section_id)
    assert not Permissions(world.section_admin).is_section_editor(world.section.id)
