"""Pictures that belong to something other than a library: an article's image, a group's picture.

One way in (``receive_picture``: streamed to the blob store with a size cap, sniffed from its
bytes, PNG/JPEG/GIF/WebP only — never SVG, which can carry script) and one way out
(``picture_response``: the blob with its sniffed type, ``nosniff`` and a validator). The caller
keeps the digest and type on its own row and asks its own permission rule before serving.
"""

from __future__ import annotations

from typing import NamedTuple

from flask import send_file

from forum.files.sniff import Refused, sniff
from forum.storage import BlobTooLarge, get_storage

PICTURE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})


class PictureRefused(Exception):
    """The upload is not a picture we keep; the message says what to fix."""


class Picture(NamedTuple):
    sha256: str
    content_type: str


def chosen_upload(upload):
    """The form's FileStorage when a file was chosen, else None (an empty file input)."""
    return upload if upload is not None and getattr(upload, "filename", "") else None


def receive_picture(upload, *, max_size: int) -> Picture:
    """Keep an uploaded picture as a blob: visible only once checked."""
    storage = get_storage()
    try:
        with storage.receive(upload.stream, max_size=max_size) as pending:
            try:
                kind = sniff(pending.temp_path, pending.head, upload.filename)
            except Refused as exc:
                raise PictureRefused(f"The image was refused: {exc}") from exc
            if kind.content_type not in PICTURE_TYPES:
                raise PictureRefused("The image must be a PNG, JPEG, GIF or WebP picture.")
            pending.commit()
            return Picture(pending.sha256, kind.content_type)
    except BlobTooLarge as exc:
        raise PictureRefused(f"Images are limited to {max_size // (1024 * 1024)} MB.") from exc


def picture_response(sha256: str, content_type: str, *, max_age: int, shared: bool = True):
    """The picture's bytes (ranged and conditional from local disk; streamed from a store).
    The digest is the ETag: a new picture is a new digest. ``shared=False`` for a picture not
    everyone may see: browsers may keep it, shared caches (proxies) may not."""
    storage = get_storage()
    path = storage.local_path(sha256)
    source = path if path else storage.open(sha256)
    response = send_file(source, mimetype=content_type, conditional=bool(path),
                         etag=sha256, max_age=max_age)
    response.headers["X-Content-Type-Options"] = "nosniff"
    if not shared:
        response.cache_control.public = False
        response.cache_control.private = True
    return response
