"""A section's editors (they write its articles): section admins appoint them with a term and
end it early, like every other role. The section's admin page lists them beside its admins."""

from __future__ import annotations

from flask import abort, flash, g, redirect, url_for

from forum.extensions import db
from forum.groups import appointments, bp
from forum.groups.admin_views import SectionEditorForm, admin_section
from forum.groups.models import Appointment, Role
from forum.groups.queries import find_person, get_section


@bp.post("/admin/sections/<slug>/editors")
def admin_appoint_editor(slug: str):
    section = get_section(g.perms, slug)  # its admins (and site admins) only
    g.perms.ensure(g.perms.can_appoint(None, Role.EDITOR, section_id=section.id))
    form = SectionEditorForm(prefix="editor")
    if form.validate_on_submit():
        person = find_person(form.who.data)
        if person is None:
            form.who.errors.append("No member has that e-mail address or username.")
        else:
            result = appointments.appoint(
                user=person, role=Role.EDITOR, section=section, title=form.title.data,
                starts_on=form.starts_on.data, ends_on=form.ends_on.data,
                appointed_by=g.perms.user)
            db.session.commit()
            flash(result.message, "success" if result.changed else "info")
            return redirect(url_for("groups.admin_section", slug=section.slug))
    return admin_section(slug, editor_form=form, status=400)


@bp.post("/admin/sections/<slug>/editors/<int:appointment_id>/end")
def admin_end_editor(slug: str, appointment_id: int):
    section = get_section(g.perms, slug)
    appointment = db.session.get(Appointment, appointment_id)
    if appointment is None or appointment.section_id != section.id \
            or appointment.role != Role.EDITOR:
        abort(404)
    g.perms.ensure(g.perms.can_end_appointment(appointment))
    result = appointments.end_term(appointment, g.perms.today)
    db.session.commit()
    flash(result.message, "success" if result.changed else "info")
    return redirect(url_for("groups.admin_section", slug=section.slug))
