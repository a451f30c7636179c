"""Links built from patterns: ``url_for`` without walking the URL map on every call.

Flask's ``url_for`` matches the endpoint's rule and quotes every value on each call (15–20 µs
here); a group page builds a dozen links, a thread page more. A link's shape depends only on
the endpoint, the names of its values and the application's root path (the URLs are relative),
so the pattern is built once per process with stand-in values and filled in with
``str.format`` (about 4 µs).

- ``cached_url``: equal to ``url_for``, and the templates' ``url_for`` (forum.jinja). Values
  url_for would quote, booleans, ``_anchor``/``_external`` and the like, relative endpoints,
  calls outside a request and rules the stand-ins do not fit all go to ``url_for`` itself;
  ``None`` values are left out, as url_for leaves them out.
- ``url_format``: a ``str.format`` pattern for lists whose items vary in several parts.
- ``url_parts``: ``(before, after)`` around one varying part, for lists joined by concatenation.
"""

from __future__ import annotations

import re

from flask import has_request_context, request, url_for
from werkzeug.routing import BuildError

# Stand-ins for the varying values: digits, so <int:...> and <string:...> rules accept them.
_BASE = 987654321
# Values url_for prints as they are (werkzeug's safe characters), in a path segment and in the
# query string: anything else is quoted, so it goes to url_for.
_AS_IS_IN_PATH = re.compile(r"[A-Za-z0-9._~!$&'()*+,/:;=@-]+\Z").match
_AS_IS_IN_QUERY = re.compile(r"[A-Za-z0-9._~!$'()*,/:;?@-]+\Z").match
_patterns: dict[tuple, tuple[str, tuple] | None] = {}


def _pattern(endpoint: str, names: tuple[str, ...]) -> tuple[str, tuple] | None:
    """The link with ``{0}``, ``{1}``… where the values go, and for each value the test of
    whether url_for would print it as it is; None when no safe pattern exists."""
    key = (request.root_path, endpoint, names)
    if key not in _patterns:
        _patterns[key] = _build_pattern(endpoint, names)
    return _patterns[key]


def _build_pattern(endpoint: str, names: tuple[str, ...]) -> tuple[str, tuple] | None:
    stand_ins = {name: str(_BASE + i) for i, name in enumerate(names)}
    try:
        url = url_for(endpoint, **stand_ins)
    except (BuildError, ValueError):  # e.g. an any(...) converter refuses digits
        return None
    query_at = url.find("?") if "?" in url else len(url)
    checks = []
    for i in range(len(names)):
        at = url.find(str(_BASE + i))
        if at < 0 or url.count(str(_BASE + i)) != 1:  # not placed once: never a wrong link
            return None
        checks.append(_AS_IS_IN_QUERY if at > query_at else _AS_IS_IN_PATH)
    url = url.replace("{", "{{").replace("}", "}}")
    for i in range(len(names)):
        url = url.replace(str(_BASE + i), f"{{{i}}}")
    return url, tuple(checks)


def cached_url(endpoint: str, **values) -> str:
    """Equal to ``url_for(endpoint, **values)``, from a pattern where one fits."""
    if endpoint[0] == "." or not has_request_context():
        return url_for(endpoint, **values)
    if None in values.values():  # url_for leaves them out too
        values = {name: value for name, value in values.items() if value is not None}
    for name in values:
        if name[0] == "_":  # _anchor, _external, _method, _scheme
            return url_for(endpoint, **values)
    built = _pattern(endpoint, tuple(values))
    if built is None:
        return url_for(endpoint, **values)
    pattern, checks = built
    for value, as_is in zip(values.values(), checks, strict=True):
        if type(value) is not int and (value is True or value is False or not as_is(str(value))):
            return url_for(endpoint, **values)
    return pattern.format(*values.values())


def url_format(endpoint: str, *keys: str, **fixed) -> str:
    """A ``str.format`` pattern: ``url_format("files.detail", "slug", "file_id")
    .format(slug, file_id) == url_for("files.detail", slug=slug, file_id=file_id)``
    for URL-safe values (slugs are [a-z0-9-], ids are ints)."""
    values = {key: _BASE + i for i, key in enumerate(keys)}
    url = cached_url(endpoint, **values, **fixed).replace("{", "{{").replace("}", "}}")
    for index, key in enumerate(keys):
        url = url.replace(str(values[key]), f"{{{index}}}")
    return url


def url_parts(endpoint: str, key: str, **values) -> tuple[str, str]:
    """``(before, after)`` such that ``before + str(v) + after == url_for(endpoint, key=v,
    **values)`` for an int or slug ``v``: a list then builds each item's URL by concatenation
    instead of a ``url_for`` per item. The stand-in is looked for from the right, as the varying
    part is the last variable of our URL rules (e.g. /g/<slug>/t/<thread_id>/unread)."""
    url = cached_url(endpoint, **values, **{key: _BASE})
    before, _, after = url.rpartition(str(_BASE))
    return before, after
