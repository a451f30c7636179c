"""The request observer: a WSGI layer around the whole app (the page cache's front door too).

``GET /healthz`` and ``/readyz`` (health.py) are answered here, before Flask: "the process is
alive" is exactly "this WSGI callable answers", and nothing Flask does per request may make
the probes depend on what they report on (a PostgreSQL reader takes its connection as the
request starts: with the database down, /readyz must say 503, not fail with a 500). No
session, no cookie, no page cache, no throttle is involved.

For every request it
- takes the request id from an incoming ``X-Request-ID`` when it is sane (1–128 characters of
  letters, digits and ``._:-``; a proxy's or the load balancer's id), or makes one; the
  response carries it back in ``X-Request-ID`` and every log line of the request names it;
- when the answer has been sent (the body iterator closed: a streamed file counts whole),
  counts it in the metrics and writes one line on ``forum.requests``: request_id, method,
  route (the URL rule, ``/g/<slug>/t/<int:thread_id>``; "unmatched" for a 404 no rule
  matched), status, duration_ms and user_id (null for a visitor).

What is never logged: the raw path (a reset link's token is in it), the query string, headers,
cookies and bodies. The route and the user id are left in the environ by a teardown step,
inside Flask; an answer from the front door (never a member's) matches its rule here.
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from flask import Flask, g, request
from sqlalchemy import inspect as sa_inspect
from werkzeug.exceptions import HTTPException

from forum.ops.health import PROBES
from forum.ops.logs import REQUEST_FIELDS, REQUEST_ID
from forum.ops.metrics import Metrics

log = logging.getLogger("forum.requests")

ROUTE = "forum.route"
USER_ID = "forum.user_id"
UNMATCHED = "unmatched"
ROUTE_MEMORY = 4096  # addresses whose rule is remembered (front-door answers only)
_SANE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def request_id_from(environ) -> str:
    incoming = environ.get("HTTP_X_REQUEST_ID", "")
    return incoming if _SANE_ID.match(incoming) else uuid.uuid4().hex


class RequestObserver:
    def __init__(self, app: Flask, wsgi_app, metrics: Metrics) -> None:
        self.app = app
        self.wsgi_app = wsgi_app
        self.metrics = metrics
        self._routes: dict[tuple[str, str], str] = {}

    def __call__(self, environ, start_response):
        started = time.perf_counter()
        rid = environ[REQUEST_ID] = request_id_from(environ)
        seen = {"status": "500"}

        def answer(status, headers, exc_info=None):
            seen["status"] = status
            headers = [(n, v) for n, v in headers if n.lower() != "x-request-id"]
            headers.append(("X-Request-ID", rid))
            return start_response(status, headers, exc_info)

        probe = PROBES.get(environ.get("PATH_INFO", ""))
        if probe is not None and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            environ[ROUTE] = environ["PATH_INFO"]
            body = probe(self.app, environ, answer)
            return _Observed(body, lambda: self.finish(environ, seen["status"], started))
        try:
            body = self.wsgi_app(environ, answer)
        except BaseException:
            self.finish(environ, "500", started)
            raise
        return _Observed(body, lambda: self.finish(environ, seen["status"], started))

    def finish(self, environ, status: str, started: float) -> None:
        seconds = time.perf_counter() - started
        try:
            code = int(str(status).split(" ", 1)[0])
        except ValueError:
            code = 500
        method = environ.get("REQUEST_METHOD", "")
        route = environ.get(ROUTE) or self._match(environ)
        user_id = environ.get(USER_ID)
        self.metrics.observe(method, route, code, seconds)
        if not log.isEnabledFor(logging.INFO):
            return
        fields = {"request_id": environ.get(REQUEST_ID), "method": method, "route": route,
                  "status": code, "duration_ms": round(seconds * 1000, 2), "user_id": user_id}
        # makeRecord + handle: a logger.info() would also walk the stack for the caller's
        # file and line, on every request, for a line whose origin is always this one.
        log.handle(log.makeRecord(
            log.name, logging.INFO, __file__, 0, "%s %s %s %.1f ms user=%s id=%s",
            (method, route, code, fields["duration_ms"], user_id, fields["request_id"]),
            None, extra={REQUEST_FIELDS: fields}))

    def _match(self, environ) -> str:
        """The rule of an address Flask did not see (the front door answered it): the same
        few cached addresses come again and again, so their rules are remembered."""
        key = (environ.get("REQUEST_METHOD", ""), environ.get("PATH_INFO", ""))
        route = self._routes.get(key)
        if route is None:
            try:
                rule, _ = self.app.url_map.bind_to_environ(environ).match(return_rule=True)
                route = rule.rule
            except HTTPException:
                route = UNMATCHED
            if len(self._routes) >= ROUTE_MEMORY:
                self._routes.clear()
            self._routes[key] = route
        return route


class _Observed:
    """The body, passed through; ``done`` runs once, when it is used up or closed (a server
    closes it; a test client may only read it to the end)."""

    def __init__(self, body, done) -> None:
        self._body = body
        self._iterator = iter(body)
        self._done = done

    def __iter__(self):
        return self

    def __next__(self):
        try:
            return next(self._iterator)
        except StopIteration:
            self._finish()
            raise

    def close(self) -> None:
        try:
            if hasattr(self._body, "close"):
                self._body.close()
        finally:
            self._finish()

    def _finish(self) -> None:
        done, self._done = self._done, None
        if done is not None:
            done()


def _note_route_and_user(exc) -> None:
    """Teardown: leave the URL rule and the member's id where the observer reads them. The
    user is the one Flask-Login already loaded, if any: nothing is loaded for this."""
    environ = request.environ
    environ[ROUTE] = request.url_rule.rule if request.url_rule is not None else UNMATCHED
    user = g.get("_login_user")
    if user is not None and getattr(user, "is_authenticated", False):
        # The id from the session's identity map: after the view's commit the user's
        # attributes are expired, and reading ``user.id`` would load the row again.
        identity = sa_inspect(user).identity
        environ[USER_ID] = identity[0] if identity else None


def install_observer(app: Flask) -> None:
    """Wrap the app's WSGI callable (call it last in create_app: outermost layer)."""
    metrics = app.extensions["forum_metrics"] = Metrics()
    app.teardown_request(_note_route_and_user)
    app.wsgi_app = RequestObserver(app, app.wsgi_app, metrics)
