"""Removing for good: files deleted longer ago than the retention period, then every blob that
no version references any more (and temporary files a crash left behind)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select

from forum.articles.models import Article
from forum.db import utcnow
from forum.extensions import db
from forum.files.models import FileVersion, SharedFile
from forum.groups.models import Group
from forum.storage import get_storage

# A blob younger than this may belong to an upload whose rows are not committed yet.
GRACE_SECONDS = 3600


@dataclass
class PurgeReport:
    files: int = 0
    blobs: int = 0
    temporary: int = 0


def purge(*, now=None) -> PurgeReport:
    """Delete expired files' rows (versions and attachments cascade), flush, then the blobs.

    The caller commits between the two steps: rows go first, so a blob is only ever removed
    once nothing points at it."""
    report = PurgeReport()
    cutoff = (now or utcnow()) - timedelta(days=current_app.config["FILE_RETENTION_DAYS"])
    expired = list(db.session.scalars(
        select(SharedFile.id).where(SharedFile.deleted_at.is_not(None),
                                    SharedFile.deleted_at <= cutoff)))
    if expired:
        db.session.execute(delete(FileVersion).where(FileVersion.file_id.in_(expired)))
        db.session.execute(delete(SharedFile).where(SharedFile.id.in_(expired)))
    report.files = len(expired)
    return report


def purge_unreferenced_blobs(report: PurgeReport, *,
                             grace_seconds: int = GRACE_SECONDS) -> PurgeReport:
    storage = get_storage()
    newest_allowed = time.time() - grace_seconds
    # Blobs first, references second, and the age checked again at deletion: an upload that
    # reuses a blob meanwhile refreshes its time (LocalStorage._commit), so it is spared.
    candidates = [sha for sha, mtime in storage.iter_blobs() if mtime <= newest_allowed]
    referenced = set(db.session.scalars(select(FileVersion.blob_sha256).distinct()))
    # Articles' images and groups' pictures are blobs too (forum.files.pictures): referenced.
    referenced |= set(db.session.scalars(select(Article.image_sha256).distinct()
                                         .where(Article.image_sha256.is_not(None))))
    referenced |= set(db.session.scalars(select(Group.picture_sha256).distinct()
                                         .where(Group.picture_sha256.is_not(None))))
    for sha256 in candidates:
        if sha256 not in referenced:
            report.blobs += int(storage.delete(sha256, unless_newer_than=newest_allowed))
    report.temporary = storage.sweep_temporary(older_than=grace_seconds)
    return report
