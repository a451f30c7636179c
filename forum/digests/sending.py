"""Daily and weekly digests: ``flask digests --period daily|weekly``.

Per member, the new posts since their last digest in the groups they set to that period (a
group they belong to and never configured counts as ``DEFAULT_MODE``, a daily digest), with
recommendation counts, in one mail: first the posts that @mention them ("Mentions of you"),
then the discussions their groups' leaders started ("From your groups' leaders"), then the
rest by group and thread, each with a reply-by-mail and a mute link. Each member is
one short transaction: the mail is queued and their cursor moved together, so a crash loses
nothing and sends nothing twice, and running the command again straight away finds nothing
new. Two runs at once cannot both send: the
cursor moves only from the value this run read (or is inserted once, under a unique key).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import datetime, timedelta
from urllib.parse import quote

import click
from flask import current_app
from sqlalchemy import case, exists, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from forum.control_chars import one_line
from forum.db import utcnow, writing
from forum.digests.sections import coming_up, get_involved
from forum.discussions.models import Post, Thread
from forum.extensions import db
from forum.groups.models import Group, Membership, MembershipStatus
from forum.groups.services import leaders_by_group
from forum.mail import queue_template
from forum.markup import plain_text
from forum.notifications.addresses import reply_address
from forum.notifications.emails import absolute, mute_token, post_url, unsubscribe_token
from forum.notifications.models import (
    DEFAULT_MODE,
    DigestCursor,
    MailMode,
    Notification,
    NotificationKind,
    Subscription,
)
from forum.permissions import Permissions, visible_posts_clause
from forum.users.models import User

log = logging.getLogger(__name__)
PERIODS = {"daily": timedelta(days=1), "weekly": timedelta(days=7)}
MAX_POSTS = 100  # per digest; the rest are on the site ("and more")


@click.command("digests")
@click.option("--period", type=click.Choice(list(PERIODS)), required=True,
              help="Which digest to send: run daily at a quiet hour, and weekly once a week.")
def digests_command(period: str) -> None:
    """Queue the daily or weekly digest mails (the outbox worker sends them)."""
    count = send_digests(period)
    click.echo(f"Queued {count} {period} digest(s).")


def subscribers(period: str) -> dict[int, set[int]]:
    """Group ids per member whose e-mail mode for them is ``period``."""
    mode = MailMode(period)
    result: dict[int, set[int]] = defaultdict(set)
    rows = db.session.execute(select(Subscription.user_id, Subscription.group_id).where(
        Subscription.group_id.is_not(None), Subscription.mode == mode))
    for user_id, group_id in rows:
        result[user_id].add(group_id)
    if mode == DEFAULT_MODE:
        configured = exists().where(Subscription.user_id == Membership.user_id,
                                    Subscription.group_id == Membership.group_id)
        rows = db.session.execute(select(Membership.user_id, Membership.group_id).where(
            Membership.status == MembershipStatus.ACTIVE, ~configured))
        for user_id, group_id in rows:
            result[user_id].add(group_id)
    return dict(result)


def send_digests(period: str, now: datetime | None = None, *,
                 due: set[int] | None = None) -> int:
    """Queue one digest per member who has something new; return how many were queued.
    ``due``: only these members, and each one's period counts as done even with nothing new
    (the schedule's run, forum.digests.schedule)."""
    if period not in PERIODS:
        raise ValueError(f"unknown digest period {period!r}")
    now = now or utcnow()
    with writing():
        db.session.commit()  # a clean start: every member below is one transaction
        high = db.session.scalar(select(func.max(Post.id))) or 0
        plan = subscribers(period)
        if due is not None:
            plan = {user_id: groups for user_id, groups in plan.items() if user_id in due}
        db.session.commit()
        queued = 0
        for user_id in sorted(plan):
            try:
                queued += _digest_for(user_id, plan[user_id], period, high, now,
                                      scheduled=due is not None)
                db.session.commit()
            except IntegrityError:  # another run made this member's cursor first
                db.session.rollback()
    return queued


def _digest_for(user_id: int, group_ids: set[int], period: str, high: int,
                now: datetime, *, scheduled: bool = False) -> int:
    user = db.session.get(User, user_id)
    perms = Permissions(user)
    if user is None or not perms.is_member:
        return 0
    groups = [g for g in db.session.scalars(select(Group).where(Group.id.in_(group_ids)))
              if perms.can_read(g)]
    cursor = db.session.scalar(select(DigestCursor).where(
        DigestCursor.user_id == user_id, DigestCursor.period == period))
    since_id = cursor.last_post_id if cursor else None
    if not _move_cursor(cursor, user_id, period, high, now, scheduled=scheduled):
        return 0
    if user.mail_paused:  # the address bounces (mailing.bounces): the period passes unsent
        return 0
    posts = _new_posts(perms, [g.id for g in groups], since_id, high, now - PERIODS[period])
    if not posts:
        return 0
    _queue(user, period, groups, posts, perms)
    return 1


def _move_cursor(cursor, user_id: int, period: str, high: int, now: datetime, *,
                 scheduled: bool = False) -> bool:
    """Advance (or create) the cursor; False if another run moved it first or nothing is new
    (on schedule, nothing new still marks this period's digest done: ``sent_at`` moves)."""
    if cursor is None:
        db.session.add(DigestCursor(user_id=user_id, period=period, last_post_id=high,
                                    sent_at=now))
        db.session.flush()  # a concurrent run's row makes this raise IntegrityError
        return True
    if cursor.last_post_id >= high:
        if scheduled:
            db.session.execute(update(DigestCursor).where(
                DigestCursor.id == cursor.id, DigestCursor.sent_at == cursor.sent_at)
                .values(sent_at=now))
        return False
    moved = db.session.execute(
        update(DigestCursor)
        .where(DigestCursor.id == cursor.id, DigestCursor.last_post_id == cursor.last_post_id)
        .values(last_post_id=high, sent_at=now)
    ).rowcount
    return moved == 1


def _new_posts(perms, group_ids: list[int], since_id: int | None, high: int,
               since_time: datetime) -> list[tuple[Post, bool]]:
    """The new posts a digest quotes, each with whether it @mentions this member (those come
    first, and are kept even in a muted thread, as the app's mention notifications are): only
    those this member may see now (in SQL, before the LIMIT: ``visible_posts_clause``),
    whatever was true when they were written. One statement: the mention is the
    notification the post already left (``Notification.kind``), outer-joined."""
    if not group_ids:
        return []
    user_id = perms.user_id
    mentioned = Notification.id.is_not(None)
    query = (
        select(Post, mentioned).join(Thread, Thread.id == Post.thread_id)
        .join(Group, Group.id == Thread.group_id)
        .outerjoin(Notification, (Notification.post_id == Post.id)
                   & (Notification.user_id == user_id)
                   & (Notification.kind == NotificationKind.MENTION))
        .where(Thread.group_id.in_(group_ids), visible_posts_clause(perms), Post.id <= high,
               (Post.author_id != user_id) | Post.author_id.is_(None),
               mentioned | ~_muted(user_id))
        .options(joinedload(Post.author), joinedload(Post.thread))
        .order_by(case((mentioned, 0), else_=1), Thread.group_id, Post.thread_id, Post.id)
        .limit(MAX_POSTS)
    )
    # A first digest covers one period back, not the whole history.
    query = query.where(Post.id > since_id) if since_id is not None \
        else query.where(Post.created_at >= since_time)
    return [(post, bool(is_mention)) for post, is_mention in db.session.execute(query)]


def _muted(user_id: int):
    """The member muted the post's thread (unwatched it, or "Mute this discussion")."""
    return exists().where(Subscription.user_id == user_id,
                          Subscription.thread_id == Post.thread_id,
                          Subscription.watching.is_(False))


def _actions(post: Post, user: User) -> dict:
    """A listed post's links that act from the mail: answer it by mail (the signed reply
    address, as in per-post mail), and mute its thread with one signed click."""
    subject = quote(f"Re: {one_line(post.thread.title)}", safe="")
    return {
        "reply_mailto": f"mailto:{reply_address(post.id, user.id)}?subject={subject}",
        "mute_url": absolute("notifications.mute", token=mute_token(user.id, post.thread_id)),
    }


def _entry(post: Post, user: User, excerpt: int = 200) -> dict:
    return {
        "author": post.author.display_name if post.author else "A former member",
        "created_at": post.created_at, "recommend_count": post.recommend_count,
        "excerpt": plain_text(post.html, excerpt), "url": post_url(post.id),
        **_actions(post, user),
    }


def _queue(user: User, period: str, groups: list[Group],
           posts: list[tuple[Post, bool]], perms) -> None:
    by_group = {g.id: {"name": g.name, "threads": {}} for g in groups}
    leaders = leaders_by_group(by_group)
    mentions, announcements = [], []
    for post, is_mention in posts:
        if is_mention:  # "Mentions of you", at the top, each with its group and thread
            mentions.append({**_entry(post, user), "title": post.thread.title,
                             "group": by_group[post.thread.group_id]["name"]})
            continue
        if post.parent_id is None and (post.thread.group_id, post.author_id) in leaders:
            # A discussion a group's leader started: "From your groups' leaders", next.
            announcements.append({**_entry(post, user, excerpt=400),
                                  "title": post.thread.title,
                                  "group": by_group[post.thread.group_id]["name"]})
            continue
        threads = by_group[post.thread.group_id]["threads"]
        entry = threads.setdefault(post.thread_id, {"title": post.thread.title, "posts": []})
        entry["posts"].append(_entry(post, user))
    sections = [{"name": g["name"], "threads": list(g["threads"].values())}
                for g in by_group.values() if g["threads"]]
    unsubscribe_url = absolute("notifications.unsubscribe",
                               token=unsubscribe_token(user.id, period=period))
    queue_template(
        user.email, f"Your {period} digest: {len(posts)} new post{'s' if len(posts) != 1 else ''}",
        "digest", headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Precedence": "list", "Auto-Submitted": "auto-generated",
        },
        reader=user, user=user, period=period, groups=sections, mentions=mentions,
        announcements=announcements, total=len(posts),
        coming_up=coming_up(perms), get_involved=get_involved(perms),
        site_name=current_app.config["SITE_NAME"], unsubscribe_url=unsubscribe_url,
        settings_url=absolute("notifications.settings"),
    )
