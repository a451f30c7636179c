"""Factories for the library (keyword-only, added and flushed: the view would commit), and
helpers for uploading through the client and looking at storage."""

from __future__ import annotations

import io
import os

from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from forum.discussions.models import Post, Thread, path_segment
from forum.extensions import db
from forum.files import services
from forum.files.demo_content import make_attendance_csv, make_pdf, make_png
from forum.files.folders import create_folder
from forum.files.models import FileVersion, SharedFile
from tests.helpers import csrf_token

CSV = make_attendance_csv(["Jan", "Feb"], ["Ana", "Ben"])


def upload_of(data: bytes = CSV, name: str = "attendance.csv",
              content_type: str = "text/csv") -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=name, content_type=content_type)


def make_file(*, group, uploader, data: bytes = CSV, name: str = "attendance.csv",
              title: str = "", description: str = "", folder=None):
    with services.received([upload_of(data, name)]) as files:
        (f,) = services.store_new_files(group, files, uploader, title=title,
                                        description=description, folder=folder)
    db.session.flush()
    return f


def add_version(*, file, uploader, data: bytes, name: str = "attendance.csv"):
    with services.received([upload_of(data, name)]) as files:
        version = services.add_version(file, files[0], uploader)
    return version


def post_in(group, author):
    """A bare post in a new thread of the group, for attaching files to (no services: the
    library's tests need a post, not the discussion's counters or notifications)."""
    # Counted as the published post it is: a thread with no published post is listed to
    # nobody but its author, nor are the files of its posts (permissions.files).
    thread = Thread(group_id=group.id, title="Budget", author_id=author.id, post_count=1)
    db.session.add(thread)
    db.session.flush()
    post = Post(thread_id=thread.id, path="x", author_id=author.id, source="Hi", html="<p>Hi</p>")
    db.session.add(post)
    db.session.flush()
    post.path = path_segment(post.id)
    db.session.flush()
    return post


def make_folder(*, group, name: str = "Minutes"):
    return create_folder(group, name)



def token(client, url: str | None = None) -> str:
    """The session's CSRF token, from any page (a member's 404 page carries it; a visitor's
    comes from the sign-in form)."""
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


__all__ = ["CSV", "make_pdf", "make_png"]
