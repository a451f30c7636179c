"""Accounts: who a member is, how they sign in, and whether they may act at all."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from forum.db import Base, TimestampMixin, utcnow


class User(UserMixin, TimestampMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # normalised: see users.names
    username: Mapped[str] = mapped_column(String(40))  # as the member typed it, for display
    # NFKC + casefold of the username: unique, and what lookups (profiles, mentions) go by.
    username_key: Mapped[str] = mapped_column(String(40), unique=True)
    # What the name looks like (UTS #39 skeleton: users.names.username_skeleton). A unique
    # index, so no name can sit beside a confusable one ("admın" by "admin"), even when two
    # registrations race. NULL only for an account made before the column whose skeleton an
    # older account already held (the backfill keeps the oldest); that row still guards it.
    username_skeleton: Mapped[str | None] = mapped_column(String(320), unique=True, index=True)
    display_name: Mapped[str] = mapped_column(String(100))
    affiliation: Mapped[str] = mapped_column(String(200), default="")
    bio: Mapped[str] = mapped_column(Text, default="")  # Markdown as written
    bio_html: Mapped[str] = mapped_column(Text, default="")  # rendered once, at write time
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    password_hash: Mapped[str] = mapped_column(String(255))
    verified_at: Mapped[datetime | None]
    is_site_admin: Mapped[bool] = mapped_column(default=False)
    suspended_until: Mapped[datetime | None]
    # Group mail stops when mail to the address keeps bouncing (forum.mailing.bounces); the
    # member is told on every page and resumes it from the notification settings.
    mail_paused_at: Mapped[datetime | None]
    mail_paused_reason: Mapped[str] = mapped_column(String(300), default="")
    # Set by the session loader for the request: the auth session this user signed in with.
    current_session_token = None  # str | None; not a column

    def get_id(self) -> str:
        # Flask-Login keeps this in the session and remember cookies. It is the token of one
        # server-side auth session, not the user id, so ending that row ends the cookie too.
        return self.current_session_token or ""

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    @property
    def is_suspended(self) -> bool:
        return self.suspended_until is not None and self.suspended_until > utcnow()

    @property
    def mail_paused(self) -> bool:
        return self.mail_paused_at is not None

    def __repr__(self) -> str:
        return f"<User {self.username}>"
