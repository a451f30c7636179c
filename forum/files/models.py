"""A group's library: folders, shared files, their versions, and post attachments.

Bytes live in storage (forum/storage.py), addressed by SHA-256; a version row points at a blob,
and several versions (even of different files) may share one. The file row carries copies of its
current version's name, size and type, so the library lists and sorts with no join.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.db import Base, TimestampMixin, utcnow
from forum.groups.models import _enum

if TYPE_CHECKING:  # annotation types only: models name other features' classes by string
    from forum.groups.models import Group
    from forum.users.models import User

NAME_MAX = 255
TITLE_MAX = 200
FOLDER_NAME_MAX = 100
DESCRIPTION_MAX = 5000


class UploadPolicy(enum.StrEnum):
    """Who may upload to a group's library (a leader's choice, per group)."""

    MEMBERS = "members"
    MODERATORS = "moderators"
    LEADERS = "leaders"

    @property
    def label(self) -> str:
        return {"members": "Every member of the group", "moderators": "Moderators and leaders",
                "leaders": "Leaders only"}[self.value]


class LibrarySettings(Base):
    """A group's library settings; a group without a row uses the defaults."""

    __tablename__ = "library_settings"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True)
    upload_policy: Mapped[UploadPolicy] = mapped_column(
        _enum(UploadPolicy, "library_upload_policy"), default=UploadPolicy.MEMBERS)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Folder(Base):
    __tablename__ = "folders"
    __table_args__ = (UniqueConstraint("group_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(FOLDER_NAME_MAX))
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SharedFile(TimestampMixin, Base):
    __tablename__ = "shared_files"
    __table_args__ = (
        Index("ix_shared_files_group_id_deleted_at_updated_at",
              "group_id", "deleted_at", "updated_at"),
        Index("ix_shared_files_folder_id", "folder_id"),
        # The library and "recent files" list live files newest first: handed over in order
        # instead of sorting every file of the group on each view.
        Index("ix_shared_files_live_by_update", "group_id", "updated_at", "id",
              postgresql_where=text("deleted_at IS NULL"), sqlite_where=text("deleted_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    folder_id: Mapped[int | None] = mapped_column(ForeignKey("folders.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    description: Mapped[str] = mapped_column(Text, default="")
    uploader_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Copies of the current version (the latest one), kept in step by services.add_version.
    current_version_id: Mapped[int | None]  # a plain pointer: files ↔ versions would be a cycle
    original_name: Mapped[str] = mapped_column(String(NAME_MAX))
    size: Mapped[int] = mapped_column(BigInteger, default=0)
    content_type: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(10))  # "pdf", "png", "docx", "csv", …
    # Counters updated in SQL, never read-modify-written.
    version_count: Mapped[int] = mapped_column(default=0)
    download_count: Mapped[int] = mapped_column(default=0)
    attached: Mapped[bool] = mapped_column(default=False)  # came in with a discussion post
    deleted_at: Mapped[datetime | None]
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    group: Mapped[Group] = relationship("Group")
    folder: Mapped[Folder | None] = relationship("Folder")
    uploader: Mapped[User | None] = relationship("User", foreign_keys=[uploader_id])
    versions: Mapped[list[FileVersion]] = relationship(
        "FileVersion", back_populates="file", order_by="FileVersion.number.desc()",
        cascade="all, delete-orphan", passive_deletes=True)

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def previewable(self) -> bool:
        return is_previewable(self.content_type)


class FileVersion(Base):
    __tablename__ = "file_versions"
    __table_args__ = (
        UniqueConstraint("file_id", "number"),
        Index("ix_file_versions_blob_sha256", "blob_sha256"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("shared_files.id", ondelete="CASCADE"))
    number: Mapped[int]  # 1, 2, 3 … within the file
    blob_sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    content_type: Mapped[str] = mapped_column(String(100))  # sniffed, never the browser's
    kind: Mapped[str] = mapped_column(String(10))
    original_name: Mapped[str] = mapped_column(String(NAME_MAX))  # for display only
    uploader_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    file: Mapped[SharedFile] = relationship("SharedFile", back_populates="versions")
    uploader: Mapped[User | None] = relationship("User", foreign_keys=[uploader_id])

    @property
    def previewable(self) -> bool:
        return is_previewable(self.content_type)


class Attachment(Base):
    __tablename__ = "attachments"
    __table_args__ = (UniqueConstraint("post_id", "file_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    file_id: Mapped[int] = mapped_column(
        ForeignKey("shared_files.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    file: Mapped[SharedFile] = relationship("SharedFile")


# Shown inline (under the preview's sandboxing CSP): images, PDFs, and audio and video, which
# the browser's own player streams with Range requests (event recordings).
PLAYABLE = frozenset({"video/mp4", "video/webm", "audio/mpeg", "audio/mp4", "audio/ogg"})
PREVIEWABLE = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp",
                         "application/pdf"}) | PLAYABLE


def is_previewable(content_type: str) -> bool:
    return content_type in PREVIEWABLE
