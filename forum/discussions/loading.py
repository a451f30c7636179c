"""Load-or-404, then authorise: one small helper per object type (flaskr's ``get_post``)."""

from __future__ import annotations

import functools

from flask import abort, redirect, request, url_for
from sqlalchemy import and_, bindparam, select
from sqlalchemy.orm import contains_eager

from forum.discussions.models import Post, Thread, ThreadRead
from forum.extensions import db
from forum.groups.models import Group
from forum.notifications.models import Subscription


def load_group(perms, slug: str, *, read: bool = False) -> Group:
    """The group with its section (whose time zone a visitor reads dates in), or 404."""
    group = db.session.scalar(select(Group).join(Group.section)
                              .options(contains_eager(Group.section)).where(Group.slug == slug))
    if group is None:
        abort(404)
    perms.ensure(perms.can_view(group), hide=True)
    if read:
        perms.ensure(perms.can_read(group))
    return group


def load_thread(perms, slug: str, thread_id: int) -> Thread:
    """The thread and its group in one query, in the session (for a request that may change
    them); 404 where its existence must not leak."""
    thread = db.session.scalar(_thread_stmt(), {"thread_id": thread_id, "slug": slug})
    if thread is None:
        redirect_if_moved(perms, thread_id)
        abort(404)
    perms.ensure(perms.can_read_thread(thread), hide=perms.hides_thread(thread))
    return thread


@functools.cache
def _thread_stmt():
    # Built once: on a read page, building the statement cost more than running it. The
    # group's section comes along: a visitor reads the page's dates in its time zone.
    return (select(Thread).join(Thread.group).join(Group.section)
            .options(contains_eager(Thread.group).contains_eager(Group.section))
            .where(Thread.id == bindparam("thread_id"), Group.slug == bindparam("slug")))


@functools.cache
def _reading_stmt(read_mark: bool):
    """The thread with its group (ORM entities, as ``load_thread``), and for a signed-in
    reader their read mark and whether they watch the thread (None: no subscription row),
    asked in the same statement rather than by statements of their own."""
    stmt = _thread_stmt()
    if read_mark:
        stmt = stmt.add_columns(
            select(ThreadRead.last_read_post_id).where(
                ThreadRead.user_id == bindparam("reader_id"), ThreadRead.thread_id == Thread.id)
            .scalar_subquery().label("last_read"),
            select(Subscription.watching).where(
                Subscription.user_id == bindparam("reader_id"),
                Subscription.thread_id == Thread.id)
            .scalar_subquery().label("watching"))
    return stmt


def load_thread_for_reading(perms, slug: str, thread_id: int
                            ) -> tuple[Thread, int | None, bool | None]:
    """``(thread, last_read_post_id, watching)`` for a page that reads them: the thread and
    its group, and a signed-in reader's read mark and whether they watch the thread (None for
    a visitor), in one statement; 404 where the thread's existence must not leak."""
    reader_id = perms.user_id
    row = db.session.execute(_reading_stmt(reader_id is not None),
                             {"thread_id": thread_id, "slug": slug, "reader_id": reader_id}
                             ).first()
    if row is None:
        redirect_if_moved(perms, thread_id)
        abort(404)
    thread = row.Thread
    perms.ensure(perms.can_read_thread(thread), hide=perms.hides_thread(thread))
    if reader_id is None:
        return thread, None, None
    return thread, row.last_read, bool(row.watching)


def redirect_if_moved(perms, thread_id: int) -> None:
    """A thread's address names its group, so a thread moved to another group (or a group
    that changed its slug) would break every link to it in mail and bookmarks. The thread's
    id is stable: when a reading request names the id under another group, answer with a
    permanent redirect to the same page under the thread's current group — after asking the
    current group's rule, so a reader who may not read it learns nothing of where it went
    (404 where its existence must not leak). Writes (POST) are not redirected."""
    if request.method not in ("GET", "HEAD") or request.endpoint is None:
        return
    thread = db.session.scalar(
        select(Thread).join(Thread.group).options(contains_eager(Thread.group))
        .where(Thread.id == thread_id))
    if thread is None:
        return
    perms.ensure(perms.can_read_thread(thread), hide=perms.hides_thread(thread))
    abort(permanent_redirect(url_for(
        request.endpoint, **{**(request.view_args or {}), "slug": thread.group.slug},
        **request.args.to_dict())))


def permanent_redirect(location: str):
    """301: the page lives there now. Not kept by the browser (``private, no-cache``): the
    answer depends on who asks, and a thread moved back must not loop on a cached hop."""
    response = redirect(location, code=301)
    response.headers["Cache-Control"] = "private, no-cache"
    return response


def load_thread_with_post(perms, slug: str, thread_id: int, post_id: int | None
                          ) -> tuple[Thread, Post | None]:
    """The thread, its group and one of its posts — the opening post when ``post_id`` is None
    — in one query, as a reply needs all three. The post is None when the thread has no
    such post; the caller decides what that means."""
    which = Post.id == post_id if post_id is not None else Post.depth == 0
    row = db.session.execute(
        select(Thread, Post).join(Thread.group).options(contains_eager(Thread.group))
        .outerjoin(Post, and_(Post.thread_id == Thread.id, which))
        .where(Thread.id == thread_id, Group.slug == slug)).first()
    if row is None:
        abort(404)
    thread, post = row
    perms.ensure(perms.can_read_thread(thread), hide=perms.hides_thread(thread))
    return thread, post


def load_post(perms, post_id: int) -> Post:
    """A post with its thread and group, where the thread page lists it (``can_reach_post``:
    others' held posts do not exist for the reader). A view that prints the post's words asks
    ``perms.ensure_can_see_post`` as well."""
    post = db.session.scalar(
        select(Post).join(Post.thread).join(Thread.group)
        .options(contains_eager(Post.thread).contains_eager(Thread.group))
        .where(Post.id == post_id))
    if post is None:
        abort(404)
    thread = post.thread
    perms.ensure(perms.can_read_thread(thread), hide=perms.hides_thread(thread))
    perms.ensure(perms.can_reach_post(post), hide=perms.hides_post(post))
    return post


def ensure_can_reply(perms, thread: Thread) -> None:
    """A locked thread says so (403 with a message) instead of a bare refusal."""
    if thread.locked and perms.can_read_thread(thread) and not perms.can_moderate(thread.group):
        if perms.is_authenticated:
            abort(403, description="This discussion is locked: no new replies can be posted.")
    perms.ensure(perms.can_reply(thread))
