"""The section's logo in the header (issue 26, point 10: a visual identity).

``SITE_LOGO`` names a picture file (a path, or a name in the instance folder): PNG, JPEG, GIF
or WebP, told from its bytes as every picture is (forum.files.sniff; never SVG, which can carry
script), at most 512 KB. It is read once, when the app starts — a missing or wrong file stops
the start with a message saying what to fix, rather than a broken image on every page — and
served at ``/site-logo/<digest>``, kept by browsers and proxies for a year (a new file is a new
digest). Without one, the header shows the site's initials in a mark of its own colours.
"""

from __future__ import annotations

import hashlib
import os
from typing import NamedTuple

from flask import Flask

from forum.files.pictures import PICTURE_TYPES
from forum.files.sniff import Refused, sniff

MAX_BYTES = 512 * 1024


class Logo(NamedTuple):
    digest: str
    content_type: str
    data: bytes


def load_logo(app: Flask) -> Logo | None:
    setting = (app.config.get("SITE_LOGO") or "").strip()
    if not setting:
        return None
    path = setting if os.path.isabs(setting) else os.path.join(app.instance_path, setting)
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise RuntimeError(f"SITE_LOGO: cannot read {path}: {exc.strerror}") from exc
    if len(data) > MAX_BYTES:
        raise RuntimeError(f"SITE_LOGO: {path} is larger than {MAX_BYTES // 1024} KB")
    try:
        kind = sniff(path, data[:8192], os.path.basename(path))
    except Refused as exc:
        raise RuntimeError(f"SITE_LOGO: {path} was refused: {exc}") from exc
    if kind.content_type not in PICTURE_TYPES:
        raise RuntimeError(f"SITE_LOGO: {path} must be a PNG, JPEG, GIF or WebP picture")
    return Logo(hashlib.sha256(data).hexdigest()[:16], kind.content_type, data)
