"""Volunteering: recruiting cycles, opportunities with their questions, volunteer profiles,
applications and their answers.

An opportunity belongs to one group and says what accepting someone does: it appoints them in
that group with ``role`` (``leader`` for "lead an interest group"; ``editor`` for an ordinary
seat, which grants nothing beyond membership but records the seat's title and term in the
group's leadership history) and ``role_title``, for the opportunity's term.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.db import Base, TimestampMixin, utcnow
from forum.groups.models import Role, _enum

if TYPE_CHECKING:  # annotation types only: models name other features' classes by string
    from forum.groups.models import Group, Section
    from forum.users.models import User


class OpportunityStatus(enum.StrEnum):
    DRAFT = "draft"  # being written; only its managers see it
    OPEN = "open"  # taking applications until the deadline
    CLOSED = "closed"  # no more applications; reviewing may go on


class QuestionKind(enum.StrEnum):
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    SINGLE_CHOICE = "single_choice"
    YES_NO = "yes_no"

    @property
    def label(self) -> str:
        return {"short_text": "Short text", "long_text": "Long text",
                "single_choice": "Single choice", "yes_no": "Yes / no"}[self.value]


class ApplicationStatus(enum.StrEnum):
    SUBMITTED = "submitted"
    WAITLISTED = "waitlisted"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


# Roles an opportunity may appoint to (section admins are appointed elsewhere).
OPPORTUNITY_ROLES = (Role.EDITOR, Role.MODERATOR, Role.LEADER)


class RecruitingCycle(TimestampMixin, Base):
    """A section's recruiting round: members rank up to ``max_choices`` opportunities in it."""

    __tablename__ = "recruiting_cycles"
    __table_args__ = (CheckConstraint("max_choices >= 1", name="max_choices_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("sections.id", ondelete="CASCADE"),
                                            index=True)
    name: Mapped[str] = mapped_column(String(120))
    max_choices: Mapped[int] = mapped_column(default=3)

    section: Mapped[Section] = relationship("Section")


class Opportunity(TimestampMixin, Base):
    __tablename__ = "opportunities"
    __table_args__ = (
        CheckConstraint("openings >= 1", name="openings_positive"),
        CheckConstraint("filled_count >= 0", name="filled_not_negative"),
        CheckConstraint("term_ends_on IS NULL OR term_ends_on > term_starts_on",
                        name="term_order"),
        Index("ix_opportunities_status_deadline", "status", "deadline"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    cycle_id: Mapped[int | None] = mapped_column(
        ForeignKey("recruiting_cycles.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")
    role: Mapped[Role] = mapped_column(_enum(Role, "opportunity_role"), default=Role.EDITOR)
    role_title: Mapped[str] = mapped_column(String(80))
    openings: Mapped[int] = mapped_column(default=1)
    # Maintained in SQL on every acceptance (filled = filled + 1), never recounted on read.
    filled_count: Mapped[int] = mapped_column(default=0)
    term_starts_on: Mapped[date] = mapped_column(Date)
    term_ends_on: Mapped[date | None] = mapped_column(Date)  # exclusive, like appointments
    time_commitment: Mapped[str] = mapped_column(String(200), default="")
    deadline: Mapped[date] = mapped_column(Date)  # the last day applications are taken
    status: Mapped[OpportunityStatus] = mapped_column(
        _enum(OpportunityStatus, "opportunity_status"), default=OpportunityStatus.DRAFT)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    group: Mapped[Group] = relationship("Group")
    cycle: Mapped[RecruitingCycle | None] = relationship("RecruitingCycle")
    questions: Mapped[list[OpportunityQuestion]] = relationship(
        "OpportunityQuestion", order_by="OpportunityQuestion.position",
        cascade="all, delete-orphan", back_populates="opportunity")

    @property
    def openings_left(self) -> int:
        return max(self.openings - self.filled_count, 0)

    def deadline_passed(self, today: date | None = None) -> bool:
        return (today or utcnow().date()) > self.deadline

    def is_taking_applications(self, today: date | None = None) -> bool:
        return self.status == OpportunityStatus.OPEN and not self.deadline_passed(today)


class OpportunityQuestion(Base):
    __tablename__ = "opportunity_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    opportunity_id: Mapped[int] = mapped_column(
        ForeignKey("opportunities.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    prompt: Mapped[str] = mapped_column(String(300))
    kind: Mapped[QuestionKind] = mapped_column(_enum(QuestionKind, "question_kind"))
    choices: Mapped[str] = mapped_column(Text, default="")  # one per line, single_choice only
    required: Mapped[bool] = mapped_column(default=False)

    opportunity: Mapped[Opportunity] = relationship("Opportunity", back_populates="questions")

    @property
    def choice_list(self) -> list[str]:
        if self.kind == QuestionKind.YES_NO:
            return ["yes", "no"]
        return [c.strip() for c in self.choices.splitlines() if c.strip()]


class VolunteerProfile(TimestampMixin, Base):
    """Kept once by the member, shown to reviewers beside each application."""

    __tablename__ = "volunteer_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    interests: Mapped[str] = mapped_column(String(1000), default="")
    skills: Mapped[str] = mapped_column(String(1000), default="")
    availability: Mapped[str] = mapped_column(String(300), default="")
    preferred_work: Mapped[str] = mapped_column(String(300), default="")
    # Leaders looking for volunteers find only members who said they may be found.
    findable: Mapped[bool] = mapped_column(default=True)

    user: Mapped[User] = relationship("User")


class Application(TimestampMixin, Base):
    __tablename__ = "applications"
    __table_args__ = (
        UniqueConstraint("opportunity_id", "user_id"),
        # Within a cycle each choice rank is used once per member (withdrawn rows drop rank).
        UniqueConstraint("cycle_id", "user_id", "rank"),
        CheckConstraint("rank IS NULL OR rank >= 1", name="rank_positive"),
        Index("ix_applications_opportunity_id_status", "opportunity_id", "status"),
        Index("ix_applications_user_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    opportunity_id: Mapped[int] = mapped_column(ForeignKey("opportunities.id",
                                                           ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    cycle_id: Mapped[int | None] = mapped_column(
        ForeignKey("recruiting_cycles.id", ondelete="SET NULL"))
    rank: Mapped[int | None]
    statement: Mapped[str] = mapped_column(Text)
    status: Mapped[ApplicationStatus] = mapped_column(
        _enum(ApplicationStatus, "application_status"), default=ApplicationStatus.SUBMITTED)
    decision_message: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    appointment_id: Mapped[int | None] = mapped_column(
        ForeignKey("appointments.id", ondelete="SET NULL"))

    opportunity: Mapped[Opportunity] = relationship("Opportunity")
    user: Mapped[User] = relationship("User", foreign_keys=[user_id])
    decided_by: Mapped[User | None] = relationship("User", foreign_keys=[decided_by_id])
    answers: Mapped[list[ApplicationAnswer]] = relationship(
        "ApplicationAnswer", cascade="all, delete-orphan", back_populates="application")

    @property
    def is_open(self) -> bool:
        """Still the member's to edit or withdraw (until the deadline)."""
        return self.status in (ApplicationStatus.SUBMITTED, ApplicationStatus.WAITLISTED)


class ApplicationAnswer(Base):
    __tablename__ = "application_answers"
    __table_args__ = (UniqueConstraint("application_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("opportunity_questions.id", ondelete="CASCADE"))
    value: Mapped[str] = mapped_column(Text, default="")

    application: Mapped[Application] = relationship("Application", back_populates="answers")
    question: Mapped[OpportunityQuestion] = relationship("OpportunityQuestion")
