"""Throttling sign-in (per account and per address) and the mail-sending forms, and the 429 page.

Limits come from config (LOGIN_LIMIT_PER_ACCOUNT, LOGIN_LIMIT_PER_ADDRESS, ACCOUNT_MAIL_LIMIT);
counts live in RATELIMIT_STORAGE_URI (memory by default, Redis in production so every worker
shares them). The account key is the address as typed, normalised the cheap way, whether or not
it has an account — so an unknown address is throttled exactly like a real one.
"""

from __future__ import annotations

from flask import current_app, render_template, request
from flask_limiter.errors import RateLimitExceeded

from forum.extensions import limiter


def _account_key() -> str:
    return "login-account:" + (request.form.get("email") or "").strip().lower()[:254]


def _failed(response) -> bool:
    # Only failed attempts count: a successful sign-in redirects.
    return response.status_code != 302


login_per_address = limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"], methods=["POST"],
    scope="login-address", deduct_when=_failed,
)
login_per_account = limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"], methods=["POST"],
    key_func=_account_key, scope="login-account", deduct_when=_failed,
)
# Forms that send mail (register, forgot password, resend verification, change e-mail): per
# address, so nobody can use the site to flood an inbox.
mail_per_address = limiter.limit(
    lambda: current_app.config["ACCOUNT_MAIL_LIMIT"], methods=["POST"], scope="account-mail",
)


def too_many_requests(exc: RateLimitExceeded):
    login = request.endpoint == "auth.login"
    response = current_app.make_response((render_template(
        "auth/too_many.html", login=login, limit=str(exc.limit.limit)), 429))
    try:
        response.headers["Retry-After"] = str(exc.limit.limit.get_expiry())
    except AttributeError:  # pragma: no cover - depends on the limits library's internals
        pass
    return response
