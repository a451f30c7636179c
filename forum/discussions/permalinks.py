"""Where a post is: the page of a view that shows it, for its permalink ``/p/<id>``."""

from __future__ import annotations

from sqlalchemy import func, select

from forum.discussions.models import DISPLAY_DEPTH, PATH_SEGMENT, Post, Thread
from forum.discussions.pages import (
    FLAT_PER_PAGE,
    PAGE_CAP,
    TOP_PER_PAGE,
    page_bounds,
    visible_clause,
)
from forum.discussions.tree import branch_root_depth
from forum.extensions import db


def locate(post: Post, perms, view: str) -> dict:
    """URL arguments of the page that shows ``post`` in the given view (for /p/<id>)."""
    thread = post.thread
    visible = visible_clause(perms, thread)
    if view in ("oldest", "newest"):
        before = Post.id > post.id if view == "newest" else Post.id < post.id
        n = db.session.scalar(select(func.count())
                              .where(Post.thread_id == thread.id, visible, before)) or 0
        return {"view": view, "page": n // FLAT_PER_PAGE + 1}
    root_depth = branch_root_depth(post.depth)
    if root_depth:
        root_id = int(post.path[root_depth * PATH_SEGMENT:(root_depth + 1) * PATH_SEGMENT])
        return {"branch": root_id}
    if post.depth == 0:
        return {"view": "tree", "page": 1}
    top = post.path[: 2 * PATH_SEGMENT]
    n = db.session.scalar(select(func.count()).where(
        Post.thread_id == thread.id, Post.depth == 1, visible, Post.path < top)) or 0
    args = {"view": "tree", "page": n // TOP_PER_PAGE + 1}
    args.update(_after_for_cap(post, thread, perms, visible, args["page"]))
    return args


def _after_for_cap(post: Post, thread: Thread, perms, visible, number: int) -> dict:
    """When the post sits beyond PAGE_CAP posts into its page, the keyset that reaches it."""
    lo = page_bounds(thread, perms, number).lo
    in_page = [Post.thread_id == thread.id, Post.depth <= DISPLAY_DEPTH, visible,
               Post.path >= lo, Post.path < post.path]
    before = db.session.scalar(select(func.count()).where(*in_page)) or 0
    if before < PAGE_CAP:
        return {}
    skip = (before // PAGE_CAP) * PAGE_CAP - 1
    after = db.session.scalar(select(Post.path).where(*in_page).order_by(Post.path)
                              .offset(skip).limit(1))
    return {"after": after} if after else {}
