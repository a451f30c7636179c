"""An article of a section: written by its editors, shown once published and its publication
time has come, commented on in a discussions thread of the section's articles group.

Scheduled publishing needs no job: an article whose ``publish_at`` is still ahead is simply
not shown yet — every read compares it with now (``Article.visible_clause``).
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, and_
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.db import Base, TimestampMixin, utcnow
from forum.groups.models import _enum

if TYPE_CHECKING:  # annotation types only: models name other features' classes by string
    from forum.groups.models import Section
    from forum.users.models import User

SLUG_MAX = 80
TITLE_MAX = 200


class ArticleStatus(enum.StrEnum):
    DRAFT = "draft"  # being written: its editors, section admins and site admins only
    PUBLISHED = "published"  # shown from publish_at on (at once when that is not ahead)


class Article(TimestampMixin, Base):
    __tablename__ = "articles"
    __table_args__ = (
        # One address per article site-wide (/articles/<slug>), so also one per section.
        UniqueConstraint("slug"),
        # The latest articles: published ones by publication time, newest first.
        Index("ix_articles_listing", "status", "publish_at", "id"),
        Index("ix_articles_section_listing", "section_id", "status", "publish_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("sections.id", ondelete="CASCADE"))
    slug: Mapped[str] = mapped_column(String(SLUG_MAX))
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    body: Mapped[str] = mapped_column(Text)  # Markdown as written
    body_html: Mapped[str] = mapped_column(Text)  # rendered by forum.markup at write time
    excerpt: Mapped[str] = mapped_column(Text, default="")  # plain text, given or derived
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    byline: Mapped[str] = mapped_column(String(200), default="")  # "By Maria Lopez, Chair"
    # The optional image: a content-addressed blob (forum.storage), its sniffed type and its
    # alt text (required whenever there is an image).
    image_sha256: Mapped[str | None] = mapped_column(String(64))
    image_type: Mapped[str | None] = mapped_column(String(40))
    image_alt: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[ArticleStatus] = mapped_column(
        _enum(ArticleStatus, "article_status"), default=ArticleStatus.DRAFT)
    # When it shows: set on publishing (now, or the scheduled time); None for a draft.
    publish_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None]  # when an editor first published it
    thread_id: Mapped[int | None] = mapped_column(
        ForeignKey("threads.id", ondelete="SET NULL"), unique=True)

    section: Mapped[Section] = relationship("Section")
    author: Mapped[User | None] = relationship("User")

    def is_visible(self, now: datetime | None = None) -> bool:
        """Published and its time has come (the one rule, in Python)."""
        return (self.status == ArticleStatus.PUBLISHED and self.publish_at is not None
                and self.publish_at <= (now or utcnow()))

    @property
    def is_scheduled(self) -> bool:
        return self.status == ArticleStatus.PUBLISHED and not self.is_visible()

    @classmethod
    def visible_clause(cls, now):
        """``is_visible`` in SQL; ``now``: a datetime or a bound parameter."""
        return and_(cls.status == ArticleStatus.PUBLISHED, cls.publish_at <= now)
