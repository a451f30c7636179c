"""Files attached to discussion posts: the contract with discussions.

- ``attach_uploads(post, uploads, user)`` stores each uploaded file (werkzeug FileStorage) in the
  post's group library and links it to the post; it raises ``files.services.UploadError`` with a
  message for the form when a file is refused, and flushes (never commits). All or nothing: when
  one file is refused, no file of the post is kept.
- ``attachments_for_posts(post_ids)`` returns ``{post_id: [attachment, …]}`` in one query, for a
  page of posts; templates show them with ``{% include "files/_post_attachments.html" %}``
  (expects ``attachments``: the list for one post, and ``group``, or each attachment's file's
  group, for the links).

Attached files join the library flagged ``attached`` (shown as "attached to a post", with a
link to it) so members find them in one place; the library's rules (group, quota, types) apply.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from forum.extensions import db
from forum.files import services
from forum.files.models import Attachment, SharedFile

MAX_ATTACHMENTS = 10


def attach_uploads(post, uploads, user) -> list:
    from forum.permissions import Permissions

    uploads = services.real_uploads(uploads)
    if not uploads:
        return []
    if len(uploads) > MAX_ATTACHMENTS:
        raise services.UploadError(f"Attach at most {MAX_ATTACHMENTS} files to one post.")
    group = post.thread.group
    if not Permissions(user).can_upload(group):
        raise services.UploadError("You may not attach files in this group.")
    with services.received(uploads) as files:
        created = services.store_new_files(group, files, user, attached=True,
                                           description="Attached to a discussion post.")
    attachments = []
    for position, f in enumerate(created):
        attachment = Attachment(post_id=post.id, file_id=f.id, position=position)
        db.session.add(attachment)
        attachments.append(attachment)
    db.session.flush()
    return attachments


def attachments_for_posts(post_ids) -> dict[int, list]:
    ids = list(post_ids or [])
    if not ids:
        return {}
    rows = db.session.scalars(
        select(Attachment).join(Attachment.file)
        .options(contains_eager(Attachment.file).joinedload(SharedFile.group))
        .where(Attachment.post_id.in_(ids), SharedFile.deleted_at.is_(None))
        .order_by(Attachment.post_id, Attachment.position, Attachment.id))
    result: dict[int, list] = defaultdict(list)
    for attachment in rows:
        result[attachment.post_id].append(attachment)
    return dict(result)


__all__ = ["attach_uploads", "attachments_for_posts"]
