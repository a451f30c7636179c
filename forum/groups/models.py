"""Sections, their groups, who belongs to them and who leads them.

Rights come from the appointments in force *today*: a term that has ended stops granting rights
with no job to run, and appointment rows are never deleted, so the leadership history stays
readable ("Chairs of this group since 2019").
"""

from __future__ import annotations

import enum
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    and_,
    or_,
)
from sqlalchemy import Enum as SAEnum
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.db import Base, TimestampMixin, utcnow

if TYPE_CHECKING:  # annotation types only: models name other features' classes by string
    from forum.users.models import User


def _enum(cls: type[enum.Enum], name: str) -> SAEnum:
    # Stored as plain strings with a CHECK constraint: portable, and readable in SQL.
    return SAEnum(
        cls, name=name, native_enum=False, create_constraint=True, length=20,
        values_callable=lambda e: [m.value for m in e],
    )


class GroupKind(enum.StrEnum):
    INTEREST_GROUP = "interest_group"
    COMMITTEE = "committee"
    PROJECT_TEAM = "project_team"
    # One per section, made by forum.articles when its first article is published: it carries
    # the articles' comment threads. Public, never listed (directory, spotlight, counts).
    ARTICLES = "articles"

    @property
    def label(self) -> str:
        return {"interest_group": "Interest group", "committee": "Committee",
                "project_team": "Project team", "articles": "Articles"}[self.value]

    @classmethod
    def listed(cls) -> tuple[GroupKind, ...]:
        """The kinds people create, join and find in the directory."""
        return (cls.INTEREST_GROUP, cls.COMMITTEE, cls.PROJECT_TEAM)


class Visibility(enum.StrEnum):
    PUBLIC = "public"  # anyone may read the group's content
    MEMBERS = "members"  # signed-in members may read; visitors see that content exists
    PRIVATE = "private"  # only the group's members know it exists


class JoinPolicy(enum.StrEnum):
    OPEN = "open"
    APPROVAL = "approval"
    INVITE = "invite"


class MembershipStatus(enum.StrEnum):
    PENDING = "pending"  # asked to join an approval-only group
    INVITED = "invited"  # invited by a leader, not yet accepted
    ACTIVE = "active"
    BANNED = "banned"


class Role(enum.StrEnum):
    """Appointed roles, lowest rank first (see permissions.Rank)."""

    EDITOR = "editor"
    MODERATOR = "moderator"
    LEADER = "leader"
    SECTION_ADMIN = "section_admin"


class Section(TimestampMixin, Base):
    __tablename__ = "sections"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    # Where the section meets: visitors read its pages' dates in this zone (members in their own).
    timezone: Mapped[str] = mapped_column(String(64), default="UTC", server_default="UTC")

    groups: Mapped[list[Group]] = relationship(
        "Group", back_populates="section", order_by="Group.name")


class Group(TimestampMixin, Base):
    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("sections.id"), index=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[GroupKind] = mapped_column(_enum(GroupKind, "group_kind"))
    purpose: Mapped[str] = mapped_column(Text, default="")
    # Rendered once at write time by forum.markup (never on read).
    purpose_html: Mapped[str] = mapped_column(Text, default="")
    visibility: Mapped[Visibility] = mapped_column(
        _enum(Visibility, "group_visibility"), default=Visibility.MEMBERS
    )
    join_policy: Mapped[JoinPolicy] = mapped_column(
        _enum(JoinPolicy, "group_join_policy"), default=JoinPolicy.OPEN
    )
    archived_at: Mapped[datetime | None]
    # Maintained in SQL on every join and leave (count = count + 1), never recounted on read.
    member_count: Mapped[int] = mapped_column(default=0)
    last_activity_at: Mapped[datetime | None]
    # The group's picture (forum.files.pictures): a content-addressed blob, its sniffed type and
    # its alt text (required with a picture). Without one, pages show the group's initials.
    picture_sha256: Mapped[str | None] = mapped_column(String(64))
    picture_type: Mapped[str | None] = mapped_column(String(40))
    picture_alt: Mapped[str] = mapped_column(String(300), default="", server_default="")

    section: Mapped[Section] = relationship("Section", back_populates="groups")

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class Membership(Base):
    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("group_id", "user_id"),
        Index("ix_memberships_user_id_status", "user_id", "status"),
        # A group's members by standing: the leaders' "requests waiting" count and member list.
        Index("ix_memberships_group_id_status", "group_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    status: Mapped[MembershipStatus] = mapped_column(_enum(MembershipStatus, "membership_status"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    joined_at: Mapped[datetime | None]
    # A ban with an end lapses by itself; None with status banned means "for good".
    banned_until: Mapped[datetime | None]
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    group: Mapped[Group] = relationship("Group")
    user: Mapped[User] = relationship("User", foreign_keys=[user_id])


class Appointment(Base):
    __tablename__ = "appointments"
    __table_args__ = (
        CheckConstraint("(group_id IS NULL) <> (section_id IS NULL)", name="one_scope"),
        CheckConstraint("ends_on IS NULL OR ends_on > starts_on", name="term_order"),
        Index("ix_appointments_user_id_ends_on", "user_id", "ends_on"),
        Index("ix_appointments_group_id_starts_on", "group_id", "starts_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    section_id: Mapped[int | None] = mapped_column(ForeignKey("sections.id", ondelete="CASCADE"))
    role: Mapped[Role] = mapped_column(_enum(Role, "appointment_role"))
    title: Mapped[str] = mapped_column(String(80), default="")  # "Chair", "Co-chair", "Convener"
    starts_on: Mapped[date] = mapped_column(Date)
    # Exclusive: the term grants no rights on ends_on (the day a successor's term begins).
    ends_on: Mapped[date | None] = mapped_column(Date)
    appointed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship("User", foreign_keys=[user_id])
    group: Mapped[Group | None] = relationship("Group")
    section: Mapped[Section | None] = relationship("Section")
    appointed_by: Mapped[User | None] = relationship("User", foreign_keys=[appointed_by_id])

    @property
    def last_day(self) -> date | None:
        """The last day the term grants rights (ends_on is exclusive), for display."""
        return self.ends_on - timedelta(days=1) if self.ends_on is not None else None

    def in_force_on(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day < self.ends_on)

    @classmethod
    def in_force_clause(cls, day):
        """``in_force_on`` in SQL, the one place it is written. ``day``: a date, or a bound
        parameter for statements built once per process."""
        return and_(cls.starts_on <= day, or_(cls.ends_on.is_(None), cls.ends_on > day))
