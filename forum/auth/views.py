"""Signing in and out."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user

from forum.auth import bp
from forum.auth.forms import LoginForm
from forum.auth.sessions import end_session, start_session
from forum.extensions import db
from forum.forms import ActionForm
from forum.security import is_safe_next
from forum.users.services import check_password, find_by_email

FAILED_SIGN_IN = "That e-mail address and password do not match an account."


def _next_url(default: str = "home.index") -> str:
    target = request.values.get("next")
    return target if is_safe_next(target) else url_for(default)


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(_next_url())
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = find_by_email(form.email.data)
        if check_password(user, form.password.data):
            start_session(user)
            db.session.commit()
            login_user(user, remember=form.remember.data)
            flash(f"Welcome back, {user.display_name}.", "success")
            return redirect(_next_url())
        form.password.errors.append(FAILED_SIGN_IN)
    return render_template("auth/login.html", form=form), 200 if request.method == "GET" else 400


@bp.post("/logout")
def logout():
    form = ActionForm()
    if form.validate_on_submit() and current_user.is_authenticated:
        end_session(current_user.current_session_token)
        db.session.commit()
        logout_user()
        flash("You have signed out.", "info")
    return redirect(url_for("home.index"))
