"""Forgotten passwords: ask for a link by e-mail, then set a new password with it."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, logout_user

from forum.auth import bp, services
from forum.auth.forms import ForgotPasswordForm, ResetPasswordForm
from forum.auth.throttle import mail_per_address
from forum.auth.tokens import RESET, TokenError, read_token
from forum.extensions import db
from forum.users.services import AccountError


@bp.route("/forgot-password", methods=["GET", "POST"])
@mail_per_address
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        db.session.commit()
        return redirect(url_for("auth.reset_sent"))
    status = 200 if request.method == "GET" else 400
    return render_template("auth/forgot_password.html", form=form), status


@bp.get("/forgot-password/sent")
def reset_sent():
    return render_template("auth/reset_sent.html")


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    try:
        read_token(RESET, token)
    except TokenError as exc:
        return render_template("auth/bad_link.html", message=str(exc)), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            services.reset_password(token, form.password.data)
        except (AccountError, TokenError) as exc:
            db.session.rollback()
            form.password.errors = [*form.password.errors, str(exc)]
        else:
            db.session.commit()
            if current_user.is_authenticated:
                logout_user()  # every session ended with the old password, this one too
            flash("Your password is changed. Sign in with it now.", "success")
            return redirect(url_for("auth.login"))
    status = 200 if request.method == "GET" else 400
    return render_template("auth/reset_password.html", form=form, token=token), status
