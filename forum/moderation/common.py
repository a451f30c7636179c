"""What every moderation verb shares: its error, its outcome, and the thread counters."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, update

from forum.discussions.models import Post, PostStatus, Thread
from forum.extensions import db

SYSTEM_NAME = "system"


class ModerationError(ValueError):
    """A request that cannot be carried out, with a message for the moderator; nothing changed."""


@dataclass(frozen=True)
class Outcome:
    """What a verb did: ``changed`` is False when it was already so (verbs are idempotent)."""

    changed: bool
    message: str


def recount_thread(thread_id: int) -> None:
    """Set a thread's counters and last-post pointers from its published posts, in one UPDATE.

    Moderation moves and hides posts in bulk, so it recounts (in SQL, on write) rather than
    adding and subtracting."""
    published = (Post.thread_id == thread_id) & (Post.status == PostStatus.PUBLISHED)
    latest = select(Post).where(published).order_by(Post.created_at.desc(), Post.id.desc())
    db.session.execute(
        update(Thread).where(Thread.id == thread_id).values(
            post_count=select(func.count()).where(published).scalar_subquery(),
            last_post_id=latest.with_only_columns(Post.id).limit(1).scalar_subquery(),
            last_poster_id=latest.with_only_columns(Post.author_id).limit(1).scalar_subquery(),
            last_post_at=func.coalesce(
                latest.with_only_columns(Post.created_at).limit(1).scalar_subquery(),
                Thread.created_at),
        ).execution_options(synchronize_session=False)
    )
    thread = db.session.get(Thread, thread_id)
    if thread is not None:
        db.session.expire(thread, ["post_count", "last_post_id", "last_poster_id",
                                   "last_post_at"])
