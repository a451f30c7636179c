"""``cached_url``: ``url_for`` for links whose values are URL-safe (slugs, ids, plain file
names), from a pattern built once per process instead of a URL build per call.

A thread page links to its own thread a dozen ways (breadcrumbs, view choice, mark read,
reply, moderation tools, per-post patterns, its stylesheets); each ``url_for`` walks the URL
map, which cost more than the rest of the page's header. The pattern depends only on the
endpoint, the names of the values and the application's root path (the URLs are relative),
so it is kept per (root path, endpoint, names).
"""

from __future__ import annotations

import re

from flask import request, url_for

from forum.discussions import bp

_BASE = 987654321  # value i of a pattern is 987654321 + i: accepted by int and string rules
_patterns: dict[tuple, str] = {}
_SAFE = re.compile(r"[A-Za-z0-9._~/-]+\Z").match  # what url_for leaves as it is


def _pattern(endpoint: str, names: tuple[str, ...]) -> str:
    key = (request.root_path, endpoint, names)
    pattern = _patterns.get(key)
    if pattern is None:
        stand_ins = {name: str(_BASE + i) for i, name in enumerate(names)}
        url = url_for(endpoint, **stand_ins).replace("{", "{{").replace("}", "}}")
        for i in range(len(names)):
            if url.count(str(_BASE + i)) != 1:  # not placed once: never cache a wrong link
                return ""
            url = url.replace(str(_BASE + i), f"{{{i}}}")
        pattern = _patterns[key] = url
    return pattern


@bp.app_template_global()
def cached_url(endpoint: str, **values) -> str:
    """Equal to ``url_for(endpoint, **values)``: values that need URL quoting (or None, which
    url_for leaves out) go to ``url_for`` itself, as do endpoints no pattern fits."""
    for value in values.values():
        if value is None or value is True or value is False or \
                (type(value) is not int and not _SAFE(str(value))):
            return url_for(endpoint, **values)
    pattern = _pattern(endpoint, tuple(values))
    if not pattern:
        return url_for(endpoint, **values)
    return pattern.format(*values.values())
