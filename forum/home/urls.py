"""URL patterns for list items whose address varies in more than one part (a group's slug and
an id): built with one ``url_for`` per request, then filled per item with ``str.format``.
(Single-part patterns: forum.groups.paging.url_parts.)"""

from __future__ import annotations

from flask import url_for

# Stand-ins for the varying parts; ints so that <int:...> rules accept them too.
_SENTINELS = (987654321, 987654322, 987654323)


def url_format(endpoint: str, *keys: str, **fixed) -> str:
    """A ``str.format`` pattern: ``url_format("files.detail", "slug", "file_id")
    .format(slug, file_id) == url_for("files.detail", slug=slug, file_id=file_id)``
    for URL-safe values (slugs are [a-z0-9-], ids are ints)."""
    values = dict(zip(keys, _SENTINELS, strict=False))
    url = url_for(endpoint, **values, **fixed).replace("{", "{{").replace("}", "}}")
    for index, key in enumerate(keys):
        url = url.replace(str(values[key]), f"{{{index}}}")
    return url
