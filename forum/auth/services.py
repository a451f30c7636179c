"""Account flows that send mail: register, verify, reset, change e-mail or password.

Services flush; views commit. Every mail is queued in the same transaction as its cause.
Flows that could reveal whether an address has an account (registration, password reset) do the
same visible thing — and the same expensive hashing — whether or not it has one.
"""

from __future__ import annotations

from flask import current_app, url_for
from sqlalchemy import func, select

from forum.auth import tokens
from forum.auth.sessions import end_all_sessions
from forum.db import utcnow
from forum.extensions import db
from forum.mail import queue_template
from forum.mailing.bounces import resume_mail
from forum.users.models import User
from forum.users.names import NameError_, normalize_email
from forum.users.services import (
    AccountError,
    check_password,
    checked_username,
    create_user,
    ensure_username_free,
    find_by_email,
    hash_password,
    validate_password,
)


def _link(endpoint: str, **values) -> str:
    return current_app.config["SITE_URL"] + url_for(endpoint, **values)


def _site() -> str:
    return current_app.config["SITE_NAME"]


def register(*, email: str, username: str, display_name: str, password: str) -> User | None:
    """Create an unverified account and mail its verification link.

    If the address already has an account, nothing is created: its owner gets a note instead,
    and the caller shows the same "check your e-mail" page (no account enumeration). Returns
    the new user, or None when the address was taken. Raises AccountError for bad input.
    """
    existing = find_by_email(email)
    if existing is None:
        user = create_user(email=email, username=username, display_name=display_name,
                           password=password)
        send_verification(user)
        return user
    # Same work as the real path: validate, hash, mail.
    create_user_checks_only(username=username, display_name=display_name, password=password)
    hash_password(password)
    queue_template(existing.email, f"Someone tried to register at {_site()} with your address",
                   "account_register_exists", user=existing, site_name=_site(),
                   login_url=_link("auth.login"), reset_url=_link("auth.forgot_password"))
    return None


def create_user_checks_only(*, username: str, display_name: str, password: str) -> None:
    """The checks create_user makes on the parts of a registration that are not the address."""
    key, shape = checked_username(username)
    validate_password(password)
    if not display_name.strip():
        raise AccountError("Enter the name others will see.", "display_name")
    ensure_username_free(key, shape)


def send_verification(user: User) -> None:
    token = tokens.make_token(tokens.VERIFY, user)
    queue_template(user.email, f"Confirm your e-mail address for {_site()}", "account_verify",
                   user=user, site_name=_site(), url=_link("auth.verify", token=token))


def verify_email(token: str) -> tuple[User, bool]:
    """Mark the address verified. Returns (user, changed); idempotent; raises TokenError."""
    user, _ = tokens.read_token(tokens.VERIFY, token)
    if user.verified_at is not None:
        return user, False
    user.verified_at = utcnow()
    db.session.flush()
    return user, True


def request_password_reset(email: str) -> None:
    """Mail a reset link if the address has an account; do nothing visible otherwise."""
    user = find_by_email(email)
    if user is None:
        return  # the caller shows the same page; the only difference is one INSERT not made
    token = tokens.make_token(tokens.RESET, user)
    queue_template(user.email, f"Reset your password for {_site()}", "account_reset",
                   user=user, site_name=_site(), url=_link("auth.reset_password", token=token),
                   minutes=current_app.config["RESET_TOKEN_MAX_AGE"] // 60)


def reset_password(token: str, new_password: str) -> User:
    """Set a new password from a reset link; the link then dies, as do all sessions."""
    user, _ = tokens.read_token(tokens.RESET, token)
    validate_password(new_password)
    _set_password(user, new_password, keep_token=None)
    if user.verified_at is None:
        user.verified_at = utcnow()  # the link reached the inbox: the address is proven
    db.session.flush()
    return user


def change_password(user: User, current: str, new_password: str) -> int:
    """Change the password; every other session ends. Returns how many ended."""
    if not check_password(user, current):
        raise AccountError("That is not your current password.", "current_password")
    validate_password(new_password)
    ended = _set_password(user, new_password, keep_token=user.current_session_token)
    db.session.flush()
    return ended


def _set_password(user: User, new_password: str, keep_token: str | None) -> int:
    user.password_hash = hash_password(new_password)
    ended = end_all_sessions(user.id, except_token=keep_token)
    queue_template(user.email, f"Your password for {_site()} was changed",
                   "account_password_changed", user=user, site_name=_site(),
                   reset_url=_link("auth.forgot_password"))
    return ended


def request_email_change(user: User, new_email: str, password: str) -> str:
    """Mail a confirmation link to the new address; nothing changes until it is followed."""
    if not check_password(user, password):
        raise AccountError("That is not your current password.", "password")
    try:
        new = normalize_email(new_email).lower()
    except NameError_ as exc:
        raise AccountError(str(exc), "email") from exc
    if new == user.email:
        raise AccountError("That is already your address.", "email")
    if not _address_taken(new, user.id):
        token = tokens.make_token(tokens.CHANGE_EMAIL, user, old=user.email, new=new)
        queue_template(new, f"Confirm your new e-mail address for {_site()}",
                       "account_email_change", user=user, site_name=_site(),
                       url=_link("auth.confirm_email_change", token=token))
    # A taken address gets no mail and the same answer: no account enumeration here either.
    return new


def confirm_email_change(token: str) -> User:
    user, payload = tokens.read_token(tokens.CHANGE_EMAIL, token)
    new = payload["new"]
    if _address_taken(new, user.id):
        raise tokens.TokenError("That address now belongs to another account.")
    old = user.email
    user.email = new
    if user.verified_at is None:
        user.verified_at = utcnow()
    if user.mail_paused:  # the bounces were the old address's
        resume_mail(user)
    queue_template(old, f"Your e-mail address for {_site()} was changed",
                   "account_email_changed", user=user, site_name=_site(), new_email=new)
    db.session.flush()
    return user


def _address_taken(address: str, except_user_id: int) -> bool:
    return db.session.scalar(
        select(User.id).where(func.lower(User.email) == address.lower(),
                              User.id != except_user_id)
    ) is not None
