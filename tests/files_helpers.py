"""Helpers for the library's tests: uploading through the client, looking at storage."""

from __future__ import annotations

import io
import os

from sqlalchemy import func, select

from forum.extensions import db
from forum.files.models import FileVersion, SharedFile
from tests.helpers import csrf_token


def token(client, url: str | None = None) -> str:
    """The session's CSRF token, from any page (a 404 page carries it too, whoever asks)."""
    return csrf_token(client, url or "/files-test-token-page")


def upload(client, slug: str, *files, token_from: str | None = None, **fields):
    """POST files (tuples of bytes, name[, content type]) to the group's upload form."""
    data = {"csrf_token": token(client, token_from), "description": "",
            "folder": "0", **fields}
    data["files"] = [(io.BytesIO(f[0]), *f[1:]) for f in files]
    return client.post(f"/g/{slug}/files/upload", data=data, content_type="multipart/form-data")


def upload_version(client, slug: str, file_id: int, content: bytes, name: str):
    data = {"csrf_token": token(client), "file": (io.BytesIO(content), name)}
    return client.post(f"/g/{slug}/files/{file_id}/versions", data=data,
                       content_type="multipart/form-data")


def counts() -> tuple[int, int]:
    return (db.session.scalar(select(func.count(SharedFile.id))),
            db.session.scalar(select(func.count(FileVersion.id))))


def stored(app) -> list[str]:
    """Every file under the storage root, blobs and temporary files alike."""
    root = app.config["STORAGE_DIR"]
    found = []
    for dirpath, _dirs, names in os.walk(root):
        found += [os.path.relpath(os.path.join(dirpath, n), root) for n in names]
    return sorted(found)
