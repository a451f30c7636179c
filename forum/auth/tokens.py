"""Signed, expiring tokens for links sent by e-mail.

Each token is signed with the app's SECRET_KEY and a salt naming its purpose, so a token made for
one purpose is refused for another. A token also carries a fingerprint of the state it acts on,
and is honoured only while that state is unchanged — which is what makes it single-use:

- verification: the address it was sent to (a changed address kills it);
- password reset: a digest of the current password hash (setting the password kills it);
- e-mail change: the old and the new address (once the change is made, the old one is gone).
"""

from __future__ import annotations

import hashlib

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from forum.extensions import db
from forum.users.models import User

VERIFY, RESET, CHANGE_EMAIL = "verify-email", "reset-password", "change-email"


class TokenError(ValueError):
    """A link that cannot be used; the message says why in words a member understands."""


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"forum.{purpose}")


def _max_age(purpose: str) -> int:
    key = "RESET_TOKEN_MAX_AGE" if purpose == RESET else "EMAIL_TOKEN_MAX_AGE"
    return int(current_app.config[key])


def password_fingerprint(user: User) -> str:
    # A digest of the hash (not the hash itself): the token is readable by whoever holds it.
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def make_token(purpose: str, user: User, **extra: str) -> str:
    payload = {"uid": user.id, **extra}
    if purpose == RESET:
        payload["pw"] = password_fingerprint(user)
    elif purpose == VERIFY:
        payload["email"] = user.email
    return _serializer(purpose).dumps(payload)


def read_token(purpose: str, token: str) -> tuple[User, dict]:
    """Return the user and payload of a valid token, or raise TokenError."""
    try:
        payload = _serializer(purpose).loads(token, max_age=_max_age(purpose))
    except SignatureExpired as exc:
        raise TokenError("This link has expired. Ask for a new one.") from exc
    except BadSignature as exc:
        raise TokenError("This link is not valid. Check that you copied all of it.") from exc
    if not isinstance(payload, dict) or not isinstance(payload.get("uid"), int):
        raise TokenError("This link is not valid. Check that you copied all of it.")
    user = db.session.get(User, payload["uid"])
    if user is None or not _still_current(purpose, user, payload):
        raise TokenError("This link has already been used or is no longer valid.")
    return user, payload


def _still_current(purpose: str, user: User, payload: dict) -> bool:
    if purpose == RESET:
        return payload.get("pw") == password_fingerprint(user)
    if purpose == VERIFY:
        return payload.get("email") == user.email
    if purpose == CHANGE_EMAIL:
        return payload.get("old") == user.email and isinstance(payload.get("new"), str)
    return False
