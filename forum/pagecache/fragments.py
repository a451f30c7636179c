"""Rendered fragments: the ``{% cache seconds, name, key… %}`` tag of Flask-Caching's Jinja
extension, backed by a store in this process only (``SimpleCache``).

It holds pieces of members' pages too (a post as one reader sees it), so it is never the
shared page cache: nothing in it leaves the process or outlives it, and an entry is only found
again by a key made of everything the piece shows. Keys are content, not names: a fragment's
key is a digest of its read model (``PostView.fragment_key``) plus whatever else the macro
reads (the thread's address, the reader's time zone). A change to any of them is a new key;
nothing is ever invalidated, and old entries age out (``FRAGMENT_CACHE_SECONDS``) or are
pushed out (``FRAGMENT_CACHE_MAX_ENTRIES``).

Measured on the thread page (bench.profile, SQLite, 100k posts, signed in): the post macro
was 40% of the page's CPU, its links a quarter (``url_for`` for eight links a post).
"""

from __future__ import annotations

import hashlib

from flask import Flask

from forum.extensions import fragment_cache


def register_fragment_cache(app: Flask) -> None:
    config = app.config
    fragment_cache.init_app(app, config={
        "CACHE_TYPE": "SimpleCache",
        "CACHE_DEFAULT_TIMEOUT": int(config.get("FRAGMENT_CACHE_SECONDS") or 3600),
        "CACHE_THRESHOLD": int(config.get("FRAGMENT_CACHE_MAX_ENTRIES") or 5000),
    })
    app.jinja_env.globals["FRAGMENT_SECONDS"] = int(config.get("FRAGMENT_CACHE_SECONDS") or 3600)


def content_key(read_model) -> str:
    """A fragment's key made of its content: a digest of the read model's ``repr`` (every
    field, nested ones included), so any change to what the fragment prints is a new key."""
    return hashlib.blake2b(repr(read_model).encode(), digest_size=20).hexdigest()
