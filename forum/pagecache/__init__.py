"""Speed through caching: a shared page cache for visitors, and ETag / 304 for everyone.

- ``@cached_page("group")`` / ``@cached_page("site")`` on a reading view (forum.pagecache.pages)
  opts it in. A visitor's page (nobody signed in, an empty session) of a public group or of the
  site is kept in the page cache (Flask-Caching: Redis when ``REDIS_URL`` is set, this process
  otherwise) for at most ``PAGE_CACHE_SECONDS``; everyone's page gets a weak ETag and a
  Last-Modified, and a request that already holds the page gets ``304 Not Modified`` without
  the view running.
- Keys and tags are made of generation numbers (forum.pagecache.store) — the global epoch, the
  page's group or the site, and for a member their own — which a session listener bumps after
  every commit that changed a row those pages show (forum.pagecache.listener). Nothing is ever
  purged: a changed generation makes a new key.

- A member's page is kept in this process only, under the digest its ETag is made of (their
  id, their session's CSRF secret, the generations): a repeated view of an unchanged page is
  answered from that copy, exactly when a 304 would be right (forum.pagecache.pages).
- Rendered fragments of pages, members' included, are kept in this process only under keys
  made of their content (forum.pagecache.fragments), never in the shared store.

``register_page_cache(app)`` wires it all; ``create_app`` calls it once.
"""

from __future__ import annotations

import hashlib
import logging
import os

import redis
from flask import Flask

from forum.extensions import member_page_cache, page_cache
from forum.pagecache import (
    listener,  # noqa: F401 - the session listener, registered on import
    pages,
)
from forum.pagecache.fragments import register_fragment_cache
from forum.pagecache.front import install_front_door
from forum.pagecache.pages import cached_page, remember_group
from forum.pagecache.store import (
    EPOCH,
    SITE,
    SLUGS,
    LocalGenerations,
    RedisGenerations,
    group_key,
    user_key,
)

__all__ = ["cached_page", "register_page_cache", "PageCache"]

log = logging.getLogger(__name__)


class PageCache:
    """What one app's pages share: the generation store, the page store and their settings."""

    def __init__(self, app: Flask) -> None:
        config = app.config
        url = config.get("REDIS_URL")
        prefix = config.get("PAGE_CACHE_KEY_PREFIX") or "forum-page"
        self.generations = RedisGenerations(url, prefix) if url else LocalGenerations()
        self.seconds = int(config.get("PAGE_CACHE_SECONDS") or 0)  # 0: no page cache
        self.etags = bool(config.get("PAGE_ETAGS", True))
        self.release, self.release_time = _release()
        page_cache.init_app(app, config={
            "CACHE_TYPE": "RedisCache" if url else "SimpleCache",
            "CACHE_REDIS_URL": url,
            "CACHE_KEY_PREFIX": f"{prefix}:",
            "CACHE_DEFAULT_TIMEOUT": self.seconds or 1,
            "CACHE_THRESHOLD": int(config.get("PAGE_CACHE_MAX_ENTRIES") or 1000),
        })
        # The backend itself (SimpleCache or RedisCache), so the front door, which runs
        # outside any app context, reaches the same store as the views.
        self.store = app.extensions["cache"][page_cache]
        # Members' own pages: never the shared store (they hold what only that member may see).
        self.member_seconds = int(config.get("MEMBER_PAGE_CACHE_SECONDS") or 0)
        member_page_cache.init_app(app, config={
            "CACHE_TYPE": "SimpleCache",
            "CACHE_DEFAULT_TIMEOUT": self.member_seconds or 1,
            "CACHE_THRESHOLD": int(config.get("MEMBER_PAGE_CACHE_MAX_ENTRIES") or 500),
        })
        self.member_store = app.extensions["cache"][member_page_cache]

    def bump(self, todo) -> None:
        """After a commit (the listener's ``Pending``): pages showing what changed get new
        keys; groups added or renamed go into the slug map under the new ``SLUGS``."""
        names = [group_key(g) for g in sorted(todo.groups)]
        names += [user_key(u) for u in sorted(todo.users)]
        if todo.groups or todo.epoch:
            names.append(SITE)  # the home page and the directory show every group's news
        if todo.epoch:
            names.append(EPOCH)
        if todo.slugs:
            names.append(SLUGS)
        try:
            values = self.generations.bump(names)
        except (redis.RedisError, OSError):
            # The write stands; pages may show the old state until their TTL runs out.
            log.exception("Could not bump page generations %s", names)
            return
        if todo.slugs:
            slugs = values[-1]
            for group_id, (slug, visibility) in todo.named.items():
                remember_group(self, slugs, slug, group_id, visibility)


def register_page_cache(app: Flask) -> None:
    register_fragment_cache(app)
    caching = app.extensions["pagecache"] = PageCache(app)
    install_front_door(app, caching, clock=lambda: pages._now())


_RELEASE: tuple[str, float] | None = None


def _release() -> tuple[str, float]:
    """Which code and templates made a page (a deploy changes every tag), and when they last
    changed (a floor for Last-Modified): the newest modification time under forum/ and
    templates/, read once per process."""
    global _RELEASE
    if _RELEASE is None:
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        newest = 0.0
        for top in (root, os.path.join(os.path.dirname(root), "templates")):
            for folder, _, files in os.walk(top):
                for name in files:
                    if name.endswith((".py", ".html", ".xml")):
                        newest = max(newest, os.stat(os.path.join(folder, name)).st_mtime)
        _RELEASE = (hashlib.sha256(repr(newest).encode()).hexdigest()[:12], newest)
    return _RELEASE
