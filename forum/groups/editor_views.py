"""A section's editors (they write its articles): section admins appoint them with a term and
end it early, like every other role. The section's admin page lists them beside its admins."""

from __future__ import annotations

from flask import g

from forum.groups import bp
from forum.groups.admin_views import SectionEditorForm, appoint_to_section, end_section_term
from forum.groups.models import Role
from forum.groups.queries import get_section


@bp.post("/admin/sections/<slug>/editors")
def admin_appoint_editor(slug: str):
    section = get_section(g.perms, slug)  # its admins (and site admins) only
    g.perms.ensure(g.perms.can_appoint(None, Role.EDITOR, section_id=section.id))
    return appoint_to_section(section, Role.EDITOR, SectionEditorForm(prefix="editor"),
                              "editor_form")


@bp.post("/admin/sections/<slug>/editors/<int:appointment_id>/end")
def admin_end_editor(slug: str, appointment_id: int):
    return end_section_term(get_section(g.perms, slug), appointment_id, Role.EDITOR)
