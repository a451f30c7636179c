"""Flags, the moderation log (append-only) and per-group moderation settings.

Bans live on ``Membership`` (status banned, ``banned_until``); their history is the log.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.db import Base, utcnow
from forum.groups.models import _enum

if TYPE_CHECKING:  # annotation types only: models name other features' classes by string
    from forum.discussions.models import Post
    from forum.groups.models import Group
    from forum.users.models import User


class FlagReason(enum.StrEnum):
    SPAM = "spam"
    OFF_TOPIC = "off_topic"
    HARASSMENT = "harassment"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {"spam": "Spam", "off_topic": "Off-topic", "harassment": "Harassment or abuse",
                "other": "Something else"}[self.value]


class FlagStatus(enum.StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"  # a moderator acted on the post
    DISMISSED = "dismissed"  # a moderator saw it and left the post alone


class Flag(Base):
    __tablename__ = "flags"
    __table_args__ = (
        UniqueConstraint("post_id", "reporter_id"),  # one flag per member per post
        Index("ix_flags_group_id_status", "group_id", "status"),
        Index("ix_flags_reporter_id_created_at", "reporter_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    # Denormalised from the post's thread so the queue filters by group without joins;
    # kept right when a thread moves.
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[FlagReason] = mapped_column(_enum(FlagReason, "flag_reason"))
    note: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[FlagStatus] = mapped_column(
        _enum(FlagStatus, "flag_status"), default=FlagStatus.OPEN)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    post: Mapped[Post] = relationship("Post")
    reporter: Mapped[User | None] = relationship("User", foreign_keys=[reporter_id])


class ModerationLogEntry(Base):
    """Who did what, to what, when and why. Rows are written once and never changed."""

    __tablename__ = "moderation_log"
    __table_args__ = (
        Index("ix_moderation_log_group_id_created_at", "group_id", "created_at"),
        Index("ix_moderation_log_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # None means the system acted (auto-hide by flags); the name is kept as it was then.
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    actor_name: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(40))
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("groups.id", ondelete="SET NULL"), index=True)
    target_type: Mapped[str] = mapped_column(String(20))  # post | thread | user | flag | group
    target_id: Mapped[int | None]
    target_label: Mapped[str] = mapped_column(String(200), default="")
    reason: Mapped[str] = mapped_column(String(500), default="")
    details: Mapped[str] = mapped_column(String(500), default="")

    group: Mapped[Group | None] = relationship("Group")


class AppendOnlyError(RuntimeError):
    pass


@event.listens_for(ModerationLogEntry, "before_update")
def _refuse_update(mapper, connection, target):
    raise AppendOnlyError("The moderation log is append-only.")


@event.listens_for(ModerationLogEntry, "before_delete")
def _refuse_delete(mapper, connection, target):
    raise AppendOnlyError("The moderation log is append-only.")


class GroupModerationSettings(Base):
    __tablename__ = "group_moderation_settings"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True)
    # Hold a member's posts for approval until one of theirs has been published in the group.
    hold_first_posts: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
