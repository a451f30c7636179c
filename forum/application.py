"""The Flask class the forum runs on: Flask itself, minus two costs every request paid for
nothing (measured in ``bench.profile``: together about a tenth of a 404's time).

- Flask asks ``inspect.iscoroutinefunction`` of every hook, context processor and view on
  every request (about twenty a page); the answer for a function never changes, so it is
  asked once per function.
- The cookie session built a signing serializer (a key derivation) on every request, even a
  visitor's without a cookie; it is built once per secret key, and not at all without a cookie.

One thing is added: ``<int:…>`` in every route is ``forum.http.IdConverter`` (1 … 2**31-1,
else a 404), installed before any blueprint adds a rule.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.sessions import SecureCookieSessionInterface

from forum.http import IdConverter


class ForumSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session; the serializer is kept while the keys stay the same."""

    _serializers: dict[tuple, Any]

    def __init__(self) -> None:
        self._serializers = {}

    def get_signing_serializer(self, app: Flask):
        if not app.secret_key:
            return None
        keys = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        serializer = self._serializers.get(keys)
        if serializer is None:
            serializer = super().get_signing_serializer(app)
            self._serializers = {keys: serializer}  # a changed key drops the old one
        return serializer

    def open_session(self, app: Flask, request):
        if app.secret_key and not request.cookies.get(self.get_cookie_name(app)):
            return self.session_class()
        return super().open_session(app, request)


class ForumFlask(Flask):
    session_interface = ForumSessionInterface()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.session_interface = ForumSessionInterface()  # one per app: tests build many
        self._synced: dict[Callable, Callable] = {}
        # Ids in URLs stay in the database's integer range: a 20-digit one is a 404, not a 500.
        self.url_map.converters["int"] = IdConverter

    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        synced = self._synced.get(func)
        if synced is None:
            synced = self._synced[func] = super().ensure_sync(func)
        return synced
