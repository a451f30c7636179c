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
  for posts loaded without that column; ``attachments_html(files, download_url, preview_url)``
  prints one post's list (the URL patterns: ``forum.files.attachment_urls``, once a request).

Attached files join the library flagged ``attached`` (shown as "attached to a post", with a
link to it) so members find them in one place; the library's rules (group, quota, types) and the
member's hourly upload allowance apply.
"""

from __future__ import annotations

from functools import cache
from typing import NamedTuple

from markupsafe import Markup, escape
from sqlalchemy import bindparam, case, select

from forum.db import json_rows, json_rows_value
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


@cache
def _files_of_posts():
    # Built on first use (Post's module is imported by then) and once (ids bound per call).
    from forum.discussions.models import Post

    return (select(Post.id, attached_files_column(Post.id, Post.has_files))
            .where(Post.id.in_(bindparam("post_ids", expanding=True))))


def attachments_for_posts(post_ids) -> dict[int, list[AttachedFile]]:
    """``{post_id: [AttachedFile, …]}`` for the posts that have files: one query."""
    ids = list(post_ids or [])
    if not ids:
        return {}
    rows = db.session.execute(_files_of_posts(), {"post_ids": ids})
    return {post_id: files for post_id, value in rows if (files := attached_files(value))}


__all__ = ["AttachedFile", "attach_uploads", "attached_files", "attached_files_column",
           "attachments_for_posts", "attachments_html"]


def attachments_html(files: list[AttachedFile], download_url: str, preview_url: str) -> Markup:
    """One post's attached files as its links print them: download, kind and size, preview.
    The URL patterns are ``str.format`` ones, filled with the file's group slug and id."""
    from forum.jinja import format_filesize

    out = ['<div class="post-attachments">\n  <h3 class="visually-hidden">Attachments</h3>\n'
           '  <ul>']
    for f in files:
        name = escape(f.original_name)
        line = (f'    <li><a href="{escape(download_url.format(f.group_slug, f.id))}" download>'
                f'{name}</a>\n      <span class="muted">({escape(f.kind.upper())}, '
                f'{format_filesize(f.size)})</span>')
        if f.previewable:
            line += (f' · <a href="{escape(preview_url.format(f.group_slug, f.id))}">preview'
                     f'<span class="visually-hidden"> {name}</span></a>')
        out.append(line + "\n    </li>")
    out.append("  </ul>\n</div>")
    return Markup("\n".join(out))
