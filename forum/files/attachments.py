"""Files attached to discussion posts: the contract with discussions.

- ``attach_uploads(post, uploads, user)`` stores each uploaded file (werkzeug FileStorage) in the
  post's group library and links it to the post; it raises ``files.services.UploadError`` with a
  message for the form when a file is refused, and flushes (never commits). All or nothing: when
  one file is refused, no file of the post is kept.
- ``attachments_for_posts(post_ids)`` returns ``{post_id: [row, …]}`` in one query, for a
  page of posts: plain rows of the attached file (``id``, ``original_name``, ``kind``, ``size``,
  ``previewable``, ``group_slug``: what the links print); templates show them with
  ``{% include "files/_post_attachments.html" %}`` (expects ``attachments``: one post's list).

Attached files join the library flagged ``attached`` (shown as "attached to a post", with a
link to it) so members find them in one place; the library's rules (group, quota, types) apply.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import bindparam, select

from forum.extensions import db
from forum.files import services
from forum.files.models import PREVIEWABLE, Attachment, SharedFile
from forum.groups.models import Group

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


# Built once (the post ids are bound per call): building it, with the ORM loading options it
# had, cost more than the database takes to answer. Plain rows: a post's links print a few
# columns of the file and its group's slug; "previewable" is the models' rule, asked in SQL.
_ATTACHED_FILES = (
    select(Attachment.post_id, SharedFile.id, SharedFile.original_name, SharedFile.kind,
           SharedFile.size, SharedFile.content_type.in_(sorted(PREVIEWABLE)).label("previewable"),
           Group.slug.label("group_slug"))
    .join(SharedFile, SharedFile.id == Attachment.file_id)
    .join(Group, Group.id == SharedFile.group_id)
    .where(Attachment.post_id.in_(bindparam("post_ids", expanding=True)),
           SharedFile.deleted_at.is_(None))
    .order_by(Attachment.post_id, Attachment.position, Attachment.id))


def attachments_for_posts(post_ids) -> dict[int, list]:
    ids = list(post_ids or [])
    if not ids:
        return {}
    result: dict[int, list] = defaultdict(list)
    for row in db.session.execute(_ATTACHED_FILES, {"post_ids": ids}):
        result[row.post_id].append(row)
    return dict(result)


__all__ = ["attach_uploads", "attachments_for_posts"]
