"""Notifications: who hears about a post, in the app and by e-mail.

The contract with discussions: call ``post_published(post)`` in the same transaction as the
write that made a post visible (a new thread, a reply, a moderator's approval). It records the
in-app notifications and queues the outbox rows; it flushes and never commits. It runs a fixed
number of queries however many people watch (one for the subscriptions and who may read, one
bulk insert each for notifications and mails), and calling it twice for a post adds nothing.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

from sqlalchemy import and_, bindparam, event, exists, inspect, literal, or_, select, true, union
from sqlalchemy.orm import Session

from forum.db import insert_or_merge, utcnow
from forum.discussions.models import Post, PostStatus, Thread
from forum.extensions import db
from forum.groups.models import Group
from forum.mail import queue_bulk, withdraw_post_mail
from forum.mailing.models import Delivery
from forum.notifications.audience import chunks, mentioned_keys, user_ids_for_keys
from forum.notifications.emails import post_mail
from forum.notifications.models import (
    KIND_STRENGTH,
    MailMode,
    Notification,
    NotificationKind,
    NotificationSettings,
    Subscription,
)
from forum.permissions.audience import can_read_clause, can_read_params, is_private, may_announce
from forum.users.models import User


def post_published(post: Post) -> None:
    """Notify the people who should hear about ``post`` (replies, mentions, watchers)."""
    db.session.flush()  # the post has its id and path
    thread = db.session.get(Thread, post.thread_id)
    if not may_announce(post, thread):  # its words are for moderators at most, if anyone
        return
    group = db.session.get(Group, thread.group_id)
    answered = _answered_author(post)
    mentioned = set(user_ids_for_keys(mentioned_keys(post.source)).values())
    subs, allowed = _people(thread, group, {answered, *mentioned} - {None})
    reasons, mail_to = _audience(answered, mentioned, subs)
    reasons.pop(post.author_id, None)
    mail_to.discard(post.author_id)
    _notify({uid: kind for uid, kind in reasons.items() if uid in allowed}, post, thread)
    _mail([allowed[uid] for uid in sorted(mail_to) if uid in allowed], post, thread, group)
    _auto_watch(post.author_id, thread.id, subs)
    db.session.flush()


def _answered_author(post: Post) -> int | None:
    """Who wrote the post this one answers (the reply view has it loaded already)."""
    answered = post.reply_to_id or post.parent_id
    if answered is None:
        return None
    parent = db.session.get(Post, answered)
    return parent.author_id if parent is not None else None


def _people(thread: Thread, group: Group, direct: set[int]) -> tuple[list, dict[int, User]]:
    """In one statement: the subscriptions to the thread or its group, and — of their owners
    and of ``direct`` (whom the post answers or mentions) — who may read the group."""
    params = {**can_read_params(group), "thread_id": thread.id}
    if direct:
        params["direct"] = sorted(direct)
    rows = db.session.execute(_audience_stmt(is_private(group), bool(direct)), params).all()
    subs = [_Sub(user.id, thread_id, watching, mode)
            for user, _, thread_id, watching, mode in rows if watching is not None]
    allowed = {user.id: user for user, may_read, *_ in rows if may_read}
    return subs, allowed


@functools.cache
def _audience_stmt(private: bool, with_direct: bool):
    # Built once per shape (values are bound): composing it cost more than running it.
    watches = or_(Subscription.thread_id == bindparam("thread_id"),
                  Subscription.group_id == bindparam("group_id"))
    candidates = select(Subscription.user_id.label("user_id")).where(watches)
    if with_direct:
        candidates = union(candidates, select(User.id).where(
            User.id.in_(bindparam("direct", expanding=True))))
    people = candidates.subquery()
    return (select(User, can_read_clause(private).label("may_read"), Subscription.thread_id,
                   Subscription.watching, Subscription.mode)
            .join(people, people.c.user_id == User.id)
            .outerjoin(Subscription, and_(Subscription.user_id == User.id, watches)))


class _Sub(NamedTuple):
    user_id: int
    thread_id: int | None
    watching: bool
    mode: MailMode


def _audience(answered: int | None, mentioned: set[int], subs: list[_Sub]
              ) -> tuple[dict[int, NotificationKind], set[int]]:
    """Why each person would hear of the post (strongest reason), and who wants it by mail."""
    reasons: dict[int, NotificationKind] = {}

    def add(user_id: int | None, kind: NotificationKind) -> None:
        if user_id is None:
            return
        current = reasons.get(user_id)
        if current is None or KIND_STRENGTH[kind] < KIND_STRENGTH[current]:
            reasons[user_id] = kind

    add(answered, NotificationKind.REPLY)
    for user_id in mentioned:
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
    """One bulk insert; a person already told of this post (a second call) is skipped."""
    if not reasons:
        return
    now = utcnow()
    rows = [
        {"user_id": uid, "post_id": post.id, "thread_id": thread.id, "group_id": thread.group_id,
         "actor_id": post.author_id, "kind": kind, "created_at": now, "read_at": None}
        for uid, kind in sorted(reasons.items())
    ]
    db.session.execute(insert_or_merge(db.session, Notification).on_conflict_do_nothing(
        index_elements=[Notification.user_id, Notification.post_id]), rows)


def _mail(recipients: list[User], post: Post, thread: Thread, group: Group) -> None:
    # Whose address keeps bouncing gets no group mail until they resume it (mailing.bounces).
    recipients = [user for user in recipients if not user.mail_paused]
    if not recipients:
        return
    author = db.session.get(User, post.author_id) if post.author_id else None
    mails = [post_mail(post, thread, group, author, user) for user in recipients]
    queued: set[str] = set()
    for part in chunks(m["message_id"] for m in mails):
        queued.update(db.session.scalars(
            select(Delivery.message_id).where(Delivery.message_id.in_(part))))
    queue_bulk([m for m in mails if m["message_id"] not in queued])


def _auto_watch(author_id: int | None, thread_id: int, subs: list[_Sub]) -> None:
    """Whoever starts or joins a thread watches it, unless they said not to (a thread row
    already exists — watching or muted — or their settings turn auto-watch off): one INSERT
    that asks the settings itself and yields to a row a concurrent request wrote first."""
    if author_id is None or any(s.user_id == author_id and s.thread_id == thread_id
                                for s in subs):
        return
    columns = Subscription.__table__.c
    now = literal(utcnow(), type_=columns.created_at.type)
    opted_out = exists().where(NotificationSettings.user_id == author_id,
                               NotificationSettings.auto_watch.is_(False))
    rows = select(literal(author_id), literal(thread_id), true(),
                  literal(MailMode.NONE, type_=columns.mode.type), now, now).where(~opted_out)
    db.session.execute(
        insert_or_merge(db.session, Subscription)
        .from_select(["user_id", "thread_id", "watching", "mode", "created_at", "updated_at"],
                     rows)
        .on_conflict_do_nothing(index_elements=[Subscription.user_id, Subscription.thread_id]))


def auto_watch_enabled(user_id: int) -> bool:
    setting = db.session.get(NotificationSettings, user_id)
    return setting is None or setting.auto_watch


@event.listens_for(Session, "before_flush")
def _withdraw_mail_of_posts_leaving_view(session, flush_context, instances) -> None:
    """A post that stops being published (hidden by a moderator or by flags, removed by its
    author) takes its waiting mails with it, whichever service changed its status: one
    listener rather than a call in each of them. Registered when this module is imported,
    which create_app does (through the notifications views) before any request."""
    ids = [obj.id for obj in session.dirty
           if isinstance(obj, Post) and obj.id is not None and _left_published(obj)]
    if ids:
        withdraw_post_mail(ids, session)


def _left_published(post: Post) -> bool:
    old = inspect(post).attrs.status.history.deleted
    return bool(old) and old[0] == PostStatus.PUBLISHED and post.status != PostStatus.PUBLISHED
