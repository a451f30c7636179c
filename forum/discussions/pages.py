"""Reading a thread: pages of the tree or of the time line, each a constant number of queries.

Tree pages are cut at top-level-reply boundaries: page N holds top-level replies
(N-1)*TOP_PER_PAGE+1 … N*TOP_PER_PAGE with their whole branches (down to DISPLAY_DEPTH), found by
one query that picks every TOP_PER_PAGE-th top-level path (a window function) and one range query
on ``path``. A branch too big for one page (more than PAGE_CAP posts) continues with a keyset
link ``?page=N&after=<path>``; the continuation says which post it continues under.

Pages are loaded as plain rows (``PostRow``), not ORM entities: the columns a page prints, the
names of the author and of whom each post answers, and — folded into the same statement — whether
a post has replies beyond the display depth, has files, and is recommended by the reader.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from sqlalchemy import Integer, bindparam, case, exists, false, func, or_, select, true
from sqlalchemy.orm import aliased

from forum.discussions.models import (
    DISPLAY_DEPTH,
    PATH_SEGMENT,
    Post,
    PostStatus,
    Recommendation,
    Thread,
)
from forum.discussions.tree import PATH_RANGE_END, TreeItem, branch_root_depth, subtree_range, walk
from forum.extensions import db
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


def _run(stmt, params: dict):
    """Run a prebuilt statement of plain columns on the session's connection (its transaction),
    without the ORM's per-execution layer: rows come back the same, with less Python."""
    return db.session.connection().execute(stmt, params)


class PostRow:
    """One post as a page prints it. ``author_name``/``parent_name``/``reply_to_name`` are the
    display names (None: no such person any more); flags come from the same statement."""

    def __init__(self, row) -> None:
        (self.id, self.parent_id, self.reply_to_id, self.path, self.depth, self.author_id,
         self.html, self.status, self.created_at, self.edited_at, self.recommend_count,
         self.author_name, self.parent_name, self.reply_to_name, deep, files,
         recommended) = row
        self.deep = bool(deep)  # has replies past the display depth: "Continue this branch"
        self.has_files = bool(files)
        self.recommended = bool(recommended)  # by the reader


# --- the statements, built once per shape --------------------------------------------------
# Building a statement and its cache key costs more Python than running it: each shape is
# built once (values are bound parameters) and SQLAlchemy then reuses its compiled form.

def _files_clause():
    """Whether a post has attachments, so the attachments query runs only when some do."""
    try:
        from forum.files.models import Attachment
    except ImportError:  # files not installed
        return false()
    return exists().where(Attachment.post_id == Post.id)


def _rows(where, order, reader: bool, deep):
    """Posts with the three names they print, one row each."""
    author, parent, parent_author = aliased(User), aliased(Post), aliased(User)
    target, target_author = aliased(Post), aliased(User)
    recommended = false() if not reader else exists().where(
        Recommendation.post_id == Post.id,
        Recommendation.user_id == bindparam("reader_id", type_=Integer))
    return (
        select(Post.id, Post.parent_id, Post.reply_to_id, Post.path, Post.depth, Post.author_id,
               Post.html, Post.status, Post.created_at, Post.edited_at, Post.recommend_count,
               author.display_name, parent_author.display_name, target_author.display_name,
               deep, _files_clause(), recommended)
        .outerjoin(author, author.id == Post.author_id)
        .outerjoin(parent, parent.id == Post.parent_id)
        .outerjoin(parent_author, parent_author.id == parent.author_id)
        .outerjoin(target, target.id == Post.reply_to_id)
        .outerjoin(target_author, target_author.id == target.author_id)
        .where(*where).order_by(order)
    )


@functools.cache
def _tree_stmt(kind: str, after: bool, reader: bool):
    """Posts in ``[lo, hi)`` by path (or after a keyset), down to ``limit`` depth."""
    limit = bindparam("limit", type_=Integer)
    child = aliased(Post)  # replies past the limit: the next depth down in the post's range
    deep = case((Post.depth == limit, exists().where(
        child.thread_id == Post.thread_id, child.depth == limit + 1,
        child.path > Post.path, child.path < Post.path + PATH_RANGE_END)), else_=false())
    where = [Post.thread_id == bindparam("thread_id"), Post.depth <= limit, _visible(kind),
             Post.path > bindparam("after") if after else Post.path >= bindparam("lo"),
             Post.path < bindparam("hi")]
    return _rows(where, Post.path, reader, deep).limit(PAGE_CAP + 1)


@functools.cache
def _flat_stmt(kind: str, newest_first: bool, reader: bool):
    where = [Post.thread_id == bindparam("thread_id"), _visible(kind)]
    order = Post.id.desc() if newest_first else Post.id.asc()
    return (_rows(where, order, reader, false())
            .offset(bindparam("offset", type_=Integer)).limit(FLAT_PER_PAGE))


@functools.cache
def _bounds_stmt(kind: str):
    """How many top-level replies, and the paths of two of them (by position): one row."""
    def top():
        return select(Post.path).where(Post.thread_id == bindparam("thread_id"),
                                       Post.depth == 1, _visible(kind))

    def nth(name: str):
        return top().order_by(Post.path).offset(bindparam(name, type_=Integer)).limit(1) \
            .scalar_subquery()

    count = select(func.count()).select_from(top().subquery()).scalar_subquery()
    return select(count, nth("lo_at"), nth("hi_at"))


@functools.cache
def _count_stmt(kind: str):
    return select(func.count(Post.id)).where(Post.thread_id == bindparam("thread_id"),
                                             _visible(kind))


@dataclass
class Page:
    posts: list
    number: int = 1
    pages: int = 1
    view: str = "tree"
    after: str | None = None  # keyset continuation inside a page of the tree
    next_after: str | None = None
    continued_from: object | None = None  # (id, name) of the post a mid-branch page follows
    next_is_new_branch: bool = False  # the "More" link leads to the next top-level reply
    items: list = field(default_factory=list)

    # The pagination macro's interface.
    @property
    def page(self) -> int:
        return self.number

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def prev_num(self) -> int:
        return self.number - 1

    @property
    def next_num(self) -> int:
        return self.number + 1

    def iter_pages(self):
        shown = set(range(1, 3)) | set(range(self.number - 2, self.number + 3)) | {
            self.pages - 1, self.pages}
        last = 0
        for n in range(1, self.pages + 1):
            if n in shown:
                if n - last > 1:
                    yield None
                yield n
                last = n


def page_bounds(thread: Thread, perms, number: int) -> tuple[int, int, str, str]:
    """``(number, pages, lo, hi)``: tree page ``number`` (clamped) holds paths in [lo, hi).

    Page 1 starts at the opening post; page N at top-level reply (N-1)*TOP_PER_PAGE. One
    statement counts the top-level replies and picks the two boundary paths by position."""
    stmt = _bounds_stmt(_visibility(perms, thread))
    while True:
        number = max(number, 1)
        params = _params(perms, thread, lo_at=(number - 1) * TOP_PER_PAGE,
                         hi_at=number * TOP_PER_PAGE)
        count, lo, hi = _run(stmt, params).one()
        pages = max((count + TOP_PER_PAGE - 1) // TOP_PER_PAGE, 1)
        if number <= pages:  # else: asked past the end, so show the last page
            break
        number = pages
    return number, pages, ("" if number == 1 else lo), hi or PATH_RANGE_END  # ":" ends any path


def tree_page(thread: Thread, perms, number: int, after: str | None) -> Page:
    number, pages, lo, hi = page_bounds(thread, perms, number)
    page = Page([], number, pages, "tree", after=after)
    return _fetch(thread, perms, page, lo, hi, DISPLAY_DEPTH)


def branch_page(thread: Thread, root: Post, perms, after: str | None) -> Page:
    """A subtree on its own page, so deep branches keep a readable width."""
    lo, hi = subtree_range(root.path)
    page = Page([], 1, 1, "tree", after=after)
    return _fetch(thread, perms, page, lo, hi, root.depth + DISPLAY_DEPTH)


def _fetch(thread: Thread, perms, page: Page, lo: str, hi: str, limit_depth: int) -> Page:
    keyset = bool(page.after and page.after >= lo)
    stmt = _tree_stmt(_visibility(perms, thread), keyset, perms.user_id is not None)
    params = _params(perms, thread, limit=limit_depth, lo=lo, hi=hi, after=page.after)
    posts = [PostRow(r) for r in _run(stmt, params)]
    if len(posts) > PAGE_CAP:
        page.next_is_new_branch = posts[PAGE_CAP].depth == 1
        posts = posts[:PAGE_CAP]
        page.next_after = posts[-1].path
    page.posts = posts
    first = posts[0] if posts else None
    if page.after and first and first.parent_id is not None and first.depth > 1:
        page.continued_from = (first.parent_id, first.parent_name)
    page.items = list(walk(posts))
    return page


def flat_page(thread: Thread, perms, number: int, newest_first: bool) -> Page:
    kind = _visibility(perms, thread)
    total = _run(_count_stmt(kind), _params(perms, thread)).scalar() or 0
    pages = max((total + FLAT_PER_PAGE - 1) // FLAT_PER_PAGE, 1)
    number = min(max(number, 1), pages)
    stmt = _flat_stmt(kind, newest_first, perms.user_id is not None)
    params = _params(perms, thread, offset=(number - 1) * FLAT_PER_PAGE)
    posts = [PostRow(r) for r in _run(stmt, params)]
    page = Page(posts, number, pages, "newest" if newest_first else "oldest")
    page.items = [TreeItem(p, 0, False, 0) for p in posts]  # every post at one level
    return page


# --- where a post is ------------------------------------------------------------------------

def locate(post: Post, perms, view: str) -> dict:
    """URL arguments of the page that shows ``post`` in the given view (for /p/<id>)."""
    thread = post.thread
    visible = visible_clause(perms, thread)
    if view in ("oldest", "newest"):
        before = Post.id > post.id if view == "newest" else Post.id < post.id
        n = db.session.scalar(select(func.count(Post.id))
                              .where(Post.thread_id == thread.id, visible, before)) or 0
        return {"view": view, "page": n // FLAT_PER_PAGE + 1}
    root_depth = branch_root_depth(post.depth)
    if root_depth:
        root_id = int(post.path[root_depth * PATH_SEGMENT:(root_depth + 1) * PATH_SEGMENT])
        return {"branch": root_id}
    if post.depth == 0:
        return {"view": "tree", "page": 1}
    top = post.path[: 2 * PATH_SEGMENT]
    n = db.session.scalar(select(func.count(Post.id)).where(
        Post.thread_id == thread.id, Post.depth == 1, visible, Post.path < top)) or 0
    args = {"view": "tree", "page": n // TOP_PER_PAGE + 1}
    args.update(_after_for_cap(post, thread, perms, visible, args["page"]))
    return args


def _after_for_cap(post: Post, thread: Thread, perms, visible, number: int) -> dict:
    """When the post sits beyond PAGE_CAP posts into its page, the keyset that reaches it."""
    lo = page_bounds(thread, perms, number)[2]
    in_page = [Post.thread_id == thread.id, Post.depth <= DISPLAY_DEPTH, visible,
               Post.path >= lo, Post.path < post.path]
    before = db.session.scalar(select(func.count(Post.id)).where(*in_page)) or 0
    if before < PAGE_CAP:
        return {}
    skip = (before // PAGE_CAP) * PAGE_CAP - 1
    after = db.session.scalar(select(Post.path).where(*in_page).order_by(Post.path)
                              .offset(skip).limit(1))
    return {"after": after} if after else {}


__all__ = ["PATH_RANGE_END", "Page", "PostRow", "VIEWS", "branch_page", "flat_page", "locate",
           "tree_page"]
