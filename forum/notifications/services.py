"""Notifications: who hears about a post, in the app and by e-mail.

The contract with discussions: call ``post_published(post)`` in the same transaction as the
write that made a post visible (a new thread, a reply, a moderator's approval). It records the
in-app notifications and queues the outbox rows; it flushes and never commits. It runs a fixed
number of queries however many people watch (one for subscriptions, one for who may read, one
bulk insert each for notifications and mails), and calling it twice for a post adds nothing.
"""

from __future__ import annotations

from sqlalchemy import insert, or_, select

from forum.db import utcnow
from forum.discussions.models import Post, PostStatus, Thread
from forum.extensions import db
from forum.groups.models import Group
from forum.mail import queue_bulk
from forum.mailing.models import Delivery
from forum.notifications.audience import chunks, mentioned_keys, readers, user_ids_for_keys
from forum.notifications.emails import post_mail
from forum.notifications.models import (
    KIND_STRENGTH,
    MailMode,
    Notification,
    NotificationKind,
    NotificationSettings,
    Subscription,
)
from forum.users.models import User


def post_published(post: Post) -> None:
    """Notify the people who should hear about ``post`` (replies, mentions, watchers)."""
    db.session.flush()  # the post has its id and path
    thread = db.session.get(Thread, post.thread_id)
    if post.status != PostStatus.PUBLISHED or thread is None or thread.hidden:
        return
    group = db.session.get(Group, thread.group_id)
    subs = db.session.execute(
        select(Subscription.user_id, Subscription.thread_id, Subscription.watching,
               Subscription.mode)
        .where(or_(Subscription.thread_id == thread.id, Subscription.group_id == group.id))
    ).all()
    reasons, mail_to = _audience(post, subs)
    reasons.pop(post.author_id, None)
    mail_to.discard(post.author_id)
    allowed = readers(group, set(reasons) | mail_to)
    _notify({uid: kind for uid, kind in reasons.items() if uid in allowed}, post, thread)
    _mail([allowed[uid] for uid in sorted(mail_to) if uid in allowed], post, thread, group)
    _auto_watch(post.author_id, thread.id, subs)
    db.session.flush()


def _audience(post: Post, subs) -> tuple[dict[int, NotificationKind], set[int]]:
    """Why each person would hear of the post (strongest reason), and who wants it by mail."""
    reasons: dict[int, NotificationKind] = {}

    def add(user_id: int | None, kind: NotificationKind) -> None:
        if user_id is None:
            return
        current = reasons.get(user_id)
        if current is None or KIND_STRENGTH[kind] < KIND_STRENGTH[current]:
            reasons[user_id] = kind

    answered = post.reply_to_id or post.parent_id
    if answered:
        add(db.session.scalar(select(Post.author_id).where(Post.id == answered)),
            NotificationKind.REPLY)
    for user_id in user_ids_for_keys(mentioned_keys(post.source)).values():
        add(user_id, NotificationKind.MENTION)
    muted = {s.user_id for s in subs if s.thread_id is not None and not s.watching}
    mail_to: set[int] = set()
    for s in subs:
        if s.thread_id is not None:
            if s.watching:
                add(s.user_id, NotificationKind.WATCHED_THREAD)
            continue
        if s.user_id in muted:
            continue
        if s.watching:
            add(s.user_id, NotificationKind.WATCHED_GROUP)
        if s.mode == MailMode.EACH:
            mail_to.add(s.user_id)
    return reasons, mail_to


def _notify(reasons: dict[int, NotificationKind], post: Post, thread: Thread) -> None:
    if not reasons:
        return
    told = set(db.session.scalars(select(Notification.user_id)
                                  .where(Notification.post_id == post.id)))
    now = utcnow()
    rows = [
        {"user_id": uid, "post_id": post.id, "thread_id": thread.id, "group_id": thread.group_id,
         "actor_id": post.author_id, "kind": kind, "created_at": now, "read_at": None}
        for uid, kind in sorted(reasons.items()) if uid not in told
    ]
    if rows:
        db.session.execute(insert(Notification), rows)


def _mail(recipients: list[User], post: Post, thread: Thread, group: Group) -> None:
    if not recipients:
        return
    author = db.session.get(User, post.author_id) if post.author_id else None
    mails = [post_mail(post, thread, group, author, user) for user in recipients]
    queued: set[str] = set()
    for part in chunks(m["message_id"] for m in mails):
        queued.update(db.session.scalars(
            select(Delivery.message_id).where(Delivery.message_id.in_(part))))
    queue_bulk([m for m in mails if m["message_id"] not in queued])


def _auto_watch(author_id: int | None, thread_id: int, subs) -> None:
    """Whoever starts or joins a thread watches it, unless they said not to (a thread row
    already exists — watching or muted — or their settings turn auto-watch off)."""
    if author_id is None or any(s.user_id == author_id and s.thread_id == thread_id
                                for s in subs):
        return
    if auto_watch_enabled(author_id):
        db.session.add(Subscription(user_id=author_id, thread_id=thread_id, watching=True,
                                    mode=MailMode.NONE))


def auto_watch_enabled(user_id: int) -> bool:
    setting = db.session.get(NotificationSettings, user_id)
    return setting is None or setting.auto_watch
