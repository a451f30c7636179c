"""Bans in a group, the group's moderation settings, and site-wide suspension."""

from __future__ import annotations

from datetime import timedelta

from flask import g, redirect, render_template, url_for
from flask_login import current_user

from forum.db import utcnow
from forum.extensions import db
from forum.moderation import bp
from forum.moderation.accounts import suspend_account, unsuspend_account
from forum.moderation.bans import ban_member, banned_members, lift_ban
from forum.moderation.common import ModerationError
from forum.moderation.forms import BanForm, ReasonForm, SettingsForm, SuspendForm
from forum.moderation.loading import back_to, get_group, get_user, say
from forum.moderation.settings import holds_first_posts, set_hold_first_posts
from forum.users.services import find_by_username


def _until(duration: str):
    return None if duration == "forever" else utcnow() + timedelta(days=int(duration))


@bp.route("/g/<slug>/moderation/bans", methods=["GET", "POST"])
def bans(slug: str):
    group = get_group(g.perms, slug)
    g.perms.ensure(g.perms.can_ban(group))
    form = BanForm()
    if form.validate_on_submit():
        user = find_by_username(form.username.data)
        if user is None:
            form.username.errors.append("There is no member with that username.")
        elif not g.perms.can_ban(group, user):
            form.username.errors.append(
                "You cannot ban that member: yourself, a leader, an admin, or someone of "
                "your own rank or above.")
        else:
            try:
                outcome = ban_member(group, user, by=current_user,
                                     until=_until(form.duration.data), reason=form.reason.data)
            except ModerationError as exc:
                form.form_errors.append(str(exc))
            else:
                db.session.commit()
                say(outcome)
                return redirect(url_for("moderation.bans", slug=group.slug))
    rows = db.session.scalars(banned_members(group)).all()
    status = 400 if form.is_submitted() else 200
    return render_template("moderation/bans.html", group=group, form=form, rows=rows,
                           lift_form=ReasonForm(), now=utcnow()), status


@bp.post("/g/<slug>/moderation/bans/<username>/lift")
def lift(slug: str, username: str):
    group = get_group(g.perms, slug)
    g.perms.ensure(g.perms.can_ban(group))
    user = get_user(username)
    form = ReasonForm()
    if form.validate_on_submit():
        say(lift_ban(group, user, by=current_user, reason=form.reason.data or ""))
        db.session.commit()
    return back_to(url_for("moderation.bans", slug=group.slug))


@bp.route("/g/<slug>/moderation/settings", methods=["GET", "POST"])
def settings(slug: str):
    group = get_group(g.perms, slug)
    g.perms.ensure(g.perms.can_change_moderation_settings(group))
    form = SettingsForm(data={"hold_first_posts": holds_first_posts(group.id)})
    if form.validate_on_submit():
        say(set_hold_first_posts(group, by=current_user, hold=form.hold_first_posts.data))
        db.session.commit()
        return redirect(url_for("moderation.settings", slug=group.slug))
    status = 400 if form.is_submitted() else 200
    return render_template("moderation/settings.html", group=group, form=form), status


@bp.route("/moderation/users/<username>/suspend", methods=["GET", "POST"])
def suspend(username: str):
    g.perms.ensure(g.perms.is_site_admin)
    user = get_user(username)
    g.perms.ensure(g.perms.can_suspend(user))
    form = SuspendForm()
    if form.validate_on_submit():
        try:
            outcome = suspend_account(user, by=current_user, until=_until(form.duration.data),
                                      reason=form.reason.data)
        except ModerationError as exc:
            form.form_errors.append(str(exc))
        else:
            db.session.commit()
            say(outcome)
            return redirect(url_for("moderation.suspend", username=user.username))
    status = 400 if form.is_submitted() else 200
    return render_template("moderation/suspend.html", user=user, form=form,
                           lift_form=ReasonForm()), status


@bp.post("/moderation/users/<username>/unsuspend")
def unsuspend(username: str):
    g.perms.ensure(g.perms.is_site_admin)
    user = get_user(username)
    g.perms.ensure(g.perms.can_suspend(user))
    form = ReasonForm()
    if form.validate_on_submit():
        say(unsuspend_account(user, by=current_user, reason=form.reason.data or ""))
        db.session.commit()
    return redirect(url_for("moderation.suspend", username=user.username))
