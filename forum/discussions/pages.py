"""Reading a thread: pages of the tree or of the time line, each a constant number of queries.

Tree pages are cut at top-level-reply boundaries: page N holds top-level replies
(N-1)*TOP_PER_PAGE+1 … N*TOP_PER_PAGE with their whole branches (down to DISPLAY_DEPTH): one range
query on ``path`` whose bounds, the paths of two top-level replies picked by position, are
subqueries of the same statement. A branch too big for one page (more than PAGE_CAP posts)
continues with a keyset link ``?page=N&after=<path>``; the continuation says which post it
continues under. Where a post is (for its permalink) is in ``permalinks``.

Pages are loaded as plain rows (``PostRow``), not ORM entities: the columns a page prints, the
names of the author and of whom each post answers, and — folded into the same statement — whether
a post has replies beyond the display depth, its attached files (one JSON value, read by
``files.attachments.attached_files``), and whether the reader recommended it.
``discussions.reading`` turns them into what the page prints.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import Integer, bindparam, case, exists, false, func, or_, select, true
from sqlalchemy.orm import aliased

from forum.db import run_columns
from forum.discussions.models import (
    DISPLAY_DEPTH,
    Post,
    PostStatus,
    Recommendation,
    Thread,
)
from forum.discussions.paging import Page
from forum.discussions.tree import PATH_RANGE_END, TreeItem, subtree_range, walk
from forum.extensions import db
from forum.files.attachments import attached_files_column
from forum.inbound.models import InboundMessage
from forum.users.models import User

TOP_PER_PAGE = 10  # top-level replies (with their branches) per tree page
# Posts per page at most, however big the branches: a page of a 2,000-reply thread then costs
# what a page of a 20-reply one does; the rest of a page follows a "More" (keyset) link.
PAGE_CAP = 25
FLAT_PER_PAGE = 25
VIEWS = ("tree", "oldest", "newest")


def _visibility(perms, thread: Thread) -> str:
    """Posts the reader sees in the list: all but other people's posts held for approval.

    Removed and hidden posts stay, as placeholders, so the tree keeps its shape."""
    if perms.can_moderate(thread.group):
        return "all"
    return "public" if perms.user_id is None else "own"


def _visible(kind: str, viewer=None):
    if kind == "all":
        return true()
    if kind == "public":
        return Post.status != PostStatus.PENDING
    viewer = bindparam("viewer_id", type_=Integer) if viewer is None else viewer
    return or_(Post.status != PostStatus.PENDING, Post.author_id == viewer)


def visible_clause(perms, thread: Thread):
    return _visible(_visibility(perms, thread), perms.user_id)


def _params(perms, thread: Thread, **values) -> dict:
    return {"thread_id": thread.id, "viewer_id": perms.user_id, "reader_id": perms.user_id,
            **values}


@dataclass(slots=True)
class PostRow:
    """One post as a page loads it; the fields are the posts statement's column labels."""

    id: int
    parent_id: int | None
    reply_to_id: int | None
    path: str
    depth: int
    author_id: int | None
    html: str
    status: str
    created_at: datetime
    edited_at: datetime | None
    recommend_count: int
    author_name: str | None  # display names (None: no such person any more)
    answered_name: str | None  # whom it answers: the post it replied to, else its parent
    deep: bool  # has replies past the display depth
    files: object  # attached files as one JSON value (files.attachments.attached_files)
    recommended: bool  # by the reader
    trimmed: str | None  # a post that came by mail: the quotes and signature cut from it
    top_level_count: int = 0  # tree pages: how many top-level replies the thread has

    @classmethod
    def of(cls, row) -> PostRow:
        # By the row's mapping: a SQLAlchemy row's attributes cost half a microsecond each.
        return cls(**row._mapping)


class ContinuedFrom(NamedTuple):
    """The post a page that starts mid-branch continues under (its author's name: None when
    they are no longer a member)."""

    post_id: int
    name: str | None


# --- the statements, built once per shape --------------------------------------------------
# Building a statement and its cache key costs more Python than running it: each shape is
# built once (values are bound parameters) and SQLAlchemy then reuses its compiled form.

def _rows(where, order, reader: bool, deep):
    """Posts with the two names they print (the author's, and whom the post answers), one row
    each. Whom it answers is the post it replied to when placed beside it at the depth cap,
    else its parent: one join to posts and one to users, not two of each (PostgreSQL spent a
    third of the statement's CPU on the joins)."""
    author, answered, answered_author = aliased(User), aliased(Post), aliased(User)
    recommended = false() if not reader else exists().where(
        Recommendation.post_id == Post.id,
        Recommendation.user_id == bindparam("reader_id", type_=Integer))
    return (
        select(Post.id, Post.parent_id, Post.reply_to_id, Post.path, Post.depth, Post.author_id,
               Post.html, Post.status, Post.created_at, Post.edited_at, Post.recommend_count,
               author.display_name.label("author_name"),
               answered_author.display_name.label("answered_name"), deep.label("deep"),
               attached_files_column(Post.id, Post.has_files).label("files"),
               recommended.label("recommended"), _trimmed_column())
        .outerjoin(author, author.id == Post.author_id)
        .outerjoin(answered, answered.id == func.coalesce(Post.reply_to_id, Post.parent_id))
        .outerjoin(answered_author, answered_author.id == answered.author_id)
        .where(*where).order_by(order)
    )


def _trimmed_column():
    """What was trimmed from a post that came by mail (forum.inbound): one index look-up per
    row on ``inbound_messages.post_id``, NULL for every post written on the site."""
    return (select(InboundMessage.trimmed).where(InboundMessage.post_id == Post.id)
            .limit(1).scalar_subquery().label("trimmed"))


def _deep_clause(limit):
    """Replies past the display depth: the next depth down in the post's range."""
    child = aliased(Post)
    return case((Post.depth == limit, exists().where(
        child.thread_id == Post.thread_id, child.depth == limit + 1,
        child.path > Post.path, child.path < Post.path + PATH_RANGE_END)), else_=false())


@functools.cache
def _tree_stmt(kind: str, after: bool, reader: bool):
    """Posts in ``[lo, hi)`` by path (or after a keyset), down to ``limit`` depth."""
    limit = bindparam("limit", type_=Integer)
    where = [Post.thread_id == bindparam("thread_id"), Post.depth <= limit, _visible(kind),
             Post.path > bindparam("after") if after else Post.path >= bindparam("lo"),
             Post.path < bindparam("hi")]
    return _rows(where, Post.path, reader, _deep_clause(limit)).limit(PAGE_CAP + 1)


@functools.cache
def _tree_page_stmt(kind: str, first: bool, after: bool, reader: bool):
    """Tree page ``number``'s posts, its bounds found in the same statement (a round trip
    less): it holds top-level replies ``lo_at`` up to ``hi_at`` (by position) with their
    branches, and each row carries how many top-level replies there are (the page links).
    Past the last page it returns no rows."""
    limit = bindparam("limit", type_=Integer)
    count, nth = _top_level(kind)
    # Both bounds always, the first page's a bound '' (it starts at the opening post): with
    # no lower bound PostgreSQL's cached (generic) plan walked the depth index and sorted the
    # thread's posts instead of reading 26 in path order (2.8 against 0.5 ms).
    lo = bindparam("lo") if first else nth("lo_at")
    where = [Post.thread_id == bindparam("thread_id"), Post.depth <= limit, _visible(kind),
             Post.path >= lo, Post.path < func.coalesce(nth("hi_at"), PATH_RANGE_END)]
    if after:  # a keyset inside the page (a big branch continues)
        where.append(Post.path > bindparam("after"))
    return (_rows(where, Post.path, reader, _deep_clause(limit))
            .add_columns(count.label("top_level_count")).limit(PAGE_CAP + 1))


@functools.cache
def _flat_stmt(kind: str, newest_first: bool, reader: bool):
    where = [Post.thread_id == bindparam("thread_id"), _visible(kind)]
    order = Post.id.desc() if newest_first else Post.id.asc()
    return (_rows(where, order, reader, false())
            .offset(bindparam("offset", type_=Integer)).limit(FLAT_PER_PAGE))


def _top_level(kind: str):
    """(how many top-level replies, nth(name): the path of the one at position :name)."""
    def top():
        return select(Post.path).where(Post.thread_id == bindparam("thread_id"),
                                       Post.depth == 1, _visible(kind))

    def nth(name: str):
        return top().order_by(Post.path).offset(bindparam(name, type_=Integer)).limit(1) \
            .scalar_subquery()

    return select(func.count()).select_from(top().subquery()).scalar_subquery(), nth


@functools.cache
def _bounds_stmt(kind: str):
    """How many top-level replies, and the paths of two of them (by position): one row."""
    count, nth = _top_level(kind)
    return select(count.label("top_level_count"), nth("lo_at").label("lo"),
                  nth("hi_at").label("hi"))


@functools.cache
def _count_stmt(kind: str):
    return select(func.count()).where(Post.thread_id == bindparam("thread_id"),
                                             _visible(kind))


class PageBounds(NamedTuple):
    number: int  # the page asked for, clamped to the pages there are
    pages: int
    lo: str  # the page holds the paths in [lo, hi)
    hi: str


def page_bounds(thread: Thread, perms, number: int) -> PageBounds:
    """Tree page ``number`` (clamped) and the paths it holds.

    Page 1 starts at the opening post; page N at top-level reply (N-1)*TOP_PER_PAGE. One
    statement counts the top-level replies and picks the two boundary paths by position."""
    stmt = _bounds_stmt(_visibility(perms, thread))
    while True:
        number = max(number, 1)
        params = _params(perms, thread, lo_at=(number - 1) * TOP_PER_PAGE,
                         hi_at=number * TOP_PER_PAGE)
        bounds = run_columns(db.session, stmt, params).one()
        count, lo, hi = bounds.top_level_count, bounds.lo, bounds.hi
        pages = max((count + TOP_PER_PAGE - 1) // TOP_PER_PAGE, 1)
        if number <= pages:  # else: asked past the end, so show the last page
            break
        number = pages
    # Page 1 starts at the opening post (''); ":" ends any path.
    return PageBounds(number, pages, "" if number == 1 else lo, hi or PATH_RANGE_END)


def tree_page(thread: Thread, perms, number: int, after: str | None) -> Page:
    number = max(number, 1)
    kind = _visibility(perms, thread)
    stmt = _tree_page_stmt(kind, number == 1, bool(after), perms.user_id is not None)
    params = _params(perms, thread, limit=DISPLAY_DEPTH, after=after, lo="",
                     lo_at=(number - 1) * TOP_PER_PAGE, hi_at=number * TOP_PER_PAGE)
    rows = run_columns(db.session, stmt, params).all()
    if not rows:  # past the last page (or a stale keyset): find the bounds, then read
        bounds = page_bounds(thread, perms, number)
        page = Page([], bounds.number, bounds.pages, "tree", after=after)
        return _fetch(thread, perms, page, bounds.lo, bounds.hi, DISPLAY_DEPTH)
    pages = max((rows[0].top_level_count + TOP_PER_PAGE - 1) // TOP_PER_PAGE, 1)
    return _paged(Page([], number, pages, "tree", after=after), rows)


def branch_page(thread: Thread, root: Post, perms, after: str | None) -> Page:
    """A subtree on its own page, so deep branches keep a readable width."""
    lo, hi = subtree_range(root.path)
    page = Page([], 1, 1, "tree", after=after)
    return _fetch(thread, perms, page, lo, hi, root.depth + DISPLAY_DEPTH)


def _fetch(thread: Thread, perms, page: Page, lo: str, hi: str, limit_depth: int) -> Page:
    keyset = bool(page.after and page.after >= lo)
    stmt = _tree_stmt(_visibility(perms, thread), keyset, perms.user_id is not None)
    params = _params(perms, thread, limit=limit_depth, lo=lo, hi=hi, after=page.after)
    return _paged(page, run_columns(db.session, stmt, params))


def _paged(page: Page, rows) -> Page:
    """Up to PAGE_CAP posts on the page; one more row means a "More" (keyset) link."""
    posts = [PostRow.of(r) for r in rows]
    if len(posts) > PAGE_CAP:
        page.next_is_new_branch = posts[PAGE_CAP].depth == 1
        posts = posts[:PAGE_CAP]
        page.next_after = posts[-1].path
    page.posts = posts
    first = posts[0] if posts else None
    if page.after and first and first.parent_id is not None and first.depth > 1:
        # "in reply to": the post the first one answers (at the depth cap, not its parent)
        page.continued_from = ContinuedFrom(first.reply_to_id or first.parent_id,
                                            first.answered_name)
    page.items = list(walk(posts))
    return page


def flat_page(thread: Thread, perms, number: int, newest_first: bool) -> Page:
    kind = _visibility(perms, thread)
    total = run_columns(db.session, _count_stmt(kind), _params(perms, thread)).scalar() or 0
    pages = max((total + FLAT_PER_PAGE - 1) // FLAT_PER_PAGE, 1)
    number = min(max(number, 1), pages)
    stmt = _flat_stmt(kind, newest_first, perms.user_id is not None)
    params = _params(perms, thread, offset=(number - 1) * FLAT_PER_PAGE)
    posts = [PostRow.of(r) for r in run_columns(db.session, stmt, params)]
    page = Page(posts, number, pages, "newest" if newest_first else "oldest")
    page.items = [TreeItem(p, 0, False, 0) for p in posts]  # every post at one level
    return page


__all__ = ["PATH_RANGE_END", "VIEWS", "ContinuedFrom", "Page", "PageBounds", "PostRow",
           "branch_page", "flat_page", "page_bounds", "tree_page"]
