"""Throttling sign-in (per account and per address) and the mail-sending forms, and the 429 page.

Limits come from config (LOGIN_LIMIT_PER_ACCOUNT, LOGIN_LIMIT_PER_ADDRESS, ACCOUNT_MAIL_LIMIT);
the counting is forum.ratelimit's: each POST is counted before its view runs, atomically, and
the answer depends on the count that came back — so parallel requests cannot all slip past a
check made before any of them was counted. The account key is the address as typed, normalised
the cheap way, whether or not it has an account — so an unknown address is throttled exactly
like a real one.

Sign-in counts every attempt and takes a successful one back (``forgive``): what is left are
the failed attempts, and a correct password after the limit is still refused until the window
passes.
"""

from __future__ import annotations

import functools

from flask import current_app, render_template, request

from forum import ratelimit
from forum.security import clean_header_text


def _address_key() -> str:
    # Behind ProxyFix the address comes from a header: cleaned like any stored header text.
    return clean_header_text(request.remote_addr, 64) or "unknown"


def _account_key() -> str:
    return (request.form.get("email") or "").strip().lower()[:254]


def _throttled(*rules, forgive_when=None):
    """Count each POST against every ``(scope, key function, config key)`` before the view;
    over any limit, the 429 page instead of the view."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            if request.method != "POST" or not ratelimit.enabled():
                return view(*args, **kwargs)
            counts = ratelimit.attempt(*[
                (scope, key(), ratelimit.parse_limit(current_app.config[setting]))
                for scope, key, setting in rules])
            refused = next((c for c in counts if not c.allowed), None)
            if refused is not None:
                raise ratelimit.Throttled(refused)
            response = current_app.make_response(view(*args, **kwargs))
            if forgive_when is not None and forgive_when(response):
                ratelimit.forgive(*counts)
            return response

        return wrapper

    return decorate


def _signed_in(response) -> bool:
    # A successful sign-in (or one already signed in) redirects; a failed one shows the form.
    return response.status_code == 302


login_throttle = _throttled(
    ("login-address", _address_key, "LOGIN_LIMIT_PER_ADDRESS"),
    ("login-account", _account_key, "LOGIN_LIMIT_PER_ACCOUNT"),
    forgive_when=_signed_in,
)
# Forms that send mail (register, forgot password, resend verification, change e-mail): per
# address, so nobody can use the site to flood an inbox. Every POST counts.
mail_per_address = _throttled(("account-mail", _address_key, "ACCOUNT_MAIL_LIMIT"))


def too_many_requests(exc: ratelimit.Throttled):
    login = request.endpoint == "auth.login"
    response = current_app.make_response((render_template(
        "auth/too_many.html", login=login, limit=exc.count.limit.text), 429))
    response.headers["Retry-After"] = str(exc.count.retry_after)
    return response
