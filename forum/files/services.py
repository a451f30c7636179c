"""The library's use cases. They change data and flush; the view commits.

Uploading runs in two phases so that nothing is stored half-way: every file of a request is
first streamed to a temporary file, hashed and sniffed (``received``); only when all are accepted
and the quota allows them are the blobs made visible and the rows added. A refusal raises
``UploadError`` and leaves no blob and no row behind.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import bindparam, func, select, update

from forum import ratelimit
from forum.db import utcnow
from forum.extensions import db
from forum.files.models import FileVersion, Folder, SharedFile
from forum.files.sniff import Refused, Sniffed, display_name, sniff
from forum.groups.models import Group
from forum.storage import BlobTooLarge, PendingBlob, get_storage


class UploadError(Exception):
    """A file was refused; the message is for the member, in the form."""


class FileTooLarge(UploadError):
    """Past FILE_MAX_SIZE: views answer 413."""


@dataclass
class Received:
    pending: PendingBlob
    sniffed: Sniffed
    name: str

    @property
    def size(self) -> int:
        return self.pending.size


def real_uploads(uploads) -> list:
    """The file fields that carry a file (an empty file input sends a nameless part)."""
    return [u for u in uploads or [] if u is not None and getattr(u, "filename", "")]


@contextlib.contextmanager
def received(uploads) -> Iterator[list[Received]]:
    """Stream each upload to storage's temporary area and sniff it; discard all on leaving
    unless committed. Raises UploadError for the first refused file."""
    storage = get_storage()
    max_size = current_app.config["FILE_MAX_SIZE"]
    with contextlib.ExitStack() as stack:
        accepted = []
        for upload in real_uploads(uploads):
            name = display_name(upload.filename)
            try:
                pending = stack.enter_context(storage.receive(upload.stream, max_size=max_size))
            except BlobTooLarge as exc:
                raise FileTooLarge(
                    f"“{name}” is larger than the limit of {_mb(max_size)}.") from exc
            try:
                kind = sniff(pending.temp_path, pending.head, name)
            except Refused as exc:
                raise UploadError(f"“{name}” was refused: {exc}") from exc
            accepted.append(Received(pending, kind, name))
        if not accepted:
            raise UploadError("Choose a file to upload.")
        yield accepted


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB" if n >= 1024 * 1024 else f"{n} bytes"


# Built once: building the statement cost more than the database takes to sum (the index on
# shared_files (group_id, …) finds the group's files, the unique (file_id, number) its versions).
_GROUP_USAGE = (select(func.coalesce(func.sum(FileVersion.size), 0))
                .join(SharedFile, SharedFile.id == FileVersion.file_id)
                .where(SharedFile.group_id == bindparam("group_id")))


def group_usage(group_id: int) -> int:
    """Bytes the group's versions take (deleted files count until purged)."""
    return db.session.scalar(_GROUP_USAGE, {"group_id": group_id}) or 0


def check_quota(group, files: list[Received]) -> None:
    quota = current_app.config["GROUP_QUOTA_BYTES"]
    # Uploads to one group queue here (row lock on PostgreSQL) so two cannot both pass the check.
    db.session.execute(select(Group.id).where(Group.id == group.id).with_for_update())
    adding = sum(r.size for r in files)
    used = group_usage(group.id)
    if used + adding > quota:
        raise UploadError(
            f"This upload would take the group's library past its quota of {_mb(quota)} "
            f"({_mb(max(quota - used, 0))} left). Ask a leader to remove old files.")


def check_upload_allowance(user, files: list[Received]) -> None:
    """What one member may upload an hour (FILE_UPLOADS_PER_HOUR, FILE_UPLOAD_BYTES_PER_HOUR),
    across the library, new versions and attachments. Asked by the views, once per request,
    before storing: counted in the request's transaction (forum.ratelimit.claim), so parallel
    uploads cannot all pass one reading of the count, and a refused upload is not held against
    its author. Seeding and the tests' factories store files without it: they are no member."""
    cfg, who = current_app.config, str(user.id)
    files_limit = ratelimit.parse_limit(cfg["FILE_UPLOADS_PER_HOUR"])
    bytes_limit = ratelimit.parse_limit(cfg["FILE_UPLOAD_BYTES_PER_HOUR"])
    added = sum(r.size for r in files)
    count = ratelimit.claim("upload-files", who, files_limit, cost=len(files))
    volume = ratelimit.claim("upload-bytes", who, bytes_limit, cost=added)
    if not count.allowed:
        left = max(files_limit.amount - (count.count - count.cost), 0)
        raise UploadError(
            f"You may upload {files_limit.amount} files an hour and have {left} left; this "
            f"upload has {len(files)}. Please wait a little and try again.")
    if not volume.allowed:
        left = max(bytes_limit.amount - (volume.count - volume.cost), 0)
        raise UploadError(
            f"You may upload {_mb(bytes_limit.amount)} an hour and have {_mb(left)} left; this "
            f"upload is {_mb(added)}. Please wait a little and try again.")


def store_new_files(group, files: list[Received], user, *, title: str = "",
                    description: str = "", folder: Folder | None = None,
                    attached: bool = False) -> list[SharedFile]:
    """Make the received blobs visible and add one shared file per upload."""
    check_quota(group, files)
    created = []
    for r in files:
        f = SharedFile(
            group_id=group.id, folder_id=folder.id if folder else None,
            title=(title if title and len(files) == 1 else r.name)[:200],
            description=description, uploader_id=user.id, original_name=r.name,
            size=r.size, content_type=r.sniffed.content_type, kind=r.sniffed.kind,
            attached=attached,
        )
        db.session.add(f)
        db.session.flush()
        _add_version_row(f, r, user, number=1)
        created.append(f)
    for r in files:
        r.pending.commit()
    return created


def add_version(f: SharedFile, r: Received, user) -> FileVersion:
    """A new current version; the old ones stay downloadable."""
    check_quota(f.group, [r])
    # Lock the file's row (PostgreSQL; SQLite writers are already serialised) so two versions
    # uploaded at once get distinct numbers.
    db.session.execute(select(SharedFile.id).where(SharedFile.id == f.id).with_for_update())
    number = (db.session.scalar(
        select(func.max(FileVersion.number)).where(FileVersion.file_id == f.id)) or 0) + 1
    version = _add_version_row(f, r, user, number=number)
    r.pending.commit()
    return version


def _add_version_row(f: SharedFile, r: Received, user, *, number: int) -> FileVersion:
    version = FileVersion(
        file_id=f.id, number=number, blob_sha256=r.pending.sha256, size=r.size,
        content_type=r.sniffed.content_type, kind=r.sniffed.kind, original_name=r.name,
        uploader_id=user.id,
    )
    db.session.add(version)
    db.session.flush()
    db.session.execute(
        update(SharedFile).where(SharedFile.id == f.id).values(
            current_version_id=version.id, original_name=r.name, size=r.size,
            content_type=r.sniffed.content_type, kind=r.sniffed.kind,
            version_count=SharedFile.version_count + 1, updated_at=utcnow(),
        )
    )
    db.session.expire(f)
    return version


def update_details(f: SharedFile, *, title: str, description: str,
                   folder: Folder | None) -> bool:
    """Returns whether anything changed (saving the same details twice changes nothing)."""
    folder_id = folder.id if folder else None
    if (f.title, f.description, f.folder_id) == (title, description, folder_id):
        return False
    f.title, f.description, f.folder_id = title, description, folder_id
    db.session.flush()
    return True


def delete_file(f: SharedFile, user) -> bool:
    if f.is_deleted:
        return False
    f.deleted_at = utcnow()
    f.deleted_by_id = user.id
    db.session.flush()
    return True


def restore_file(f: SharedFile) -> bool:
    if not f.is_deleted:
        return False
    f.deleted_at = None
    f.deleted_by_id = None
    db.session.flush()
    return True


def count_download(file_id: int) -> None:
    """One atomic UPDATE (see docs/files.md for why a GET may write this one counter)."""
    db.session.execute(update(SharedFile).where(SharedFile.id == file_id)
                       .values(download_count=SharedFile.download_count + 1))
