"""A member's own account: settings overview, profile, e-mail, password and sessions."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, logout_user

from forum.auth import bp, services
from forum.auth.devices import describe_device
from forum.auth.forms import ChangeEmailForm, ChangePasswordForm, add_error
from forum.auth.sessions import active_sessions, end_all_sessions, end_session_by_id, session_id_for
from forum.auth.throttle import mail_per_address
from forum.auth.tokens import TokenError
from forum.extensions import db
from forum.forms import ActionForm
from forum.users.forms import ProfileForm
from forum.users.services import AccountError, update_profile


def _status() -> int:
    return 200 if request.method == "GET" else 400


@bp.get("/settings")
@login_required
def settings():
    return render_template("auth/settings.html", action=ActionForm())


@bp.route("/settings/profile", methods=["GET", "POST"])
@login_required
def edit_profile():
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        try:
            changed = update_profile(current_user, display_name=form.display_name.data,
                                     affiliation=form.affiliation.data or "",
                                     bio=form.bio.data or "", timezone=form.timezone.data)
        except AccountError as exc:
            db.session.rollback()
            add_error(form, exc)
        else:
            db.session.commit()
            flash("Your profile is saved." if changed else "Nothing to save: no changes.",
                  "success" if changed else "info")
            return redirect(url_for("users.profile", username=current_user.username))
    return render_template("users/edit_profile.html", form=form), _status()


@bp.route("/settings/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            ended = services.change_password(current_user, form.current_password.data,
                                             form.password.data)
        except AccountError as exc:
            db.session.rollback()
            add_error(form, exc)
        else:
            db.session.commit()
            others = f" You were signed out of {ended} other session(s)." if ended else ""
            flash("Your password is changed." + others, "success")
            return redirect(url_for("auth.settings"))
    return render_template("auth/change_password.html", form=form), _status()


@bp.route("/settings/email", methods=["GET", "POST"])
@login_required
@mail_per_address
def change_email():
    form = ChangeEmailForm()
    if form.validate_on_submit():
        try:
            new = services.request_email_change(current_user, form.email.data,
                                                form.password.data)
        except AccountError as exc:
            db.session.rollback()
            add_error(form, exc)
        else:
            db.session.commit()
            flash(f"We sent a link to {new}. Your address changes when you follow it; until "
                  "then, keep using the one you have.", "success")
            return redirect(url_for("auth.settings"))
    return render_template("auth/change_email.html", form=form), _status()


@bp.route("/settings/email/confirm/<token>", methods=["GET", "POST"])
def confirm_email_change(token: str):
    form = ActionForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            return render_template("auth/confirm_email_change.html", form=form,
                                   token=token), 400
        try:
            user = services.confirm_email_change(token)
        except TokenError as exc:
            db.session.rollback()
            return render_template("auth/bad_link.html", message=str(exc)), 400
        db.session.commit()
        flash(f"Your e-mail address is now {user.email}.", "success")
        return redirect(url_for("auth.settings" if current_user.is_authenticated
                                else "auth.login"))
    return render_template("auth/confirm_email_change.html", form=form, token=token)


@bp.get("/sessions")
@login_required
def sessions():
    current_id = session_id_for(current_user.current_session_token)
    rows = active_sessions(current_user.id)
    return render_template("auth/sessions.html", sessions=rows, current_id=current_id,
                           devices={s.id: describe_device(s.user_agent) for s in rows},
                           action=ActionForm())


@bp.post("/sessions/<int:session_id>/end")
@login_required
def end_one_session(session_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    is_current = session_id == session_id_for(current_user.current_session_token)
    if not end_session_by_id(current_user.id, session_id):
        abort(404)
    db.session.commit()
    if is_current:
        logout_user()
        flash("You have signed out.", "info")
        return redirect(url_for("home.index"))
    flash("That session has ended: the device it was on is signed out.", "success")
    return redirect(url_for("auth.sessions"))


@bp.post("/sessions/end-all")
@login_required
def end_every_session():
    if not ActionForm().validate_on_submit():
        abort(400)
    end_all_sessions(current_user.id)
    db.session.commit()
    logout_user()
    flash("You have signed out everywhere, on every device.", "success")
    return redirect(url_for("auth.login"))
