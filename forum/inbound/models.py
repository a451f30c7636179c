"""What arrived by mail and became a post.

``inbound_messages``: one row per (member, Message-ID) that was posted, written in the same
transaction as the post. Its unique key is what makes a retried delivery of the same message
(an MTA that did not hear our answer, a member who sends twice) post nothing the second time.
``trimmed`` keeps what the quote trimmer cut (quotes, signature), for the record.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from forum.db import Base, utcnow


class InboundMessage(Base):
    __tablename__ = "inbound_messages"
    __table_args__ = (UniqueConstraint("user_id", "message_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    message_key: Mapped[str] = mapped_column(String(255))  # Message-ID, or a hash of the mail
    post_id: Mapped[int | None] = mapped_column(
        ForeignKey("posts.id", ondelete="SET NULL"), index=True)
    trimmed: Mapped[str] = mapped_column(Text, default="")
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
