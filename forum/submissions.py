"""One-time submission keys: a double-clicked or retried form creates its thing once.

A form that creates something (a thread, a reply, an upload, a flag, an application, a group)
carries a random key in a hidden field (``forum.forms.SubmissionKeyField``), made when the page
is rendered: nothing is stored then (a GET never writes). The view claims the key in the same
transaction as what it creates, before anything else it writes or counts:

    once = claim(current_user, form.submission_key.data)
    if once.repeated:
        return once.repeat()                 # the first submission's redirect, nothing new
    ... create, flush ...
    return redirect(once.remember(url))      # the result, committed with the post

The claim is one ``INSERT … ON CONFLICT (user_id, key) DO NOTHING RETURNING id`` into
``submissions``:

- PostgreSQL: a second request with the same key waits at that INSERT for the first one's
  transaction. If the first committed, nothing is inserted, and the next statement (READ
  COMMITTED: a fresh snapshot) reads the first one's row and its result. If the first rolled
  back (a refused or invalid post), the second inserts and carries on as the first.
- SQLite: writers begin ``IMMEDIATE`` (forum/db.py), so the second request's transaction
  starts after the first's commit and its INSERT finds the row.

Either way the repeat waits at the claim, before the posting policy counts it, so it neither
posts twice nor is refused with "you are posting too fast" for a post that was made.

A missing or malformed key (a page rendered before keys existed, still open in a tab; a
script) is taken as no key: the form works as it always did, only without this protection.
Refusing it would turn away old pages and scripts for no security gain: the key guards a
member against their own double click, not the site against the member (throttles do that),
and a made-up key can only collide with the member's own submissions.

Keys live ``LIFETIME``: a claim that meets an expired row takes it over (the old key is new
again), and ``purge_expired`` (run by ``flask files purge``) deletes every expired row. The
common path costs two statements: the claim's INSERT and ``remember``'s UPDATE.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import flash, redirect, request
from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, delete, select, update
from sqlalchemy.orm import Mapped, mapped_column

from forum.db import Base, insert_or_merge, utcnow
from forum.extensions import db

LIFETIME = timedelta(hours=24)
KEY_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}")


class Submission(Base):
    """A form submission that created something: the member, the form's key, where it led."""

    __tablename__ = "submissions"
    __table_args__ = (UniqueConstraint("user_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64))
    # Where the first submission redirected (a path of this site); set before its commit.
    result_url: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


def new_key() -> str:
    """A fresh key for a form being rendered (144 random bits, URL-safe)."""
    return secrets.token_urlsafe(18)


def valid_key(value) -> str | None:
    """The key if it has the shape ``new_key`` makes, else None (treated as no key)."""
    if isinstance(value, str) and KEY_PATTERN.fullmatch(value):
        return value
    return None


@dataclass
class Claim:
    """The outcome of ``claim``: a fresh claim to act on, a repeat, or no key at all."""

    submission_id: int | None = None
    earlier_url: str | None = None  # set when this key was already used

    @property
    def repeated(self) -> bool:
        return self.earlier_url is not None

    def remember(self, url: str) -> str:
        """Record where this submission leads (in the caller's transaction); returns ``url``."""
        if self.submission_id is not None:
            db.session.execute(update(Submission).where(Submission.id == self.submission_id)
                               .values(result_url=url))
        return url

    def repeat(self):
        """The redirect the first submission gave (or back to the form, should it have none)."""
        flash("That form was sent more than once; it was acted on once.", "info")
        return redirect(self.earlier_url or request.path)


def claim(user, key: str | None) -> Claim:
    """Claim ``key`` for ``user`` in the current transaction (see the module's docstring)."""
    key = valid_key(key)
    user_id = getattr(user, "id", None)
    if key is None or user_id is None:
        return Claim()
    now = utcnow()
    inserted = db.session.execute(
        insert_or_merge(db.session, Submission)
        .values(user_id=user_id, key=key, result_url="", created_at=now)
        .on_conflict_do_nothing(index_elements=["user_id", "key"])
        .returning(Submission.id)).scalar()
    if inserted is not None:
        return Claim(submission_id=inserted)
    # Taken. A row past its lifetime is taken over (one conditional UPDATE: of two requests
    # reviving the same old key, the second waits for the first's row lock, then no longer
    # matches); otherwise this is a repeat of the row's submission.
    revived = db.session.execute(
        update(Submission)
        .where(Submission.user_id == user_id, Submission.key == key,
               Submission.created_at < now - LIFETIME)
        .values(created_at=now, result_url="")
        .returning(Submission.id)).scalar()
    if revived is not None:
        return Claim(submission_id=revived)
    earlier = db.session.scalar(select(Submission.result_url).where(
        Submission.user_id == user_id, Submission.key == key))
    return Claim(earlier_url=earlier or "")


def purge_expired(now: datetime | None = None) -> int:
    """Delete every key older than ``LIFETIME``; the caller commits. Returns how many."""
    result = db.session.execute(
        delete(Submission).where(Submission.created_at < (now or utcnow()) - LIFETIME)
        .execution_options(synchronize_session=False))
    return result.rowcount or 0
