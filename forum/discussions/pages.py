"""Reading a thread: pages of the tree or of the time line, each a constant number of queries.

Tree pages are cut at top-level-reply boundaries: page N holds top-level replies
(N-1)*TOP_PER_PAGE+1 … N*TOP_PER_PAGE with their whole branches (down to DISPLAY_DEPTH), found by
one query that picks every TOP_PER_PAGE-th top-level path (a window function) and one range query
on ``path``. A branch too big for one page (more than PAGE_CAP posts) continues with a keyset
link ``?page=N&after=<path>``; the continuation says which post it continues under.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import and_, func, or_, select, true
from sqlalchemy.orm import joinedload

from forum.discussions.models import DISPLAY_DEPTH, PATH_SEGMENT, Post, PostStatus, Thread
from forum.discussions.tree import PATH_RANGE_END, branch_root_depth, subtree_range, walk
from forum.extensions import db

TOP_PER_PAGE = 10  # top-level replies (with their branches) per tree page
PAGE_CAP = 100  # posts per page at most, however big one branch is
FLAT_PER_PAGE = 50
VIEWS = ("tree", "oldest", "newest")


def visible_clause(perms, thread: Thread):
    """Posts the reader sees in the list: all but other people's posts held for approval.

    Removed and hidden posts stay, as placeholders, so the tree keeps its shape."""
    if perms.can_moderate(thread.group):
        return true()
    if perms.user_id is None:
        return Post.status != PostStatus.PENDING
    return or_(Post.status != PostStatus.PENDING, Post.author_id == perms.user_id)


def _with_people(stmt):
    return stmt.options(
        joinedload(Post.author),
        joinedload(Post.parent).joinedload(Post.author),
        joinedload(Post.reply_to).joinedload(Post.author),
    )


@dataclass
class Page:
    posts: list
    number: int = 1
    pages: int = 1
    view: str = "tree"
    after: str | None = None  # keyset continuation inside a page of the tree
    next_after: str | None = None
    continued_from: object | None = None  # the post a mid-branch page continues under
    deep_parent_ids: set = field(default_factory=set)  # posts whose replies go on a branch page
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


def page_starts(thread: Thread, visible) -> list[str]:
    """The path each tree page starts at (page 1 starts at the opening post)."""
    ranked = (select(Post.path, func.row_number().over(order_by=Post.path).label("n"))
              .where(Post.thread_id == thread.id, Post.depth == 1, visible).subquery())
    starts = db.session.scalars(
        select(ranked.c.path).where((ranked.c.n - 1) % TOP_PER_PAGE == 0).order_by(ranked.c.path))
    return [""] + list(starts)[1:]


def tree_page(thread: Thread, perms, number: int, after: str | None) -> Page:
    visible = visible_clause(perms, thread)
    starts = page_starts(thread, visible)
    number = min(max(number, 1), len(starts))
    lo = starts[number - 1]
    hi = starts[number] if number < len(starts) else None
    conditions = [Post.thread_id == thread.id, Post.depth <= DISPLAY_DEPTH, visible]
    conditions.append(Post.path > after if after and after >= lo else Post.path >= lo)
    if hi is not None:
        conditions.append(Post.path < hi)
    page = _fetch(conditions, Page([], number, len(starts), "tree", after=after))
    _note_deep_branches(page, thread, DISPLAY_DEPTH)
    return page


def branch_page(thread: Thread, root: Post, perms, after: str | None) -> Page:
    """A subtree on its own page, so deep branches keep a readable width."""
    lo, hi = subtree_range(root.path)
    limit_depth = root.depth + DISPLAY_DEPTH
    conditions = [Post.thread_id == thread.id, Post.path < hi, Post.depth <= limit_depth,
                  visible_clause(perms, thread)]
    conditions.append(Post.path > after if after and after >= lo else Post.path >= lo)
    page = _fetch(conditions, Page([], 1, 1, "tree", after=after))
    _note_deep_branches(page, thread, limit_depth)
    return page


def _fetch(conditions: list, page: Page) -> Page:
    stmt = _with_people(select(Post).where(and_(*conditions)).order_by(Post.path)
                        .limit(PAGE_CAP + 1))
    posts = list(db.session.scalars(stmt).unique())
    if len(posts) > PAGE_CAP:
        posts = posts[:PAGE_CAP]
        page.next_after = posts[-1].path
    page.posts = posts
    if page.after and posts and posts[0].parent is not None and posts[0].depth > 1:
        page.continued_from = posts[0].parent
    page.items = list(walk(posts))
    return page


def _note_deep_branches(page: Page, thread: Thread, limit_depth: int) -> None:
    at_limit = [p.id for p in page.posts if p.depth == limit_depth]
    if not at_limit:  # nothing on the page reaches the display limit: no query needed
        return
    page.deep_parent_ids = set(db.session.scalars(
        select(Post.parent_id).distinct()
        .where(Post.thread_id == thread.id, Post.depth == limit_depth + 1,
               Post.parent_id.in_(at_limit))))


def flat_page(thread: Thread, perms, number: int, newest_first: bool) -> Page:
    visible = visible_clause(perms, thread)
    total = db.session.scalar(
        select(func.count(Post.id)).where(Post.thread_id == thread.id, visible)) or 0
    pages = max((total + FLAT_PER_PAGE - 1) // FLAT_PER_PAGE, 1)
    number = min(max(number, 1), pages)
    order = Post.id.desc() if newest_first else Post.id.asc()
    stmt = _with_people(select(Post).where(Post.thread_id == thread.id, visible)
                        .order_by(order).offset((number - 1) * FLAT_PER_PAGE)
                        .limit(FLAT_PER_PAGE))
    posts = list(db.session.scalars(stmt).unique())
    page = Page(posts, number, pages, "newest" if newest_first else "oldest")
    page.items = list(walk(_flat(p) for p in posts))
    return page


class _flat:
    """A post seen at depth 0 (the flat view renders every post at one level)."""

    depth = 0

    def __init__(self, post) -> None:
        self._post = post

    def __getattr__(self, name):
        return getattr(self._post, name)


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
    args.update(_after_for_cap(post, thread, visible, args["page"]))
    return args


def _after_for_cap(post: Post, thread: Thread, visible, number: int) -> dict:
    """When the post sits beyond PAGE_CAP posts into its page, the keyset that reaches it."""
    starts = page_starts(thread, visible)
    lo = starts[min(number, len(starts)) - 1]
    in_page = [Post.thread_id == thread.id, Post.depth <= DISPLAY_DEPTH, visible,
               Post.path >= lo, Post.path < post.path]
    before = db.session.scalar(select(func.count(Post.id)).where(*in_page)) or 0
    if before < PAGE_CAP:
        return {}
    skip = (before // PAGE_CAP) * PAGE_CAP - 1
    after = db.session.scalar(select(Post.path).where(*in_page).order_by(Post.path)
                              .offset(skip).limit(1))
    return {"after": after} if after else {}


__all__ = ["PATH_RANGE_END", "Page", "VIEWS", "branch_page", "flat_page", "locate", "tree_page"]
