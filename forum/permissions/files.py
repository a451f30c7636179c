"""Rules for a group's library: uploading, editing, deleting, restoring, downloading.

Every answer is about the file's own group. A suspended account may do nothing here, not even
read a public group's files; a banned member has no rank in the group (base.rank_in), so cannot
upload or edit; an archived group's library is read-only.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app

from forum.db import utcnow
from forum.extensions import db
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
        # Imported here: the files package imports the permissions package.
        from forum.files.models import LibrarySettings

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
        return not f.is_deleted or self.can_lead(f.group)

    def can_edit_file(self, f) -> bool:
        """Title, description, folder and new versions: its uploader, or the group's leaders."""
        if f.is_deleted or not self.can_upload(f.group):
            return False
        return f.uploader_id == self.user_id or self.can_lead(f.group)

    def can_delete_file(self, f) -> bool:
        return self.can_edit_file(f)

    def can_restore_file(self, f) -> bool:
        if not f.is_deleted or not self.can_lead(f.group):
            return False
        days = current_app.config["FILE_RETENTION_DAYS"]
        return f.deleted_at > utcnow() - timedelta(days=days)
