"""Demo moderation: a pinned and a locked thread, open flags, a post held for approval, and the
audit entries they leave. Runs after discussions (``ctx["threads"]``); does nothing it cannot."""

from __future__ import annotations

from sqlalchemy import select

from forum.db import utcnow
from forum.discussions.models import Post, PostStatus
from forum.discussions.services import reply
from forum.extensions import db
from forum.groups.models import Appointment, Role
from forum.moderation.flags import dismiss_flags, flag_post
from forum.moderation.models import FlagReason
from forum.moderation.threads import set_locked, set_pinned

FLAGS = [
    (FlagReason.OFF_TOPIC, "This belongs in the Library Assessment group, I think."),
    (FlagReason.OTHER, "Shares a colleague's e-mail address — could a moderator check?"),
]
HELD = ("Hello all! New here. Our branch is starting its first digitisation project — "
        "is there a reading list somewhere in the library?")


def seed(ctx: dict) -> None:
    threads = [t for t in ctx.get("threads") or [] if t is not None]
    users = ctx.get("users") or {}
    if not threads or not users:
        return
    first = threads[0]
    staff = _staff(first.group_id) or users.get("admin")
    if staff is None:
        return
    set_pinned(first, by=staff, pinned=True, reason="Most useful thread for new members.")
    if len(threads) > 2:
        set_locked(threads[2], by=staff, locked=True, reason="An announcement: no replies needed.")
    _flags(first, staff, list(users.values()))
    _held_post(first, users)
    db.session.flush()


def _staff(group_id: int):
    today = utcnow().date()
    appointment = db.session.scalar(
        select(Appointment).where(
            Appointment.group_id == group_id,
            Appointment.role.in_((Role.MODERATOR, Role.LEADER)),
            Appointment.in_force_clause(today))
        .order_by(Appointment.role.desc(), Appointment.id))
    return appointment.user if appointment else None


def _replies(thread):
    return list(db.session.scalars(
        select(Post).where(Post.thread_id == thread.id, Post.depth > 0,
                           Post.status == PostStatus.PUBLISHED).order_by(Post.path)))


def _flags(thread, staff, everyone) -> None:
    replies = _replies(thread)
    if len(replies) < 3:
        return
    targets = [replies[1], replies[-1], replies[0]]
    for (reason, note), post in zip(FLAGS + [(FlagReason.SPAM, "")], targets, strict=False):
        reporter = next((u for u in everyone if u.id not in (post.author_id, staff.id)
                         and not u.is_site_admin), None)
        if reporter is not None:
            flag_post(post, by=reporter, reason=reason, note=note)
    dismiss_flags(targets[2], by=staff, reason="Not spam: a genuine recommendation.")


def _held_post(thread, users) -> None:
    author = users.get("tom") or users.get("oliver")
    root = db.session.scalar(select(Post).where(Post.thread_id == thread.id, Post.depth == 0))
    if author is None or root is None:
        return
    reply(thread, root, author, HELD, status=PostStatus.PENDING)
