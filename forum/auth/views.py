"""Signing in and out, registering, and verifying an address."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy.exc import IntegrityError

from forum.auth import bp, services
from forum.auth.forms import LoginForm, RegisterForm, add_error
from forum.auth.sessions import end_session, start_session, touch_session
from forum.auth.throttle import login_throttle, mail_per_address, too_many_requests
from forum.auth.tokens import TokenError
from forum.extensions import db
from forum.forms import ActionForm
from forum.ratelimit import Throttled
from forum.security import SAFE_METHODS, is_safe_next
from forum.users.services import AccountError, check_password, find_by_email

FAILED_SIGN_IN = "That e-mail address and password do not match an account."

bp.register_error_handler(Throttled, too_many_requests)


@bp.before_app_request
def _record_activity():
    # "Last seen" moves on sign-in and on POSTs only: a GET never writes.
    if request.method not in SAFE_METHODS and current_user.is_authenticated:
        touch_session(current_user.current_session_token,
                      getattr(current_user, "current_session_seen_at", None))


def _next_url(default: str = "home.index") -> str:
    target = request.values.get("next")
    return target if is_safe_next(target) else url_for(default)


@bp.route("/login", methods=["GET", "POST"])
@login_throttle
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


@bp.route("/register", methods=["GET", "POST"])
@mail_per_address
def register():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            services.register(email=form.email.data, username=form.username.data,
                              display_name=form.display_name.data, password=form.password.data)
            db.session.commit()
        except AccountError as exc:
            db.session.rollback()
            add_error(form, exc)
        except IntegrityError:
            # Someone took the name or address a moment ago: nothing was written.
            db.session.rollback()
            form.username.errors = [*form.username.errors,
                                    "That username or address was just taken. Try again."]
        else:
            return redirect(url_for("auth.check_email"))
    status = 200 if request.method == "GET" else 400
    return render_template("auth/register.html", form=form), status


@bp.get("/register/check-email")
def check_email():
    return render_template("auth/check_email.html")


@bp.route("/verify/<token>", methods=["GET", "POST"])
def verify(token: str):
    """The link shows a button: following a link (GET) changes nothing, so mail scanners that
    open every link do not verify addresses on their own."""
    form = ActionForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            return render_template("auth/verify.html", form=form, token=token), 400
        try:
            user, changed = services.verify_email(token)
        except TokenError as exc:
            return _bad_link(exc)
        db.session.commit()
        flash("Your e-mail address is confirmed. Welcome!" if changed
              else "Your e-mail address was already confirmed.", "success")
        return redirect(url_for("home.index" if current_user.is_authenticated else "auth.login"))
    return render_template("auth/verify.html", form=form, token=token)


def _bad_link(exc: TokenError):
    db.session.rollback()
    return render_template("auth/bad_link.html", message=str(exc)), 400


@bp.post("/resend-verification")
@login_required
@mail_per_address
def resend_verification():
    form = ActionForm()
    if not form.validate_on_submit():
        return redirect(url_for("home.index"))
    if current_user.is_verified:
        flash("Your e-mail address is already confirmed.", "info")
    else:
        services.send_verification(current_user)
        db.session.commit()
        flash(f"We sent a new confirmation link to {current_user.email}.", "success")
    return redirect(_next_url())


from forum.auth import recovery, settings  # noqa: E402,F401 - their routes join this blueprint
