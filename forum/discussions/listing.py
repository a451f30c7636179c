"""Lists of threads: a group's discussions and the home page's latest discussions."""

from __future__ import annotations

from flask import g
from sqlalchemy import and_, or_, select, true
from sqlalchemy.orm import joinedload

from forum.discussions.models import Thread, ThreadRead
from forum.extensions import db
from forum.groups.models import Group
from forum.permissions import readable_groups_clause

THREADS_PER_PAGE = 25


def listed_threads_clause(perms, group: Group | None = None):
    """Threads a reader sees in lists: not hidden (unless they moderate), and with a visible
    opening post (a thread held for approval is listed for its author only)."""
    moderates = group is not None and perms.can_moderate(group)
    if moderates:
        return true()
    shown = Thread.hidden.is_(False)
    if perms.user_id is not None:
        return and_(shown, or_(Thread.post_count > 0, Thread.author_id == perms.user_id))
    return and_(shown, Thread.post_count > 0)


def group_threads(group: Group, page: int = 1):
    """Pinned first, then by last activity; with the reader's read mark: one query (+count)."""
    perms = g.perms
    stmt = (select(Thread).where(Thread.group_id == group.id, listed_threads_clause(perms, group))
            .options(joinedload(Thread.last_poster), joinedload(Thread.author))
            .order_by(Thread.pinned.desc(), Thread.last_post_at.desc(), Thread.id.desc()))
    pagination = db.paginate(stmt, page=max(page, 1), per_page=THREADS_PER_PAGE,
                             error_out=False, max_per_page=THREADS_PER_PAGE)
    pagination.read_marks = read_marks([t.id for t in pagination.items])
    return pagination


def read_marks(thread_ids: list[int]) -> dict[int, int]:
    """``{thread_id: last_read_post_id}`` for the reader: one query (none for visitors)."""
    if g.perms.user_id is None or not thread_ids:
        return {}
    rows = db.session.execute(select(ThreadRead.thread_id, ThreadRead.last_read_post_id).where(
        ThreadRead.user_id == g.perms.user_id, ThreadRead.thread_id.in_(thread_ids)))
    return dict(rows.all())


def is_unread(thread: Thread, marks: dict[int, int]) -> bool:
    if g.perms.user_id is None or thread.last_post_id is None:
        return False
    return thread.last_post_id > marks.get(thread.id, 0)


def latest_threads(perms, limit: int = 5) -> list[Thread]:
    """Latest discussions in interest groups the reader may read: one query."""
    from forum.groups.models import GroupKind

    stmt = (select(Thread).join(Thread.group)
            .where(readable_groups_clause(perms), Group.kind == GroupKind.INTEREST_GROUP,
                   Group.archived_at.is_(None), Thread.hidden.is_(False), Thread.post_count > 0)
            .options(joinedload(Thread.group), joinedload(Thread.last_poster))
            .order_by(Thread.last_post_at.desc()).limit(limit))
    return list(db.session.scalars(stmt).unique())
