"""Who watches what, how they want mail, what they have been told, and how far digests got.

- ``subscriptions``: one row per (member, group) or (member, thread). ``watching`` asks for an
  in-app notification on every new post; on a group row ``mode`` is the e-mail choice for that
  group. A member of a group with no row gets ``DEFAULT_MODE`` (a daily digest), so joining a
  group needs no hook here. A thread row with ``watching`` false mutes that thread.
- ``notifications``: the in-app list; one per (member, post), the strongest reason wins.
- ``notification_settings``: per-member switches (auto-watch threads one takes part in).
- ``digest_cursors``: per (member, period), the last post a digest covered: running the digest
  twice sends nothing new.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.db import Base, TimestampMixin, utcnow
from forum.groups.models import _enum

if TYPE_CHECKING:  # annotation types only: models name other features' classes by string
    from forum.discussions.models import Post, Thread
    from forum.groups.models import Group
    from forum.users.models import User


class MailMode(enum.StrEnum):
    EACH = "each"
    DAILY = "daily"
    WEEKLY = "weekly"
    NONE = "none"

    @property
    def label(self) -> str:
        return {"each": "Each post", "daily": "Daily digest", "weekly": "Weekly digest",
                "none": "None"}[self.value]


# What a member gets, by e-mail, from a group they belong to but never configured.
DEFAULT_MODE = MailMode.DAILY


class NotificationKind(enum.StrEnum):
    """Why a member is told about a post, strongest first."""

    REPLY = "reply"
    MENTION = "mention"
    WATCHED_THREAD = "watched_thread"
    WATCHED_GROUP = "watched_group"


KIND_STRENGTH = {k: i for i, k in enumerate(NotificationKind)}


class Subscription(TimestampMixin, Base):
    __tablename__ = "subscriptions"
    __table_args__ = (
        CheckConstraint("(group_id IS NULL) <> (thread_id IS NULL)", name="one_target"),
        UniqueConstraint("user_id", "group_id"),
        UniqueConstraint("user_id", "thread_id"),
        Index("ix_subscriptions_group_id_mode", "group_id", "mode"),
        Index("ix_subscriptions_thread_id", "thread_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    thread_id: Mapped[int | None] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"))
    watching: Mapped[bool] = mapped_column(default=False)
    # E-mail for the group (group rows only; thread rows keep NONE: a thread follows its group).
    mode: Mapped[MailMode] = mapped_column(_enum(MailMode, "mail_mode"), default=DEFAULT_MODE)

    group: Mapped[Group | None] = relationship("Group")
    thread: Mapped[Thread | None] = relationship("Thread")


class Notification(Base):
    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("user_id", "post_id"),
        # The bell: unread count per member; the list: newest first per member.
        Index("ix_notifications_user_id_read_at", "user_id", "read_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"))
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[NotificationKind] = mapped_column(_enum(NotificationKind, "notification_kind"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]

    post: Mapped[Post] = relationship("Post")
    thread: Mapped[Thread] = relationship("Thread")
    group: Mapped[Group] = relationship("Group")
    actor: Mapped[User | None] = relationship("User", foreign_keys=[actor_id])

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class NotificationSettings(Base):
    __tablename__ = "notification_settings"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    # Start watching a thread when one starts it or replies to it.
    auto_watch: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class DigestCursor(Base):
    __tablename__ = "digest_cursors"
    __table_args__ = (UniqueConstraint("user_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(10))  # "daily" | "weekly"
    last_post_id: Mapped[int] = mapped_column(default=0)
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
