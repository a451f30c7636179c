"""Files attached to discussion posts: the contract with discussions.

- ``attach_uploads(post, uploads, user)`` stores each uploaded file (werkzeug FileStorage) in the
  post's group library and links it to the post; it raises ``files.services.UploadError`` with a
  message for the form when a file is refused, and flushes (never commits). All or nothing: when
  one file is refused, no file of the post is kept.
- ``attached_files_column(Post.id, Post.has_files)`` puts a post's files in the statement that
  loads the post (one JSON value); ``attached_files(value)`` reads it as ``AttachedFile`` rows
  (``id``, ``original_name``, ``kind``, ``size``, ``previewable``, ``group_slug``: what the
  links print).
- ``attachments_for_posts(post_ids)`` returns ``{post_id: [AttachedFile, …]}`` in one query
  for posts loaded without that column.

The links are printed by the ``attachments`` macro (templates/_macros/attachments.html).

Attached files join the library flagged ``attached`` (shown as "attached to a post", with a
link to it) so members find them in one place; the library's rules (group, quota, types) and the
member's hourly upload allowance apply.
"""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import case, select

from forum.db import json_rows, json_rows_value
from forum.extensions import db
from forum.files import services
from forum.files.models import PREVIEWABLE, Attachment, SharedFile
from forum.groups.models import Group
from forum.permissions import Permissions

MAX_ATTACHMENTS = 10


def attach_uploads(post, uploads, user) -> list:
    uploads = services.real_uploads(uploads)
    if not uploads:
        return []
    if len(uploads) > MAX_ATTACHMENTS:
        raise services.UploadError(f"Attach at most {MAX_ATTACHMENTS} files to one post.")
    group = post.thread.group
    if not Permissions(user).can_upload(group):
        raise services.UploadError("You may not attach files in this group.")
    with services.received(uploads) as files:
        services.check_upload_allowance(user, files)
        created = services.store_new_files(group, files, user, attached=True,
                                           description="Attached to a discussion post.")
    attachments = []
    for position, f in enumerate(created):
        attachment = Attachment(post_id=post.id, file_id=f.id, position=position)
        db.session.add(attachment)
        attachments.append(attachment)
    post.has_files = True
    db.session.flush()
    return attachments


class AttachedFile(NamedTuple):
    """An attached file as a post's links print it (the file and its group's slug)."""

    id: int
    original_name: str
    kind: str
    size: int
    previewable: bool
    group_slug: str


def attached_files_column(post_id, has_files):
    """The files attached to the post ``post_id`` (a column of the outer statement) as one JSON
    value, read with ``attached_files``; ``has_files`` is the post's flag, set by
    ``attach_uploads``: a page's posts bring their files in their own
    statement, a round trip fewer on PostgreSQL than asking for them after. "previewable" is
    the models' rule, asked in SQL; the order (position, id) is restored in Python because an
    aggregate's input order is not promised."""
    previewable = SharedFile.content_type.in_(sorted(PREVIEWABLE))
    files = (select(json_rows(SharedFile.id, SharedFile.original_name, SharedFile.kind,
                              SharedFile.size, previewable, Group.slug, Attachment.position,
                              Attachment.id))
             .select_from(Attachment)
             .join(SharedFile, SharedFile.id == Attachment.file_id)
             .join(Group, Group.id == SharedFile.group_id)
             .where(Attachment.post_id == post_id, SharedFile.deleted_at.is_(None))
             .scalar_subquery())
    # Most posts have no files: the join and the aggregate run only for posts flagged as
    # having some. Without a guard the aggregate ran for each of a page's 26 posts and doubled
    # the statement's time; an EXISTS guard still cost PostgreSQL half the statement's CPU
    # (0.5 of 1.0 ms on a 20-reply thread: a probe of attachments per post), the flag nothing.
    return case((has_files, files))


def attached_files(value) -> list[AttachedFile]:
    """The rows of an ``attached_files_column`` value, in the order they were attached."""
    if not value or value == "[]":  # most posts: no files (SQLite's empty array is text)
        return []
    rows = sorted(json_rows_value(value), key=lambda row: (row[6], row[7]))
    return [AttachedFile(i, name, kind, size, bool(previewable), slug)
            for i, name, kind, size, previewable, slug, _position, _id in rows]


def attachments_for_posts(post_ids) -> dict[int, list[AttachedFile]]:
    """``{post_id: [AttachedFile, …]}`` for the posts that have files: one query."""
    ids = list(post_ids or [])
    if not ids:
        return {}
    rows = db.session.execute(
        select(Attachment.post_id, SharedFile.id, SharedFile.original_name, SharedFile.kind,
               SharedFile.size, SharedFile.content_type.in_(sorted(PREVIEWABLE))
               .label("previewable"), Group.slug)
        .join(SharedFile, SharedFile.id == Attachment.file_id)
        .join(Group, Group.id == SharedFile.group_id)
        .where(Attachment.post_id.in_(ids), SharedFile.deleted_at.is_(None))
        .order_by(Attachment.post_id, Attachment.position, Attachment.id))
    found: dict[int, list[AttachedFile]] = {}
    for row in rows:
        found.setdefault(row.post_id, []).append(AttachedFile(
            id=row.id, original_name=row.original_name, kind=row.kind, size=row.size,
            previewable=bool(row.previewable), group_slug=row.slug))
    return found


__all__ = ["AttachedFile", "attach_uploads", "attached_files", "attached_files_column",
           "attachments_for_posts"]
