"""Account use cases: creating accounts and checking passwords. Services flush; views commit."""

from __future__ import annotations

import hmac
from zoneinfo import available_timezones

from flask import current_app
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from forum.control_chars import has_control_chars
from forum.db import utcnow
from forum.extensions import db
from forum.markup import render
from forum.users.common_passwords import COMMON_PASSWORD_MESSAGE, is_common_password
from forum.users.models import User
from forum.users.names import NameError_, new_username, normalize_email, username_key

PASSWORD_MIN = 10
# A real hash of a random password, checked when an account does not exist, so that an unknown
# address and a wrong password take the same time (no account enumeration by timing).
_DUMMY_HASH: dict[str, str] = {}


class AccountError(ValueError):
    """A reason an account change cannot be made; ``field`` names the form field at fault."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config.get(
        "PASSWORD_HASH_METHOD", "scrypt"))


def check_password(user: User | None, password: str) -> bool:
    """Constant-work check: hashes even when there is no user."""
    if user is None:
        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
        if method not in _DUMMY_HASH:
            _DUMMY_HASH[method] = generate_password_hash("not-a-password", method=method)
        check_password_hash(_DUMMY_HASH[method], password)
        return False
    return check_password_hash(user.password_hash, password)


def validate_password(password: str) -> None:
    if len(password) < PASSWORD_MIN:
        raise AccountError(f"Use at least {PASSWORD_MIN} characters.", "password")
    if len(password) > 1000:
        raise AccountError("That password is too long (1,000 characters at most).", "password")
    if is_common_password(password, PASSWORD_MIN):
        raise AccountError(COMMON_PASSWORD_MESSAGE, "password")


def find_by_email(address: str) -> User | None:
    try:
        email = normalize_email(address)
    except NameError_:
        return None
    return db.session.scalar(select(User).where(func.lower(User.email) == email.lower()))


def find_by_username(name: str) -> User | None:
    try:
        key = username_key(name)
    except NameError_:
        return None
    return db.session.scalar(select(User).where(User.username_key == key))


def username_taken(name: str) -> bool:
    return find_by_username(name) is not None


def create_user(*, email: str, username: str, display_name: str, password: str,
                verified: bool = False, site_admin: bool = False) -> User:
    """Create an account; raise AccountError (with the field at fault) if it cannot exist."""
    try:
        email_norm = normalize_email(email)
    except NameError_ as exc:
        raise AccountError(str(exc), "email") from exc
    key, shape = checked_username(username)
    validate_password(password)
    display_name = display_name.strip()
    if not display_name:
        raise AccountError("Enter the name others will see.", "display_name")
    _one_line(display_name, "display_name")
    if find_by_email(email_norm) is not None:
        raise AccountError("An account with that e-mail address already exists.", "email")
    ensure_username_free(key, shape)
    user = User(
        email=email_norm.lower(), username=username.strip(), username_key=key,
        username_skeleton=shape, display_name=display_name[:100],
        password_hash=hash_password(password),
        verified_at=utcnow() if verified else None, is_site_admin=site_admin,
    )
    try:
        with db.session.begin_nested():
            db.session.add(user)
    except IntegrityError:
        # Another request took this name or a look-alike between the check and the insert
        # (PostgreSQL; SQLite queues writers): the unique indexes stopped it. Say so as the
        # check would have; anything else (the address) stays the caller's IntegrityError.
        ensure_username_free(key, shape)
        raise
    return user


# --- usernames: the one rule for every way an account gets a name (sign-up, CLI, seeds) ------

USERNAME_TAKEN = "That username is taken."
USERNAME_TOO_SIMILAR = ("That username is too similar to an existing username; choose one "
                        "that cannot be mistaken for it.")


def checked_username(username: str) -> tuple[str, str]:
    """The key and look-alike skeleton of a name an account may take (see users.names)."""
    try:
        return new_username(username)
    except NameError_ as exc:
        raise AccountError(str(exc), "username") from exc


def ensure_username_free(key: str, shape: str) -> None:
    """Refuse a name another account has, or one that looks like another account's name."""
    taken = db.session.scalars(select(User.username_key).where(
        or_(User.username_key == key, User.username_skeleton == shape)).limit(2)).all()
    if taken:  # both columns are unique: at most one row per column
        raise AccountError(USERNAME_TAKEN if key in taken else USERNAME_TOO_SIMILAR, "username")


def _one_line(value: str, field: str) -> None:
    # The forms refuse these too; this is for names from the CLI (create-admin) and seeds,
    # which a mail header would otherwise carry.
    if has_control_chars(value):
        raise AccountError("Names cannot contain line breaks, tabs or other control characters.",
                           field)


def same_secret(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


# --- profile ---------------------------------------------------------------------------------

DISPLAY_NAME_MAX, AFFILIATION_MAX, BIO_MAX = 100, 200, 5000


def valid_timezone(name: str) -> bool:
    return name in timezones()


def timezones() -> frozenset[str]:
    global _TIMEZONES
    if _TIMEZONES is None:
        _TIMEZONES = frozenset(available_timezones())
    return _TIMEZONES


_TIMEZONES: frozenset[str] | None = None


def update_profile(user: User, *, display_name: str, affiliation: str, bio: str,
                   timezone: str) -> bool:
    """Save the public profile; the bio is rendered here, once. Returns whether it changed."""
    display_name, affiliation, bio = display_name.strip(), affiliation.strip(), bio.strip()
    if not display_name:
        raise AccountError("Enter the name others will see.", "display_name")
    if len(display_name) > DISPLAY_NAME_MAX:
        raise AccountError(f"Use {DISPLAY_NAME_MAX} characters at most.", "display_name")
    _one_line(display_name, "display_name")
    _one_line(affiliation, "affiliation")
    if len(affiliation) > AFFILIATION_MAX:
        raise AccountError(f"Use {AFFILIATION_MAX} characters at most.", "affiliation")
    if len(bio) > BIO_MAX:
        raise AccountError(f"Use {BIO_MAX:,} characters at most.", "bio")
    if not valid_timezone(timezone):
        raise AccountError("Choose a time zone from the list.", "timezone")
    new = {"display_name": display_name, "affiliation": affiliation, "bio": bio,
           "timezone": timezone}
    if all(getattr(user, k) == v for k, v in new.items()):
        return False
    for key, value in new.items():
        setattr(user, key, value)
    user.bio_html = render(bio) if bio else ""
    db.session.flush()
    return True
