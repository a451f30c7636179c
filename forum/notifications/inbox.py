"""A member's in-app notifications: the bell's count, the list, marking read."""

from __future__ import annotations

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import joinedload

from forum.db import utcnow
from forum.discussions.models import Post, Thread
from forum.extensions import db
from forum.notifications.models import Notification
from forum.pagination import paginate_entities
from forum.users.models import User

BELL_CAP = 99  # the bell shows "99+" beyond this; counting stops there, so it stays cheap
PER_PAGE = 25


def _unread_capped(user_id, correlate_to=None):
    capped = (select(Notification.id)
              .where(Notification.user_id == user_id, Notification.read_at.is_(None))
              .limit(BELL_CAP + 1))
    if correlate_to is not None:  # the users row of the statement this one sits in
        capped = capped.correlate(correlate_to)
    return select(func.count()).select_from(capped.subquery())


# Built once; the header prints it on every signed-in page, so it normally arrives with the
# signed-in user (forum.auth.sessions.load_user) and this statement runs only for anyone else.
_UNREAD_CAPPED = _unread_capped(bindparam("user_id"))


def unread_notifications_column():
    """The count as a scalar subquery correlated to ``users``, for the sign-in statement."""
    return _unread_capped(User.id, correlate_to=User).scalar_subquery()


def unread_count(user) -> int:
    """Unread notifications, up to BELL_CAP + 1: loaded with the signed-in user, else one
    indexed query (the layout asks once per page)."""
    preloaded = getattr(user, "loaded_with_session", None)
    if preloaded is not None:
        return preloaded.unread_notifications
    return db.session.scalar(_UNREAD_CAPPED, {"user_id": user.id}) or 0


def page_of(user_id: int, page: int):
    """One page of the member's notifications, newest first, with what each one shows.

    Each row is shown through its post as it is now — with the post's thread and that
    thread's group, not the notification's own thread and group columns, which keep where
    the post was when it was announced (a thread moved into a private group, a branch split
    off) — so the template asks ``perms.can_see_post(n.post)`` with no query per row."""
    query = (select(Notification)
             .where(Notification.user_id == user_id)
             .options(joinedload(Notification.post).joinedload(Post.thread)
                      .joinedload(Thread.group), joinedload(Notification.actor))
             .order_by(Notification.id.desc()))
    return paginate_entities(query, page=page, per_page=PER_PAGE)


def find(user_id: int, notification_id: int) -> Notification | None:
    """The member's own notification, or None (someone else's is as good as missing)."""
    return db.session.scalar(select(Notification).where(
        Notification.id == notification_id, Notification.user_id == user_id))


def mark_read(notification: Notification) -> bool:
    if notification.read_at is not None:
        return False
    notification.read_at = utcnow()
    db.session.flush()
    return True


def mark_all_read(user_id: int) -> int:
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    return result.rowcount or 0


def mark_read_in_thread(user_id: int, thread_id: int, up_to_post_id: int) -> int:
    """The member has read ``thread_id`` up to ``up_to_post_id`` (the thread page's mark-read
    POST, by its script after a moment on the page or by its button): their notifications
    about the posts it covers are read too, so following a notification's link to the post
    marks it read without the GET writing anything. By the post's thread as it is now (a
    moved or split post is read where it lives)."""
    covered = select(Post.id).where(Post.thread_id == thread_id, Post.id <= up_to_post_id)
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None),
               Notification.post_id.in_(covered.scalar_subquery()))
        .values(read_at=utcnow()).execution_options(synchronize_session=False))
    return result.rowcount or 0


def mark_read_in_group(user_id: int, group_id: int) -> int:
    """"Mark all read" on a group: its threads' notifications too."""
    covered = select(Post.id).join(Thread, Thread.id == Post.thread_id).where(
        Thread.group_id == group_id)
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None),
               Notification.post_id.in_(covered.scalar_subquery()))
        .values(read_at=utcnow()).execution_options(synchronize_session=False))
    return result.rowcount or 0
