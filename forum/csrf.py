"""CSRF tokens that expire without losing what a member typed.

Flask-WTF's ``CSRFProtect`` checks every POST before its view runs, and a bad token is a 400
(forum/errors.py). Tokens expire after ``WTF_CSRF_TIME_LIMIT`` (4 hours), so one copied out of
a page — a cached copy, a saved file, a log — stops working. But a member may spend an hour on
a long reply and must get it back, not a bare error. So a token that this session was given,
and that is only too old, is let through to the view with ``g.csrf_expired`` set:

- the view's own form fails its CSRF check (Flask-WTF checks again, since the request was not
  marked valid), so the standard re-render with status 400 shows what was typed, a fresh token,
  and "This page expired — here it is again; check and send it." (the ``error_summary``
  macro, templates/_macros/forms.html);
- the database session refuses to commit while the mark is set, so a view that never validates
  a form of its own cannot write anything; that refusal, a 400 a view raises, or a redirect it
  answers with becomes a redirect back to the page with ``BUTTON_EXPIRED_MESSAGE`` flashed
  (POST-only buttons have nothing to re-render).

A missing token, a forged one, or one from another session still gets the plain 400.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from flask import Flask, current_app, flash, g, has_request_context, redirect, request, url_for
from flask_wtf.csrf import CSRFError, CSRFProtect, same_origin, validate_csrf
from sqlalchemy import event
from sqlalchemy.orm import Session
from wtforms import ValidationError

from forum.security import is_safe_next

BUTTON_EXPIRED_MESSAGE = "That page had expired, so nothing was done: press the button again."
# "No age limit" for checking that an expired token is otherwise genuine (validate_csrf takes
# None to mean "the configured limit").
_ANY_AGE = 1000 * 365 * 24 * 3600
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
logger = logging.getLogger(__name__)


class CSRFExpired(CSRFError):
    """Raised when a request carrying an expired token tries to commit."""

    description = BUTTON_EXPIRED_MESSAGE


class ForumCSRFProtect(CSRFProtect):
    def init_app(self, app: Flask) -> None:
        super().init_app(app)
        app.after_request(_flash_on_redirect)

    def protect(self, apply_exemptions: bool = False) -> None:
        try:
            super().protect(apply_exemptions)
        except CSRFError:
            if not _only_too_old(self._get_csrf_token()):
                raise
            logger.info("Expired CSRF token: %s %s", request.method, request.path)
            g.csrf_expired = True


def _only_too_old(token: str | None) -> bool:
    """The session's own token, signed by us, that fails only on its age."""
    try:
        validate_csrf(token, time_limit=_ANY_AGE)
    except ValidationError:
        return False
    if request.is_secure and current_app.config["WTF_CSRF_SSL_STRICT"]:
        # The same referrer rule CSRFProtect applies to a valid token.
        return bool(request.referrer) and same_origin(request.referrer,
                                                      f"https://{request.host}/")
    return True


@event.listens_for(Session, "before_commit")
def _refuse_commit(session) -> None:
    # The backstop: whatever a view does with an expired token, nothing is saved.
    if has_request_context() and g.get("csrf_expired"):
        raise CSRFExpired()


def expired_page_response():
    """Back to the page the request came from (this site's only), which will say why."""
    back = url_for("home.index")
    if request.referrer:
        parts = urlsplit(request.referrer)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if parts.netloc == request.host and is_safe_next(path):
            back = path
    return redirect(back, 303)


def _flash_on_redirect(response):
    if g.get("csrf_expired") and response.status_code in _REDIRECTS:
        flash(BUTTON_EXPIRED_MESSAGE, "error")
    return response
