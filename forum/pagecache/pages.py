"""The view decorator: a visitor's page from the cache, anyone's page answered with a 304.

What may enter the page cache, all of it checked on every request (a page that fails any test
is simply rendered, as without the cache):
- the view opted in (``@cached_page``), the request is a GET or HEAD;
- nobody is signed in and the session is empty before the view (no flash waiting, no CSRF token,
  no remember cookie) and after it (the view flashed nothing, made no token);
- a group's page only when the group is public: members-only and private groups' pages are never
  stored, whoever asks;
- the response is a 200, sets no cookie and is not ``private`` / ``no-store``
  (``forum.security.mark_no_store``).

The key is the request (host, path, query string, the cookies the view reads) plus the
generations of what the page shows (store.py), so a write makes the next visitor's key new.
The ETag is the same digest; a member's adds who they are, their own generation (read marks,
the bell, their memberships) and their session's CSRF secret (the page's forms carry a token
made from it). Answering a conditional GET reads the generations only: no SQL for a visitor
of the site's pages, at most one statement (slug → group, itself cached) for a group's.

A member's page is kept too, but only in this process (``member_page_cache``) and under that
same digest — their id and CSRF secret included — so it is found again only by the same
session, and only while a 304 would be the right answer: a member who asks again for a page
that has not changed (a reload, back to the list) gets the copy their browser could have kept;
a hard reload (``Cache-Control: no-cache``) renders it afresh. Not kept: a page that flashed,
changed the session (a first CSRF secret) or set a cookie.
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import wraps

import redis
from flask import Response, current_app, request, session
from flask_login import current_user
from sqlalchemy import select
from werkzeug.http import is_resource_modified

from forum.extensions import db
from forum.pagecache.front import note_stored_page
from forum.pagecache.store import EPOCH, SITE, SLUGS, group_key, user_key
from forum.security import is_no_store

log = logging.getLogger(__name__)

PUBLIC = "public"
# The clock a page's time window and Last-Modified are read from (tests hold it still).
_now = time.time


@dataclass
class Page:
    cache_key: str | None  # None: this request's page is never stored
    etag: str | None
    last_modified: datetime | None
    names: tuple[str, ...] = ()  # the generations the page depends on, and their values
    values: tuple[int, ...] = ()
    window: int | None = None  # the time window in the key, if any (see ``ticking``)
    member_key: str | None = None  # a member's own copy, in this process (None: not kept)


def cached_page(scope: str, *, vary_cookies: tuple[str, ...] = (), ticking: bool = False):
    """Opt a reading view in. ``scope``: "site" (the page shows any group's news: home,
    directory) or "group" (it shows the group named by the view's ``slug`` argument).
    ``vary_cookies``: cookies the view reads (a visitor's choice of thread view), part of
    the key like the query string. ``ticking``: the page changes with the clock, not only
    with writes (upcoming events end, a scheduled article comes out): its key and tag also
    change every ``PAGE_CACHE_SECONDS``, whatever the store."""
    if scope not in ("site", "group"):
        raise ValueError(f"cached_page scope must be 'site' or 'group', not {scope!r}")

    def decorate(view):
        @wraps(view)
        def conditional(*args, **kwargs):
            caching = current_app.extensions.get("pagecache")
            if caching is None or request.method not in ("GET", "HEAD"):
                return view(*args, **kwargs)
            try:
                page = _describe(caching, scope, kwargs.get("slug"), vary_cookies,
                                 ticking)
            except (redis.RedisError, OSError):
                log.exception("Page cache unavailable: rendering without it")
                page = None
            if page is None:
                return view(*args, **kwargs)
            if page.etag and not is_resource_modified(
                    request.environ, etag=page.etag, last_modified=page.last_modified):
                return _tagged(Response(status=304), page)
            if page.cache_key:
                hit = _get(caching, page.cache_key)
                if hit is not None:
                    note_stored_page(request.environ, page)
                    return _from_store(hit, page, "hit")
            if page.member_key and not _asks_fresh():
                hit = caching.member_store.get(page.member_key)
                if hit is not None:
                    return _from_store(hit, page, "member-hit")
            flashed_before = "_flashes" in session
            response = current_app.make_response(view(*args, **kwargs))
            return _finish(caching, page, response, flashed_before)
        return conditional
    return decorate


def _describe(caching, scope: str, slug: str | None, vary_cookies,
              ticking: bool = False) -> Page | None:
    visitor = _is_visitor()
    names = [EPOCH, SITE]
    visibility = PUBLIC
    if scope == "group":
        found = _group_of(caching, slug)
        if found is None:
            return None  # no such group: the view answers (404), nothing is kept
        group_id, visibility, slugs = found
        names = [EPOCH, SLUGS, group_key(group_id)]
    user_id = current_user.id if current_user.is_authenticated else None
    if user_id is not None:
        names.append(user_key(user_id))
    gens = caching.generations.read(names)
    if scope == "group" and gens[1] != slugs:
        return None  # a group changed its slug or visibility just now: render, keep nothing
    now = _now()
    today = datetime.now(UTC).date()
    parts = [caching.release, scope, request.scheme, request.host, request.path,
             request.query_string.decode("latin-1"), today.isoformat(),
             *(f"{c}={request.cookies.get(c, '')}" for c in vary_cookies),
             *(f"{n}={v}" for n, v in zip(names, gens, strict=True) if n != SLUGS)]
    # In this process only, the generations miss other workers' writes: a time window bounds
    # how long a tag (and an entry, with its TTL) can outlive such a write.
    window = caching.seconds or 60
    floor = max(caching.release_time, datetime(today.year, today.month, today.day,
                                                tzinfo=UTC).timestamp())
    bucket = None
    if ticking or not caching.generations.shared:
        bucket = int(now // window)
        parts.append(f"w={bucket}")
        floor = max(floor, now // window * window)
    if not visitor:
        secret = session.get(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), "")
        parts += [f"user={user_id}",
                  hashlib.sha256(str(secret).encode()).hexdigest()[:16]]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:40]
    newest = max(max(v for n, v in zip(names, gens, strict=True) if n != SLUGS) / 1e6, floor)
    # Last-Modified has whole seconds: one given within two seconds of a change could match a
    # later change in the same second, so a page that new has only its ETag.
    last_modified = datetime.fromtimestamp(int(newest), UTC) if now - newest >= 2 else None
    storable = visitor and visibility == PUBLIC and caching.seconds > 0
    if "_flashes" in session:
        return Page(None, None, None)  # the flash shows once, untagged
    return Page(f"page:{digest}" if storable else None,
                digest if caching.etags else None, last_modified, tuple(names), tuple(gens),
                bucket, None if visitor or not caching.member_seconds else f"member:{digest}")


def _asks_fresh() -> bool:
    """A hard reload (``Cache-Control: no-cache``, or ``Pragma: no-cache`` alone): the member
    gets a page rendered now, which replaces their copy."""
    if request.cache_control.no_cache:
        return True
    return "Cache-Control" not in request.headers and \
        "no-cache" in request.headers.get("Pragma", "")


def _is_visitor() -> bool:
    """Nobody signed in, and nothing in the session: decided before the view runs."""
    if session or request.cookies.get(current_app.config.get("REMEMBER_COOKIE_NAME",
                                                             "remember_token")):
        return False
    return not current_user.is_authenticated


def _group_of(caching, slug: str | None):
    """(id, visibility, slugs) of the group with this slug: from the slug map while ``SLUGS``
    is the value it was stored under (adding, removing or renaming a group or changing its
    visibility bumps it), else one statement."""
    if not slug:
        return None
    known = _get(caching, _slug_key(slug))
    [slugs] = caching.generations.read([SLUGS])
    if known is not None and known[0] == slugs and known[1] == slug:
        return known[2], known[3], slugs
    groups = db.metadata.tables["groups"]
    row = db.session.execute(select(groups.c.id, groups.c.visibility)
                             .where(groups.c.slug == slug)).first()
    if row is None:
        return None
    visibility = str(getattr(row.visibility, "value", row.visibility))
    remember_group(caching, slugs, slug, row.id, visibility)
    return row.id, visibility, slugs


def remember_group(caching, slugs: int, slug: str, group_id: int, visibility: str) -> None:
    """The slug map's entry: valid while ``SLUGS`` is still ``slugs``."""
    _set(caching, _slug_key(slug), (slugs, slug, group_id, visibility), timeout=24 * 3600)


def _slug_key(slug: str) -> str:
    return f"slug:{hashlib.sha256(slug.encode()).hexdigest()[:32]}"


def _finish(caching, page: Page, response: Response, flashed_before: bool) -> Response:
    if (response.status_code != 200 or response.is_streamed or response.direct_passthrough
            or flashed_before or "_flashes" in session or response.headers.get("Set-Cookie")
            or is_no_store()  # forum.security.mark_no_store: asked for this response
            or any(word in response.headers.get("Cache-Control", "")
                   for word in ("private", "no-store"))):
        return response
    _tagged(response, page)
    if page.cache_key and not session:
        _set(caching, page.cache_key, (response.get_data(), response.content_type),
             timeout=caching.seconds)
        response.headers["X-Page-Cache"] = "miss"
        note_stored_page(request.environ, page)
    elif page.member_key and not session.modified and request.method == "GET":
        caching.member_store.set(page.member_key, (response.get_data(), response.content_type),
                                 timeout=caching.member_seconds)
    return response.make_conditional(request)


def _from_store(hit, page: Page, label: str) -> Response:
    body, content_type = hit
    response = _tagged(Response(body, content_type=content_type), page)
    response.headers["X-Page-Cache"] = label
    return response.make_conditional(request)


def _tagged(response: Response, page: Page) -> Response:
    if page.etag:
        response.set_etag(page.etag, weak=True)
    if page.last_modified:
        response.last_modified = page.last_modified
    return response


def _get(caching, key: str):
    try:
        return caching.store.get(key)
    except (redis.RedisError, OSError):
        log.exception("Page cache unavailable (get)")
        return None


def _set(caching, key: str, value, timeout: int) -> None:
    try:
        caching.store.set(key, value, timeout=timeout)
    except (redis.RedisError, OSError):
        log.exception("Page cache unavailable (set)")
