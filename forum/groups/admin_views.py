"""Admin pages (/admin/...): sections and their admins (site admins), groups and their leaders
(section admins). Every check is a ``perms`` rule; these views only load, ask and call."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, url_for
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from forum.db import utcnow
from forum.extensions import db
from forum.forms import ActionForm
from forum.groups import appointments, bp
from forum.groups.forms import AppointmentForm, GroupForm, SectionForm, SectionZoneForm
from forum.groups.models import (
    Appointment,
    Group,
    GroupKind,
    JoinPolicy,
    Role,
    Section,
    Visibility,
)
from forum.groups.queries import find_person, get_group, get_section
from forum.markup import render
from forum.submissions import claim


class SectionAdminForm(AppointmentForm):
    role = None  # always section_admin: the field does not exist, so it cannot be tampered


class SectionEditorForm(AppointmentForm):
    role = None  # always editor (forum/groups/editor_views.py)


@bp.get("/admin/")
def admin_index():
    g.perms.ensure(g.perms.can_see_admin())
    query = select(Section).order_by(Section.name)
    if not g.perms.is_site_admin:
        ids = [a.section_id for a in g.perms.appointments if a.role == Role.SECTION_ADMIN]
        query = query.where(Section.id.in_(ids))
    sections = list(db.session.scalars(query))
    return render_template("admin/index.html", sections=sections)


@bp.route("/admin/sections/new", methods=["GET", "POST"])
def admin_new_section():
    g.perms.ensure(g.perms.can_create_section())
    form = SectionForm()
    if form.validate_on_submit():
        once = claim(g.perms.user, form.submission_key.data)  # first: a repeat waits here
        if once.repeated:
            return once.repeat()
        if _slug_taken(Section, form.slug.data):
            form.slug.errors.append("Another section already uses that web address.")
        else:
            section = Section(name=form.name.data, slug=form.slug.data,
                              description=form.description.data or "",
                              timezone=form.timezone.data)
            db.session.add(section)
            target = once.remember(url_for("groups.admin_section", slug=section.slug))
            db.session.commit()
            flash(f"Section {section.name} created.", "success")
            return redirect(target)
    status = 400 if form.is_submitted() else 200
    return render_template("admin/section_form.html", form=form), status


def _slug_taken(model, slug: str, except_id: int | None = None) -> bool:
    query = select(model.id).where(model.slug == slug)
    if except_id is not None:
        query = query.where(model.id != except_id)
    return db.session.scalar(query) is not None


@bp.get("/admin/sections/<slug>")
def admin_section(slug: str, admin_form=None, zone_form=None, status=200, editor_form=None):
    section = get_section(g.perms, slug)
    groups = list(db.session.scalars(
        select(Group).where(Group.section_id == section.id).order_by(Group.name)))
    form = admin_form or SectionAdminForm(title="Section admin")
    if not form.is_submitted():
        form.starts_on.data, form.ends_on.data = appointments.association_year(g.perms.today)
        form.starts_on.data = g.perms.today
    editor_form = editor_form or SectionEditorForm(prefix="editor", title="Editor")
    if not editor_form.is_submitted():
        editor_form.starts_on.data, editor_form.ends_on.data = \
            appointments.association_year(g.perms.today)
        editor_form.starts_on.data = g.perms.today
    return render_template(
        "admin/section.html", section=section, groups=groups,
        ending=appointments.ending_soon(section, g.perms.today),
        admins=appointments.section_admins(section, g.perms.today),
        editors=appointments.section_editors(section, g.perms.today), editor_form=editor_form,
        admin_form=form, titles=appointments.SUGGESTED_TITLES, action=ActionForm(),
        zone_form=zone_form or SectionZoneForm(obj=section),
    ), status


@bp.post("/admin/sections/<slug>/timezone")
def admin_section_timezone(slug: str):
    section = get_section(g.perms, slug)  # its admins (and site admins) only
    form = SectionZoneForm()
    if not form.validate_on_submit():
        return admin_section(slug, zone_form=form, status=400)
    if section.timezone != form.timezone.data:
        section.timezone = form.timezone.data
        db.session.commit()
        flash(f"Dates on {section.name}'s pages now read in {section.timezone} for visitors.",
              "success")
    else:
        flash(f"The time zone was already {section.timezone}; nothing changed.", "info")
    return redirect(url_for("groups.admin_section", slug=section.slug))


@bp.post("/admin/sections/<slug>/admins")
def admin_appoint_section_admin(slug: str):
    section = get_section(g.perms, slug)
    g.perms.ensure(g.perms.can_appoint(None, Role.SECTION_ADMIN))
    return appoint_to_section(section, Role.SECTION_ADMIN, SectionAdminForm(), "admin_form")


@bp.post("/admin/sections/<slug>/admins/<int:appointment_id>/end")
def admin_end_section_admin(slug: str, appointment_id: int):
    return end_section_term(get_section(g.perms, slug), appointment_id)


def appoint_to_section(section: Section, role: Role, form, form_name: str):
    """Appoint whoever the form names to a section-scoped ``role`` with its term (the view has
    asked ``can_appoint``); a bad form shows the section's admin page again, with its errors
    on the form passed as ``form_name``."""
    if form.validate_on_submit():
        person = find_person(form.who.data)
        if person is None:
            form.who.errors.append("No member has that e-mail address or username.")
        else:
            result = appointments.appoint(
                user=person, role=role, section=section, title=form.title.data,
                starts_on=form.starts_on.data, ends_on=form.ends_on.data,
                appointed_by=g.perms.user)
            db.session.commit()
            flash(result.message, "success" if result.changed else "info")
            return redirect(url_for("groups.admin_section", slug=section.slug))
    return admin_section(section.slug, status=400, **{form_name: form})


def end_section_term(section: Section, appointment_id: int, role: Role | None = None):
    """End a section-scoped term early (``role``: only an appointment of that role)."""
    appointment = db.session.get(Appointment, appointment_id)
    if appointment is None or appointment.section_id != section.id \
            or (role is not None and appointment.role != role):
        abort(404)
    g.perms.ensure(g.perms.can_end_appointment(appointment))
    result = appointments.end_term(appointment, g.perms.today)
    db.session.commit()
    flash(result.message, "success" if result.changed else "info")
    return redirect(url_for("groups.admin_section", slug=section.slug))


@bp.route("/admin/sections/<slug>/groups/new", methods=["GET", "POST"])
def admin_new_group(slug: str):
    section = get_section(g.perms, slug)
    form = GroupForm(kind=GroupKind.INTEREST_GROUP.value, visibility=Visibility.MEMBERS.value,
                     join_policy=JoinPolicy.OPEN.value)
    if form.validate_on_submit():
        once = claim(g.perms.user, form.submission_key.data)  # first: a repeat waits here
        if once.repeated:
            return once.repeat()
        group = Group(section_id=section.id)
        # Recorded ahead of _save_group's commit (the group will have the form's address);
        # a refused save commits nothing, so the key stays free for the corrected form.
        target = once.remember(url_for("groups.show", slug=form.slug.data))
        if _save_group(group, form):
            flash(f"{group.name} created.", "success")
            return redirect(target)
    status = 400 if form.is_submitted() else 200
    return render_template("admin/group_form.html", form=form, section=section,
                           group=None), status


@bp.route("/admin/groups/<slug>/edit", methods=["GET", "POST"])
def admin_edit_group(slug: str):
    group = get_group(g.perms, slug, manage=True)
    form = GroupForm(obj=group)
    if form.validate_on_submit() and _save_group(group, form):
        flash(f"{group.name} saved.", "success")
        return redirect(url_for("groups.show", slug=group.slug))
    status = 400 if form.is_submitted() else 200
    return render_template("admin/group_form.html", form=form, section=group.section,
                           group=group), status


def _save_group(group: Group, form: GroupForm) -> bool:
    """Apply the form; False (with the error on the form) when the web address is taken."""
    if _slug_taken(Group, form.slug.data, except_id=group.id):
        form.slug.errors.append("Another group already uses that web address.")
        return False
    group.name, group.slug = form.name.data, form.slug.data
    group.kind = GroupKind(form.kind.data)
    group.visibility = Visibility(form.visibility.data)
    group.join_policy = JoinPolicy(form.join_policy.data)
    group.purpose, group.purpose_html = form.purpose.data, render(form.purpose.data)
    db.session.add(group)
    try:
        db.session.commit()
    except IntegrityError:  # a race for the same address
        db.session.rollback()
        form.slug.errors.append("Another group already uses that web address.")
        return False
    return True


@bp.post("/admin/groups/<slug>/<any(archive, unarchive):verb>")
def admin_archive_group(slug: str, verb: str):
    group = get_group(g.perms, slug, manage=True)
    if verb == "archive" and group.archived_at is None:
        group.archived_at = utcnow()
        message = f"{group.name} is archived: it stays readable, nobody can join or post."
    elif verb == "unarchive" and group.archived_at is not None:
        group.archived_at = None
        message = f"{group.name} is active again."
    else:
        message = "Nothing to change."
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("groups.show", slug=group.slug))


@bp.get("/admin/groups/<slug>/leaders")
def admin_leaders(slug: str):
    group = get_group(g.perms, slug, manage=True)
    return leaders_page(group)


def leaders_page(group: Group, form: AppointmentForm | None = None, status: int = 200):
    if form is None:
        form = AppointmentForm(role=Role.LEADER.value, title="Chair")
        form.starts_on.data, form.ends_on.data = appointments.association_year(g.perms.today)
    return render_template(
        "admin/leaders.html", group=group, form=form, terms=appointments.history(group),
        titles=appointments.SUGGESTED_TITLES, today=g.perms.today, action=ActionForm(),
    ), status
