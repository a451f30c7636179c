"""The outbox: a row per mail, written in the same transaction as the thing that caused it."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, Index, String, Text
from sqlalchemy import Enum as SAEnum
from sqlalchemy.orm import Mapped, mapped_column

from forum.db import Base, utcnow


def _enum(cls: type[enum.Enum], name: str) -> SAEnum:
    # The same portable string enum as forum.groups.models._enum, repeated here because
    # forum.mail (imported by the groups package) must not import the groups package back.
    return SAEnum(
        cls, name=name, native_enum=False, create_constraint=True, length=20,
        values_callable=lambda e: [m.value for m in e],
    )


class DeliveryStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"  # claimed by a worker
    SENT = "sent"
    FAILED = "failed"  # gave up after MAIL_MAX_ATTEMPTS


class Delivery(Base):
    __tablename__ = "deliveries"
    __table_args__ = (Index("ix_deliveries_status_next_attempt_at", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Fixed when queued, so a retry after a crash carries the same Message-ID and receivers
    # can recognise a duplicate.
    message_id: Mapped[str] = mapped_column(String(255), unique=True)
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(255))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    headers: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[DeliveryStatus] = mapped_column(
        _enum(DeliveryStatus, "delivery_status"), default=DeliveryStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The post a per-post notification tells of (no foreign key: the outbox outlives posts).
    # A mail still waiting when its post stops being visible is withdrawn (withdraw_post_mail).
    post_id: Mapped[int | None] = mapped_column(index=True)
    sent_at: Mapped[datetime | None]


class MailBounce(Base):
    """A report that mail to an address could not be delivered: a delivery status
    notification that came back to a delivery's bounce address, or a refusal our SMTP relay
    gave at once. Permanent ones (5.x.x) count towards pausing the member's group mail."""

    __tablename__ = "mail_bounces"
    __table_args__ = (Index("ix_mail_bounces_address_created_at", "address", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    address: Mapped[str] = mapped_column(String(254))  # lower-cased
    # No foreign keys: the report outlives the delivery row and the account.
    user_id: Mapped[int | None] = mapped_column(index=True)
    delivery_id: Mapped[int | None]
    permanent: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(20), default="")  # e.g. "5.1.1", or "550"
    reason: Mapped[str] = mapped_column(String(500), default="")
    # Set when the member resumes mail: older bounces no longer count towards a pause.
    cleared: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
