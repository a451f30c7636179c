"""Helpers for the account tests: links out of mail, sessions, forms."""

from __future__ import annotations

import re

from sqlalchemy import select

from forum.auth.models import AuthSession
from forum.extensions import db
from tests.helpers import csrf_token

_LINK = re.compile(r"http://localhost(/auth/[^\s]+)")


def link_in(mail, message) -> str:
    """The site path of the (first) account link in a delivered message."""
    match = _LINK.search(mail.text(message))
    assert match, mail.text(message)
    return match.group(1)


def last_link_to(mail, address: str) -> str:
    mail.deliver()
    messages = mail.to(address)
    assert messages, f"no mail to {address}"
    return link_in(mail, messages[-1])


def registration(**overrides) -> dict:
    data = {"email": "ada@example.org", "username": "ada", "display_name": "Ada Lovelace",
            "password": "analytical engine 1843", "confirm": "analytical engine 1843"}
    data.update(overrides)
    return data


def submit(client, url: str, data: dict, *, token_from: str | None = None):
    """POST a form with the session's CSRF token taken from the page itself."""
    data = dict(data)
    data.setdefault("csrf_token", csrf_token(client, token_from or "/"))
    return client.post(url, data=data)


def active_sessions_of(user) -> list[AuthSession]:
    return list(db.session.scalars(select(AuthSession).where(
        AuthSession.user_id == user.id, AuthSession.ended_at.is_(None))))


def perms_for(user):
    """``Permissions(user)``, imported late: importing forum.permissions before the app's
    blueprints exist runs into the groups package's import cycle."""
    from forum import create_app  # noqa: F401 - loads the packages in the app's order
    from forum.permissions import Permissions

    return Permissions(user)
