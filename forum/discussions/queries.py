"""Lists of threads: a group's discussions and the home page's latest discussions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import NamedTuple

from sqlalchemy import and_, bindparam, func, null, or_, select, true

from forum.db import run_columns, sql_int
from forum.discussions.models import Thread, ThreadRead
from forum.extensions import db
from forum.groups.models import Group, GroupKind
from forum.pagination import Page, paged, paginate, with_total
from forum.permissions import Permissions, readable_groups_clause
from forum.users.models import User

THREADS_PER_PAGE = 25


def _listing_audience(perms, group: Group | None) -> str:
    """Which threads a reader sees in lists (the key of ``_LISTED``)."""
    if group is not None and perms.can_moderate(group):
        return "moderator"
    return "visitor" if perms.user_id is None else "member"


_SHOWN = Thread.hidden.is_(False)
# Threads a reader sees in lists: not hidden (unless they moderate), and with a visible opening
# post (a thread held for approval is listed for its author only, bound as :user_id).
_LISTED = {
    "moderator": true(),
    "member": and_(_SHOWN, or_(Thread.post_count > 0, Thread.author_id == bindparam("user_id"))),
    "visitor": and_(_SHOWN, Thread.post_count > 0),
}


class ThreadRow(NamedTuple):
    """What a row of a group's thread list prints: no entity, no relationship loaded."""

    id: int
    title: str
    pinned: bool
    locked: bool
    hidden: bool
    reply_count: int
    last_post_at: datetime
    last_post_id: int | None
    last_poster_name: str | None
    unread: bool  # it has posts the reader has not read (never for a visitor)


def _group_thread_statements(listed, with_marks: bool) -> tuple:
    """(rows, count) of a group's listed threads, built once per audience (building a statement
    costs more than the database takes to answer it). A signed-in reader's read mark comes in
    the same statement (an outer join), not in a second query."""
    where = (Thread.group_id == bindparam("group_id"), listed)
    mark = (ThreadRead.last_read_post_id if with_marks else null()).label("last_read_post_id")
    rows = (select(Thread.id, Thread.title, Thread.pinned, Thread.locked, Thread.hidden,
                   Thread.post_count, Thread.last_post_at, Thread.last_post_id,
                   User.display_name, mark)
            .outerjoin(User, User.id == Thread.last_poster_id))
    if with_marks:
        rows = rows.outerjoin(ThreadRead, and_(ThreadRead.thread_id == Thread.id,
                                               ThreadRead.user_id == bindparam("user_id")))
    rows = rows.where(*where).order_by(Thread.pinned.desc(), Thread.last_post_at.desc(),
                                       Thread.id.desc())
    count = select(func.count()).where(*where)
    return paged(with_total(rows, count)), count


_GROUP_THREADS = {audience: _group_thread_statements(listed, audience != "visitor")
                  for audience, listed in _LISTED.items()}


def group_threads(perms, group: Group, page: int = 1) -> Page[ThreadRow]:
    """Pinned first, then by last activity, as plain rows: one query with the reader's read
    marks (+count)."""
    audience = _listing_audience(perms, group)
    rows, count = _GROUP_THREADS[audience]
    found = paginate(rows, count=count, params={"group_id": group.id, "user_id": perms.user_id},
                     page=page, per_page=THREADS_PER_PAGE)
    marks = audience != "visitor"
    found.items = [
        ThreadRow(id=r.id, title=r.title, pinned=r.pinned, locked=r.locked, hidden=r.hidden,
                  reply_count=max(r.post_count - 1, 0), last_post_at=r.last_post_at,
                  last_post_id=r.last_post_id, last_poster_name=r.display_name,
                  unread=marks and r.last_post_id is not None
                  and r.last_post_id > (r.last_read_post_id or 0))
        for r in found.items]
    return found


@dataclass(frozen=True)
class GroupThreads:
    """What templates/discussions/_group_threads.html prints: the reader's rights in the group
    (asked of forum.permissions once) and, only if they may read it, a page of threads."""

    can_read: bool
    can_start: bool
    signed_in: bool
    can_mark_read: bool  # a member of the group ("Mark all read" shows when a row is unread)
    page: Page[ThreadRow] | None


def threads_for_group(perms, group: Group, page: int = 1) -> GroupThreads:
    """The group's discussions for this reader (the group page and /g/<slug>/discussions)."""
    can_read = perms.can_read(group)
    return GroupThreads(
        can_read=can_read,
        can_start=can_read and perms.can_start_thread(group),
        signed_in=perms.is_authenticated,
        can_mark_read=perms.is_group_member(group),
        page=group_threads(perms, group, page) if can_read else None,
    )


def _latest_statement(readable, limit: int):
    """The home page's latest discussions as plain rows: the block prints the thread's title,
    reply count and date, and its group's slug and name; loading Thread, Group and User
    entities for that cost more than the query. (Listed threads have an opening post, so
    post_count - 1 is the reply count.)"""
    return (select(Thread.id, Thread.title, (Thread.post_count - sql_int(1)).label("reply_count"),
                   Thread.last_post_at, Group.slug.label("group_slug"),
                   Group.name.label("group_name"))
            .join(Group, Group.id == Thread.group_id)
            .where(readable, Group.kind == GroupKind.INTEREST_GROUP, Group.archived_at.is_(None),
                   Thread.hidden.is_(False), Thread.post_count > sql_int(0))
            .order_by(Thread.last_post_at.desc(), Thread.id.desc())
            .limit(sql_int(limit)))


@cache
def _visitor_latest_statement(limit: int):
    """Every visitor reads the same groups: their statement is built once per process."""
    return _latest_statement(readable_groups_clause(Permissions()), limit)


class LatestThread(NamedTuple):
    """A row of the home page's latest discussions."""

    id: int
    title: str
    reply_count: int
    last_post_at: datetime
    group_slug: str
    group_name: str


def latest_threads(perms, limit: int = 5) -> list[LatestThread]:
    """Latest discussions in interest groups the reader may read, as plain rows (one query).
    What a signed-in reader may read depends on their memberships: built per call."""
    if perms.is_authenticated:
        stmt = _latest_statement(readable_groups_clause(perms), limit)
    else:
        stmt = _visitor_latest_statement(limit)
    return [LatestThread(id=r.id, title=r.title, reply_count=r.reply_count,
                         last_post_at=r.last_post_at, group_slug=r.group_slug,
                         group_name=r.group_name)
            for r in run_columns(db.session, stmt)]
