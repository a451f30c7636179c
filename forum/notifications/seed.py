"""Demo notifications: lena and priya watch a few threads and find unread notices under the bell.

Runs last (after users, groups and discussions); uses ``ctx["users"]`` and ``ctx["threads"]``
and quietly does less when either is missing. Flushes, never commits.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from forum.db import utcnow
from forum.discussions.models import Post, PostStatus
from forum.extensions import db
from forum.notifications.models import (
    MailMode,
    Notification,
    NotificationKind,
    Subscription,
)
from forum.permissions import Permissions

PER_MEMBER = 5  # notifications each demo member finds, the oldest one already read


def seed(ctx: dict) -> None:
    users = ctx.get("users") or {}
    threads = [t for t in ctx.get("threads") or [] if t is not None]
    if not threads:
        return
    for handle in ("lena", "priya"):
        user = users.get(handle)
        if user is None:
            continue
        perms = Permissions(user)
        readable = [t for t in threads if perms.is_member and perms.can_read(t.group)]
        _watch(user, readable)
        _notify(user, readable)
    db.session.flush()


def _watch(user, threads) -> None:
    mine = {s.thread_id for s in db.session.scalars(
        select(Subscription).where(Subscription.user_id == user.id))}
    for thread in threads[:2]:
        if thread.id not in mine:
            db.session.add(Subscription(user_id=user.id, thread_id=thread.id, watching=True,
                                        mode=MailMode.NONE))
    if threads and user.username.lower() == "priya":
        group_id = threads[0].group_id
        exists = db.session.scalar(select(Subscription.id).where(
            Subscription.user_id == user.id, Subscription.group_id == group_id))
        if exists is None:  # priya takes her busiest group post by post, and watches it
            db.session.add(Subscription(user_id=user.id, group_id=group_id, watching=True,
                                        mode=MailMode.EACH))
    db.session.flush()


def _notify(user, threads) -> None:
    if not threads:
        return
    posts = list(db.session.scalars(
        select(Post).where(Post.thread_id.in_([t.id for t in threads]),
                           Post.status == PostStatus.PUBLISHED,
                           Post.author_id != user.id)
        .order_by(Post.id.desc()).limit(PER_MEMBER)))
    told = set(db.session.scalars(select(Notification.post_id)
                                  .where(Notification.user_id == user.id)))
    group_of = {t.id: t.group_id for t in threads}
    now = utcnow()
    for n, post in enumerate(posts):
        if post.id in told:
            continue
        db.session.add(Notification(
            user_id=user.id, post_id=post.id, thread_id=post.thread_id,
            group_id=group_of[post.thread_id], actor_id=post.author_id,
            kind=_kind(user, post), created_at=now - timedelta(hours=3 * n),
            read_at=now if n == len(posts) - 1 and n > 0 else None,
        ))


def _kind(user, post) -> NotificationKind:
    parent = db.session.get(Post, post.parent_id) if post.parent_id else None
    if parent is not None and parent.author_id == user.id:
        return NotificationKind.REPLY
    if f"@{user.username}".lower() in (post.source or "").lower():
        return NotificationKind.MENTION
    return NotificationKind.WATCHED_THREAD
