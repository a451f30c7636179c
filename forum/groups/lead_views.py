"""What a group's leaders do: settings, join requests, invitations, members, moderators, CSV."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from forum.csv_export import csv_response, csv_text
from forum.extensions import db
from forum.forms import ActionForm
from forum.groups import appointments, bp, services
from forum.groups.admin_views import leaders_page
from forum.groups.forms import AppointmentForm, GroupSettingsForm, PersonForm
from forum.groups.models import (
    Appointment,
    JoinPolicy,
    Membership,
    MembershipStatus,
    Role,
    Visibility,
)
from forum.groups.paging import search_term
from forum.groups.queries import (
    active_members_page,
    find_person,
    get_group,
    get_membership,
    waiting_memberships,
)
from forum.http import arg_page
from forum.markup import render
from forum.permissions import Permissions
from forum.security import no_store


@bp.route("/g/<slug>/settings", methods=["GET", "POST"])
def settings(slug: str):
    group = get_group(g.perms, slug, lead=True)
    form = GroupSettingsForm(obj=group)
    if form.validate_on_submit():
        group.purpose = form.purpose.data
        group.purpose_html = render(form.purpose.data)
        group.visibility = Visibility(form.visibility.data)
        group.join_policy = JoinPolicy(form.join_policy.data)
        db.session.commit()
        flash("The group's settings were saved.", "success")
        return redirect(url_for("groups.show", slug=group.slug))
    status = 400 if form.is_submitted() else 200
    return render_template("groups/settings.html", group=group, form=form), status


def _manage_page(group, invite_form=None, appoint_form=None, status=200):
    search = search_term()
    members = active_members_page(group.id, search, arg_page())
    appoint_form = appoint_form or AppointmentForm(role=Role.MODERATOR.value, title="Moderator")
    start, end = appointments.association_year(g.perms.today)
    if not appoint_form.is_submitted():
        appoint_form.starts_on.data, appoint_form.ends_on.data = g.perms.today, end
    return render_template(
        "groups/manage.html", group=group, waiting=waiting_memberships(group.id),
        members=members, search=search,
        staff=appointments.group_staff(group), invite_form=invite_form or PersonForm(),
        appoint_form=appoint_form, titles=appointments.SUGGESTED_TITLES, form=ActionForm(),
    ), status


@bp.get("/g/<slug>/manage")
def manage(slug: str):
    return _manage_page(get_group(g.perms, slug, lead=True))


@bp.post("/g/<slug>/requests/<int:user_id>/<any(approve, decline):verdict>")
def review_request(slug: str, user_id: int, verdict: str):
    group = get_group(g.perms, slug, lead=True)
    membership = get_membership(group, user_id, MembershipStatus.PENDING)
    verb = services.approve_request if verdict == "approve" else services.decline_request
    result = verb(group, membership)
    db.session.commit()
    flash(result.message, "success" if result.changed else "info")
    return redirect(url_for("groups.manage", slug=group.slug))


@bp.post("/g/<slug>/invite")
def invite(slug: str):
    group = get_group(g.perms, slug, lead=True)
    form = PersonForm()
    if form.validate_on_submit():
        person = find_person(form.who.data)
        if person is None:
            form.who.errors.append("No member has that e-mail address or username.")
        else:
            result = services.invite(group, person, g.perms.user)
            db.session.commit()
            flash(result.message, "success" if result.changed else "info")
            return redirect(url_for("groups.manage", slug=group.slug))
    return _manage_page(group, invite_form=form, status=400)


@bp.post("/g/<slug>/members/<int:user_id>/remove")
def remove_member(slug: str, user_id: int):
    group = get_group(g.perms, slug, lead=True)
    membership = get_membership(group, user_id)
    target_rank = Permissions(membership.user, today=g.perms.today).rank_in(group)
    g.perms.ensure(g.perms.can_remove_member(group, target_rank))
    result = services.remove_member(group, membership)
    db.session.commit()
    flash(result.message, "success" if result.changed else "info")
    return redirect(_back_to_member_list(group))


def _back_to_member_list(group) -> str:
    """The page of the member list the leader removed someone from, with its search kept."""
    page = arg_page()
    search = search_term()
    return url_for("groups.manage", slug=group.slug, page=page if page > 1 else None,
                   q=search or None)


@bp.post("/g/<slug>/appointments")
def appoint(slug: str):
    """Leaders appoint moderators; section admins also appoint leaders (one rule decides)."""
    group = get_group(g.perms, slug)
    form = AppointmentForm()
    role_value = form.role.data
    if role_value not in {r.value for r in Role}:
        abort(400)
    g.perms.ensure(g.perms.can_appoint(group, Role(role_value)))
    if form.validate_on_submit():
        person = find_person(form.who.data)
        if person is None:
            form.who.errors.append("No member has that e-mail address or username.")
        else:
            result = appointments.appoint(
                user=person, role=Role(role_value), group=group, title=form.title.data,
                starts_on=form.starts_on.data, ends_on=form.ends_on.data,
                appointed_by=g.perms.user)
            db.session.commit()
            flash(result.message, "success" if result.changed else "info")
            return redirect(_back_to_staff_page(group, Role(role_value)))
    if role_value == Role.LEADER.value:
        return leaders_page(group, form, status=400)
    return _manage_page(group, appoint_form=form, status=400)


def _back_to_staff_page(group, role: Role) -> str:
    if role == Role.LEADER:
        return url_for("groups.admin_leaders", slug=group.slug)
    return url_for("groups.manage", slug=group.slug)


@bp.post("/g/<slug>/appointments/<int:appointment_id>/end")
def end_appointment(slug: str, appointment_id: int):
    group = get_group(g.perms, slug)
    appointment = db.session.get(Appointment, appointment_id)
    if appointment is None or appointment.group_id != group.id:
        abort(404)
    g.perms.ensure(g.perms.can_end_appointment(appointment))
    role = appointment.role
    result = appointments.end_term(appointment, g.perms.today)
    db.session.commit()
    flash(result.message, "success" if result.changed else "info")
    return redirect(_back_to_staff_page(group, role))


@bp.get("/g/<slug>/members.csv")
@no_store  # members' names and addresses: never kept by a cache
def export_members(slug: str):
    group = get_group(g.perms, slug, lead=True)
    rows = db.session.execute(
        select(Membership).options(joinedload(Membership.user))
        .where(Membership.group_id == group.id, Membership.status == MembershipStatus.ACTIVE)
        .order_by(Membership.joined_at, Membership.id)
    ).scalars()
    text = csv_text(["Name", "Username", "E-mail", "Affiliation", "Joined"], (
        (m.user.display_name, m.user.username, m.user.email, m.user.affiliation,
         m.joined_at.date().isoformat() if m.joined_at else "") for m in rows))
    return csv_response(text, f"{group.slug}-members.csv")
