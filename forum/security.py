"""Request hygiene every page shares: headers, malformed input, writer transactions."""

from __future__ import annotations

import re
from functools import wraps
from urllib.parse import unquote_to_bytes, urljoin, urlsplit

from flask import Flask, abort, g, request

from forum.db import reset_write_intent, set_write_intent, start_reader

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' https: data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
NO_STORE = "private, no-store"


def register_security(app: Flask) -> None:
    app.before_request(_mark_writers)
    app.before_request(_reject_malformed_input)
    app.teardown_request(_clear_write_intent)
    app.after_request(_security_headers)


def _mark_writers() -> None:
    if request.method not in SAFE_METHODS:
        g._write_token = set_write_intent(True)
    else:
        # Imported here: forum.extensions imports forum.csrf, which imports this module (for
        # is_safe_next), so a module-level import would find forum.extensions half-built.
        from forum.extensions import db

        start_reader(db.session)


def _clear_write_intent(exc) -> None:
    token = g.pop("_write_token", None)
    if token is not None:
        reset_write_intent(token)


def _security_headers(response):
    # A view may set a stricter policy (file previews do); never a looser one.
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
    response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    if is_no_store():  # assigned, not setdefault: it wins over members' "no-cache"
        response.headers["Cache-Control"] = NO_STORE
    return response


def mark_no_store() -> None:
    """This request's response, whatever it turns out to be, is ``private, no-store``: no
    cache (the browser's disk, a proxy, the back button) keeps a copy. For what must not
    outlive the session that saw it: private files, exports, the account pages' forms."""
    g._no_store = True


def is_no_store() -> bool:
    """Whether ``mark_no_store`` was asked for this request (the page cache asks it too)."""
    return bool(g.get("_no_store"))


def no_store(view):
    """``mark_no_store`` as a view decorator; a blueprint takes the whole of it with
    ``bp.before_request(mark_no_store)``."""
    @wraps(view)
    def marked(*args, **kwargs):
        mark_no_store()
        return view(*args, **kwargs)
    return marked


def _reject_malformed_input() -> None:
    """NUL bytes and invalid UTF-8 get a clear 400 (PostgreSQL would refuse NUL with a 500)."""
    if "\x00" in request.path:  # /g/%00: a slug or name with NUL reaches a query
        abort(400, description="The address contains bytes that are not valid text.")
    if _bad_bytes(request.query_string):
        abort(400, description="The address contains bytes that are not valid text.")
    if request.method in SAFE_METHODS:
        return
    if request.mimetype == "application/x-www-form-urlencoded":
        if _bad_bytes(request.get_data(cache=True)):
            abort(400, description="The form contains characters that are not valid text "
                                   "(a NUL byte or invalid UTF-8). Remove them and try again.")
    elif request.mimetype == "multipart/form-data":
        for values in request.form.listvalues():
            if any("\x00" in v or "\ufffd" in v for v in values):
                abort(400, description="The form contains characters that are not valid text "
                                       "(a NUL byte or invalid UTF-8). Remove them and try again.")


def _bad_bytes(raw: bytes) -> bool:
    for pair in raw.split(b"&"):
        for part in pair.split(b"=", 1):
            decoded = unquote_to_bytes(part.replace(b"+", b" "))
            if b"\x00" in decoded:
                return True
            try:
                decoded.decode("utf-8")
            except UnicodeDecodeError:
                return True
    return False


_HEADER_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]+")


def clean_header_text(value: str | None, max_len: int) -> str:
    """A request header's text made fit to store (the user agent and address of a session):
    control characters — NUL, which PostgreSQL refuses in text, among them — become a space,
    and the value is cut to its column's length. Headers are the client's to write, and no
    form validation stands between them and the row."""
    if not value:
        return ""
    return _HEADER_CONTROLS.sub(" ", value).strip()[:max_len]


def is_safe_next(target: str | None) -> bool:
    """Only this site's own paths: no scheme, no host, no //evil or /\\evil tricks."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return False
    if any(c in target for c in "\\\r\n\t\x00"):
        return False
    parts = urlsplit(urljoin("http://localhost/", target))
    return parts.scheme == "http" and parts.netloc == "localhost"
