"""Rules for a group's library: uploading, editing, deleting, restoring, downloading.

Every answer is about the file's own group. A suspended account may do nothing here, not even
read a public group's files; a banned member has no rank in the group (base.rank_in), so cannot
upload or edit; an archived group's library is read-only.

A file that came in with a discussion post (``SharedFile.attached``) also follows its posts,
asked now, on every request: when no post it is attached to may be seen by this user
(``can_see_post``: hidden, pending, deleted by its author, its thread hidden or moved into a
group they may not read), the file is not there for them either. A file uploaded straight to
the library follows its group alone.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import exists, false, select
from sqlalchemy.orm import joinedload

from forum.db import sql_int, utcnow
from forum.discussions.models import Post, PostStatus, Thread
from forum.extensions import db
from forum.files.models import Attachment, LibrarySettings
from forum.permissions.base import Rank

# Upload policy (forum.files.models.UploadPolicy value) → the least rank that may upload.
UPLOAD_RANK = {"members": Rank.GROUP_MEMBER, "moderators": Rank.MODERATOR,
               "leaders": Rank.LEADER}


class FileRules:
    def can_browse_files(self, group) -> bool:
        return not self.is_suspended and self.can_read(group)

    def can_upload(self, group) -> bool:
        """Per the group's library settings: its members (default), moderators, or leaders."""
        if not self.is_member or group.is_archived:
            return False
        return self.rank_in(group) >= UPLOAD_RANK[self.upload_policy(group)]

    def upload_policy(self, group) -> str:
        cache = self.__dict__.setdefault("_upload_policies", {})
        if group.id not in cache:  # one query per group and request at most
            settings = db.session.get(LibrarySettings, group.id)
            self.know_upload_policy(group.id, settings.upload_policy if settings else None)
        return cache[group.id]

    def know_upload_policy(self, group_id: int, policy) -> None:
        """Remember a group's policy read along with the group (None: no settings row, the
        default), so that upload_policy needs no query of its own."""
        cache = self.__dict__.setdefault("_upload_policies", {})
        cache[group_id] = policy.value if policy is not None else "members"

    def can_configure_library(self, group) -> bool:
        return self.can_lead(group)

    def can_manage_folders(self, group) -> bool:
        return self.can_lead(group)

    def can_view_trash(self, group) -> bool:
        return self.can_lead(group)

    def can_download(self, f) -> bool:
        if not self.can_browse_files(f.group):
            return False
        if f.is_deleted and not self.can_lead(f.group):
            return False
        return self.can_see_source(f)

    def can_see_source(self, f) -> bool:
        """Whether the posts a file came with let this user see it (a library file: always).
        A refusal here is a 404 wherever the file is asked for: it says nothing of the post."""
        return not f.attached or self.shown_source_post(f) is not None

    def shown_source_post(self, f):
        """The first post (in attaching order) that ``f`` is attached to and that this user may
        see, or None. One post the user may see is enough: the file is then printed under that
        post, so hiding it because another post holding it was hidden would break a link the
        user can see anyway, and show nothing the visible post does not. A file that came with
        posts and has none left (they were removed for good) is shown to nobody: fail closed."""
        return next((p for p in source_posts(f) if self.can_see_post(p)), None)

    def can_edit_file(self, f) -> bool:
        """Title, description, folder and new versions: its uploader, or the group's leaders."""
        if f.is_deleted or not self.can_upload(f.group) or not self.can_see_source(f):
            return False
        return f.uploader_id == self.user_id or self.can_lead(f.group)

    def can_delete_file(self, f) -> bool:
        return self.can_edit_file(f)

    def can_restore_file(self, f) -> bool:
        if not f.is_deleted or not self.can_lead(f.group):
            return False
        days = current_app.config["FILE_RETENTION_DAYS"]
        return f.deleted_at > utcnow() - timedelta(days=days)


def source_posts(f) -> list:
    """The posts ``f`` is attached to, each with its thread and the thread's group (the thread
    may have moved to another group than the file's library since): one query, and only for a
    file that came with a post. Kept on the file itself, so every rule asked about it in this
    request (the reader's, a visitor's for the cache header) shares the one query."""
    if not f.attached:
        return []
    posts = f.__dict__.get("_source_posts")
    if posts is None:
        posts = list(db.session.scalars(
            select(Post).join(Attachment, Attachment.post_id == Post.id)
            .where(Attachment.file_id == f.id)
            .options(joinedload(Post.thread).joinedload(Thread.group))
            .order_by(Attachment.position, Attachment.id)))
        f.__dict__["_source_posts"] = posts
    return posts


def listed_files_clause(file):
    """SQL filter for lists of files (``file``: ``SharedFile`` or an alias of it): the file
    was uploaded to the library, or at least one post it came with is published, in a listed
    thread (not hidden, with published posts) of the file's own group: ``visible_posts_clause``
    with the reader's groups replaced by the file's own, which the list's reader may read (the
    caller checked). It asks nothing of the reader, so a list's statement is built once (the
    group page's column, the library's statements). It is stricter than ``can_download``:
    files that only moderators or the author may see (a hidden or pending post) and files
    whose thread moved to another group are left out of lists for everyone, and reached from
    the post they are printed under; never does a list show a file its reader may not open."""
    # Constants are written into the SQL (sql_int) so PostgreSQL keeps one cached plan.
    shown_post = (exists()
                  .where(Attachment.file_id == file.id, Post.id == Attachment.post_id,
                         Post.status == PostStatus.PUBLISHED, Thread.id == Post.thread_id,
                         Thread.hidden.is_(false()), Thread.post_count > sql_int(0),
                         Thread.group_id == file.group_id)
                  .correlate(file))
    return file.attached.is_(false()) | shown_post
