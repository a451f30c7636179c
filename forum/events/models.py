"""Events: the calendar (events), who is coming (rsvps), members' private calendar feeds
(calendar_feeds) and what is left after an event (recordings).

Times are stored in UTC beside the event's IANA zone name. A timed event keeps
``starts_at``/``ends_at``; an all-day event keeps its calendar days (``start_date`` …
``end_date``, the last day inclusive) and, for ordering and range queries, ``starts_at``/
``ends_at`` at midnight of those days in the event's zone. ``series_ends_at`` is when the last
occurrence ends (the event's own end for a one-off event): "upcoming" is one indexed range.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.db import Base, TimestampMixin, utcnow
from forum.groups.models import _enum

if TYPE_CHECKING:  # annotation types only: models name other features' classes by string
    from forum.groups.models import Group, Section
    from forum.users.models import User


class EventStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class RsvpAnswer(enum.StrEnum):
    GOING = "going"
    MAYBE = "maybe"
    NOT_GOING = "not_going"

    @property
    def label(self) -> str:
        return {"going": "Going", "maybe": "Maybe", "not_going": "Not going"}[self.value]


class Event(TimestampMixin, Base):
    __tablename__ = "events"
    __table_args__ = (
        CheckConstraint("ends_at >= starts_at", name="ends_after_start"),
        CheckConstraint("capacity IS NULL OR capacity >= 1", name="capacity_positive"),
        CheckConstraint("sequence >= 0", name="sequence_not_negative"),
        Index("ix_events_section_id_series_ends_at", "section_id", "series_ends_at"),
        Index("ix_events_group_id_series_ends_at", "group_id", "series_ends_at"),
        Index("ix_events_starts_at", "starts_at"),
        Index("ix_events_featured_series_ends_at", "featured", "series_ends_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("sections.id", ondelete="CASCADE"))
    # None: a section-wide event (Interest Group Week), seen by everyone.
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    uid: Mapped[str] = mapped_column(String(120), unique=True)  # iCalendar UID, never changes
    sequence: Mapped[int] = mapped_column(default=0)  # bumped on every change calendars care for
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    all_day: Mapped[bool] = mapped_column(default=False)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    start_date: Mapped[date | None] = mapped_column(Date)  # all-day events only
    end_date: Mapped[date | None] = mapped_column(Date)  # inclusive last day
    series_ends_at: Mapped[datetime]
    rrule: Mapped[str] = mapped_column(String(300), default="")  # RFC 5545 RRULE value
    # Occurrence starts left out, local ISO dates (YYYY-MM-DD), comma separated.
    exdates: Mapped[str] = mapped_column(Text, default="")
    location: Mapped[str] = mapped_column(String(300), default="")
    online_url: Mapped[str] = mapped_column(String(500), default="")
    capacity: Mapped[int | None]
    featured: Mapped[bool] = mapped_column(default=False)
    status: Mapped[EventStatus] = mapped_column(
        _enum(EventStatus, "event_status"), default=EventStatus.SCHEDULED)
    cancelled_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    section: Mapped[Section] = relationship("Section")
    group: Mapped[Group | None] = relationship("Group")
    created_by: Mapped[User | None] = relationship("User")

    @property
    def is_cancelled(self) -> bool:
        return self.status == EventStatus.CANCELLED

    @property
    def repeats(self) -> bool:
        return bool(self.rrule)

    def exdate_set(self) -> set[date]:
        return {date.fromisoformat(d) for d in self.exdates.split(",") if d.strip()}


class Rsvp(TimestampMixin, Base):
    """A member's answer for one occurrence (the event's start for a one-off event)."""

    __tablename__ = "rsvps"
    __table_args__ = (
        UniqueConstraint("event_id", "occurrence_at", "user_id"),
        Index("ix_rsvps_event_id_occurrence_at_answer", "event_id", "occurrence_at", "answer"),
        Index("ix_rsvps_user_id_occurrence_at", "user_id", "occurrence_at"),
        Index("ix_rsvps_occurrence_at_reminded_at", "occurrence_at", "reminded_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    occurrence_at: Mapped[datetime]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    answer: Mapped[RsvpAnswer] = mapped_column(_enum(RsvpAnswer, "rsvp_answer"))
    # Going, but past capacity: queued in order of queued_at (then id) for the next free seat.
    waitlisted: Mapped[bool] = mapped_column(default=False)
    queued_at: Mapped[datetime | None]
    reminded_at: Mapped[datetime | None]

    event: Mapped[Event] = relationship("Event")
    user: Mapped[User] = relationship("User")

    @property
    def has_seat(self) -> bool:
        return self.answer == RsvpAnswer.GOING and not self.waitlisted


class CalendarFeed(Base):
    """A member's private feed of the events they RSVP'd to; resetting changes the token."""

    __tablename__ = "calendar_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Recording(TimestampMixin, Base):
    """A recording of an event (a link, or a file in the event's group library) and slides."""

    __tablename__ = "recordings"
    __table_args__ = (
        Index("ix_recordings_event_id", "event_id"),
        Index("ix_recordings_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    occurrence_at: Mapped[datetime | None]
    title: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(String(500), default="")
    file_id: Mapped[int | None] = mapped_column(
        ForeignKey("shared_files.id", ondelete="SET NULL"))
    slides_url: Mapped[str] = mapped_column(String(500), default="")
    slides_file_id: Mapped[int | None] = mapped_column(
        ForeignKey("shared_files.id", ondelete="SET NULL"))
    members_only: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    event: Mapped[Event] = relationship("Event")
