"""The front door: a visitor's cached page served before Flask runs at all.

``@cached_page`` (pages.py) already answers a visitor's second look from the cache without
running the view, but the request still went through all of Flask on the way: the request
context, the session, the user loader, the URL map, every before- and after-request step. For
the page a visitor reads most (the home page, a popular thread) that was half the time of the
answer. This WSGI layer sits in front of the Flask app and answers only what cannot depend on
anything but the address:

- a GET or HEAD with **no cookie at all** and no Authorization header (so nobody is signed in,
  no flash is waiting, no form token is pending: the same visitor ``pages._is_visitor`` sees);
- for an address whose page the decorator has just stored for such a request (the decorator
  leaves a note in the WSGI environ saying under which generations; nothing else is stored);
- while those generations are unchanged, on the same day and — with the in-process store,
  which cannot see other workers' writes — in the same time window: exactly when the
  decorator would itself have answered from the cache.

What it sends is what the full request sent: the status, every header the after-request steps
added (the security headers, ETag, Last-Modified) and the body. A conditional GET gets its 304
here too. Anything else goes to Flask, untouched.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import UTC, datetime

import redis
from werkzeug.http import is_resource_modified

log = logging.getLogger(__name__)

NOTE = "forum.pagecache.front"  # the environ key the decorator leaves its note under
_SKIPPED_HEADERS = frozenset({"x-query-count", "x-page-cache", "content-length"})
_NOT_MODIFIED_HEADERS = frozenset({"etag", "last-modified", "cache-control", "vary", "date",
                                   "expires"})


@dataclass(frozen=True)
class Note:
    """What the decorator knew when it stored a visitor's page: the generations it depends on
    (names and values), the day and the time window (None when the page's key has none)."""

    names: tuple[str, ...]
    values: tuple[int, ...]
    day: str
    window: int | None


@dataclass(frozen=True)
class Entry:
    note: Note
    status: str
    headers: tuple[tuple[str, str], ...]
    body: bytes


class FrontDoor:
    """WSGI middleware around the Flask app's ``wsgi_app`` (``install_front_door``)."""

    def __init__(self, wsgi_app, caching, clock, count_header: bool = False) -> None:
        self.wsgi_app = wsgi_app
        self.caching = caching
        self.clock = clock  # the page cache's clock (pages.py), which tests hold still
        # The benchmark's statement count: an answer from here ran none.
        self.extra = (("X-Query-Count", "0"),) if count_header else ()

    def __call__(self, environ, start_response):
        if not _plain_visitor(environ):
            return self.wsgi_app(environ, start_response)
        key = _key(self.caching.release, environ)
        entry = _load(self.caching, key)
        if entry is not None and _still_valid(self.caching, entry.note, self.clock()):
            return _answer(entry, environ, start_response, self.extra)
        return self._pass_and_keep(key, environ, start_response)

    def _pass_and_keep(self, key: str, environ, start_response):
        """Run the app; if the decorator stored this page for this cookie-less request, keep
        the whole answer (status, final headers, body) under the address's key."""
        seen: dict = {}

        def remember(status, headers, exc_info=None):
            seen["status"], seen["headers"] = status, headers
            return start_response(status, headers, exc_info)

        app_iter = self.wsgi_app(environ, remember)
        note = environ.get(NOTE)
        if (note is None or environ["REQUEST_METHOD"] != "GET"
                or not seen.get("status", "").startswith("200 ")
                or any(name.lower() == "set-cookie" for name, _ in seen["headers"])):
            return app_iter
        try:
            body = b"".join(app_iter)
        finally:
            if hasattr(app_iter, "close"):
                app_iter.close()
        headers = tuple((n, v) for n, v in seen["headers"] if n.lower() not in _SKIPPED_HEADERS)
        _save(self.caching, key, Entry(note, seen["status"], headers, body))
        return [body]


def install_front_door(app, caching, clock) -> None:
    if caching.seconds > 0 and app.config.get("PAGE_CACHE_FRONT", True):
        app.wsgi_app = FrontDoor(app.wsgi_app, caching, clock,
                                 bool(app.config.get("QUERY_COUNT_HEADER")))


def note_stored_page(environ, page) -> None:
    """Called by the decorator when a visitor's page (``pages.Page``) is in the cache (stored
    now, or found there): the front door may keep the finished answer for the next cookie-less
    request of the same address, for as long as its generations and time window hold."""
    environ[NOTE] = Note(page.names, page.values, _today(), page.window)


def _plain_visitor(environ) -> bool:
    return (environ.get("REQUEST_METHOD") in ("GET", "HEAD")
            and not environ.get("HTTP_COOKIE") and not environ.get("HTTP_AUTHORIZATION"))


def _key(release: str, environ) -> str:
    """The address as the client asked for it, with everything a proxy may say about it (a
    page's absolute links follow the forwarded host and scheme)."""
    parts = [release, environ.get("wsgi.url_scheme", ""), environ.get("HTTP_HOST", ""),
             environ.get("SERVER_NAME", ""), environ.get("SERVER_PORT", ""),
             environ.get("SCRIPT_NAME", ""), environ.get("PATH_INFO", ""),
             environ.get("QUERY_STRING", "")]
    parts += sorted(f"{k}={v}" for k, v in environ.items() if k.startswith("HTTP_X_FORWARDED"))
    return "front:" + hashlib.sha256("\n".join(parts).encode("utf-8", "surrogateescape")
                                     ).hexdigest()[:40]


def _today() -> str:
    return datetime.now(UTC).date().isoformat()


def _still_valid(caching, note: Note, now: float) -> bool:
    window = caching.seconds or 60
    if note.day != _today() or (note.window is not None and note.window != int(now // window)):
        return False
    try:
        return tuple(caching.generations.read(list(note.names))) == note.values
    except (redis.RedisError, OSError):
        log.exception("Page cache unavailable (front door)")
        return False


def _answer(entry: Entry, environ, start_response, extra=()):
    tags = {name.lower(): value for name, value in entry.headers}
    if not is_resource_modified(environ, etag=tags.get("etag"),
                                last_modified=tags.get("last-modified")):
        start_response("304 NOT MODIFIED", [
            (n, v) for n, v in entry.headers if n.lower() in _NOT_MODIFIED_HEADERS])
        return []
    headers = [*entry.headers, ("Content-Length", str(len(entry.body))),
               ("X-Page-Cache", "hit"), *extra]
    start_response(entry.status, headers)
    return [] if environ["REQUEST_METHOD"] == "HEAD" else [entry.body]


def _load(caching, key: str) -> Entry | None:
    try:
        entry = caching.store.get(key)
    except (redis.RedisError, OSError):
        log.exception("Page cache unavailable (front door get)")
        return None
    return entry if isinstance(entry, Entry) else None


def _save(caching, key: str, entry: Entry) -> None:
    try:
        caching.store.set(key, entry, timeout=caching.seconds)
    except (redis.RedisError, OSError):
        log.exception("Page cache unavailable (front door set)")
