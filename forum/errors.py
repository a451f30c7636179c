"""Error pages: HTML for people, JSON where JSON was asked for; a 500 rolls back first."""

from __future__ import annotations

from flask import Flask, g, jsonify, make_response, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from forum.csrf import CSRFExpired, expired_page_response
from forum.extensions import db
from forum.permissions.standing import StandingRefused

TITLES = {
    400: "That request could not be understood",
    403: "You do not have permission to do that",
    404: "Page not found",
    405: "That action is not allowed here",
    413: "That upload is too large",
    429: "Too many requests",
    500: "Something went wrong on our side",
}
HINTS = {
    400: "Check what you entered and try again.",
    403: "If you think you should have access, ask the group's leaders.",
    404: "The page may have moved, or you may need to sign in to see it.",
    405: "Use the buttons and forms on the site rather than typing the address.",
    413: "Make the file or text smaller and try again.",
    429: "Wait a little before trying again.",
    500: "The problem has been logged. Nothing you sent was half-saved; please try again.",
}


def register_errors(app: Flask) -> None:
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(CSRFExpired, _csrf_expired)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(InternalServerError, _server_error)


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "application/json" and request.accept_mimetypes[best] > \
        request.accept_mimetypes["text/html"]


def _render(code: int, message: str | None = None):
    title = TITLES.get(code, "Error")
    detail = message or HINTS.get(code, "")
    if _wants_json():
        response = jsonify(error=title, detail=detail, status=code)
    else:
        response = make_response(
            render_template("errors/error.html", code=code, title=title, detail=detail))
    response.status_code = code
    return response


def _http_error(exc: HTTPException):
    if exc.code is None or exc.code < 400:
        return exc
    if exc.code == 400 and g.get("csrf_expired"):
        return _csrf_expired(exc)  # the view refused the expired token its own way
    if isinstance(exc, StandingRefused):
        return _standing(exc.standing)
    description = exc.description if exc.description != type(exc).description else None
    response = _render(exc.code, description)
    if exc.code == 405 and exc.valid_methods:
        response.headers["Allow"] = ", ".join(exc.valid_methods)
    return response


def _standing(standing):
    """A banned or suspended member's refusal: why, until when, whom to write to."""
    if _wants_json():
        until = standing.until.isoformat() if standing.until else None
        response = jsonify(error=TITLES[403], status=403, standing=standing.kind,
                           until=until, reason=standing.reason)
    else:
        response = make_response(render_template("errors/standing.html", s=standing))
    response.status_code = 403
    return response


def _csrf_error(exc: CSRFError):
    # A missing or forged token, or one from another session (an expired one of this session
    # gets the form back instead: forum/csrf.py).
    return _render(400, "The form could not be checked: your session may have expired, or it "
                        "was sent from another site. Reload the page and send it again; "
                        "nothing was saved.")


def _csrf_expired(exc):
    """An expired token where no form was re-rendered (a button, or a view that tried to
    save): nothing was saved; back to the page, which says so (forum/csrf.py)."""
    db.session.rollback()
    if _wants_json():
        return _render(400, CSRFExpired.description)
    return expired_page_response()


def _server_error(exc):
    db.session.rollback()
    return _render(500)
