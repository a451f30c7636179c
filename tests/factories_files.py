"""Factories for the library: keyword-only, added and flushed (the view would commit)."""

from __future__ import annotations

import io

from werkzeug.datastructures import FileStorage

from forum.extensions import db
from forum.files import services
from forum.files.demo_content import make_attendance_csv, make_pdf, make_png
from forum.files.folders import create_folder

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


def make_folder(*, group, name: str = "Minutes"):
    return create_folder(group, name)


__all__ = ["CSV", "make_pdf", "make_png"]
