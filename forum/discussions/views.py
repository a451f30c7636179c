"""Reading discussions: the thread (tree or time line), branches, permalinks, unread, feeds.

Every view here is a GET and never writes: reading position changes only by POST (views_write).
The reader's view choice is kept in a cookie, which is not a database write.
"""

from __future__ import annotations

import re

from flask import abort, g, make_response, redirect, render_template, request, url_for
from sqlalchemy import select

from forum.discussions import bp
from forum.discussions.forms import ReplyForm
from forum.discussions.loading import load_post, load_thread
from forum.discussions.models import Post, PostStatus, Recommendation, ThreadRead
from forum.discussions.pages import VIEWS, branch_page, flat_page, locate, tree_page
from forum.discussions.quoting import quote_source
from forum.extensions import db

VIEW_COOKIE = "thread_view"
_PATH = re.compile(r"^(?:\d{10}){1,25}$")


def chosen_view() -> str:
    asked = request.args.get("view")
    if asked == "flat":
        asked = request.args.get("order") if request.args.get("order") in VIEWS else "oldest"
    if asked in VIEWS:
        return asked
    saved = request.cookies.get(VIEW_COOKIE)
    return saved if saved in VIEWS else "tree"


def _after_arg() -> str | None:
    after = request.args.get("after")
    return after if after and _PATH.match(after) else None


@bp.get("/g/<slug>/t/<int:thread_id>")
def thread(slug: str, thread_id: int):
    thread = load_thread(slug, thread_id)
    view = chosen_view()
    number = request.args.get("page", 1, type=int)
    if view == "tree":
        page = tree_page(thread, g.perms, number, _after_arg())
    else:
        page = flat_page(thread, g.perms, number, newest_first=view == "newest")
    form = _reply_form(thread, page)
    html = render_template("discussions/thread.html", thread=thread, group=thread.group,
                           page=page, view=view, form=form, **reader_context(thread, page.posts))
    response = make_response(html)
    if request.args.get("view") and view != request.cookies.get(VIEW_COOKIE):
        response.set_cookie(VIEW_COOKIE, view, max_age=365 * 24 * 3600, samesite="Lax",
                            httponly=True, secure=request.is_secure)
    return response


@bp.get("/g/<slug>/t/<int:thread_id>/branch/<int:post_id>")
def branch(slug: str, thread_id: int, post_id: int):
    thread = load_thread(slug, thread_id)
    root = db.session.get(Post, post_id)
    if root is None or root.thread_id != thread.id:
        abort(404)
    page = branch_page(thread, root, g.perms, _after_arg())
    if not page.posts:
        abort(404)
    return render_template("discussions/branch.html", thread=thread, group=thread.group,
                           root=root, page=page, view="tree", form=None,
                           **reader_context(thread, page.posts))


def reader_context(thread, posts) -> dict:
    """What this reader has read and recommended, and the posts' files: a query each."""
    ids = [p.id for p in posts]
    last_read = None
    recommended: set[int] = set()
    if g.perms.is_authenticated:
        last_read = db.session.scalar(select(ThreadRead.last_read_post_id).where(
            ThreadRead.user_id == g.perms.user_id, ThreadRead.thread_id == thread.id))
        recommended = set(db.session.scalars(select(Recommendation.post_id).where(
            Recommendation.user_id == g.perms.user_id, Recommendation.post_id.in_(ids))))
    return {"last_read": last_read, "recommended": recommended,
            "attachments": _attachments(ids), "max_post_id": max(ids, default=0)}


def _attachments(ids: list[int]) -> dict:
    try:
        from forum.files import attachments as files_attachments
    except ImportError:  # files not installed yet
        return {}
    finder = getattr(files_attachments, "attachments_for_posts", None)
    return finder(ids) if finder and ids else {}


def _reply_form(thread, page) -> ReplyForm | None:
    if not g.perms.can_reply(thread):
        return None
    form = ReplyForm(formdata=None)
    target_id = request.args.get("quote", type=int) or request.args.get("reply_to", type=int)
    target = db.session.get(Post, target_id) if target_id else None
    if target is not None and target.thread_id == thread.id and \
            target.status == PostStatus.PUBLISHED:
        form.parent_id.data = str(target.id)
        if request.args.get("quote", type=int) == target.id:
            form.body.data = quote_source(target)
        form.replying_to = target
    else:
        form.parent_id.data = str(_root_on(page) or root_post_id(thread))
        form.replying_to = None
    return form


def _root_on(page) -> int | None:
    """The opening post's id when the tree page shows it (page 1), saving a query."""
    if page.view == "tree" and page.posts and page.posts[0].depth == 0:
        return page.posts[0].id
    return None


def root_post_id(thread) -> int | None:
    return db.session.scalar(select(Post.id).where(Post.thread_id == thread.id, Post.depth == 0))


@bp.get("/p/<int:post_id>")
def permalink(post_id: int):
    """Opens the thread at the post, on whichever page (or branch page) shows it."""
    post = load_post(post_id)
    thread = post.thread
    where = locate(post, g.perms, chosen_view())
    anchor = f"post-{post.id}"
    if "branch" in where:
        return redirect(url_for("discussions.branch", slug=thread.group.slug,
                                thread_id=thread.id, post_id=where["branch"], _anchor=anchor))
    return redirect(url_for("discussions.thread", slug=thread.group.slug, thread_id=thread.id,
                            _anchor=anchor, **where))


@bp.get("/g/<slug>/t/<int:thread_id>/unread")
def first_unread(slug: str, thread_id: int):
    """Jump to the first post newer than the reader's last-read mark (GET: reads only)."""
    thread = load_thread(slug, thread_id)
    last_read = 0
    if g.perms.is_authenticated:
        last_read = db.session.scalar(select(ThreadRead.last_read_post_id).where(
            ThreadRead.user_id == g.perms.user_id, ThreadRead.thread_id == thread.id)) or 0
    first = db.session.scalar(select(Post.id).where(
        Post.thread_id == thread.id, Post.id > last_read,
        Post.status == PostStatus.PUBLISHED).order_by(Post.id).limit(1))
    if first is None:
        return redirect(url_for("discussions.thread", slug=slug, thread_id=thread.id))
    return redirect(url_for("discussions.permalink", post_id=first))


from forum.discussions import feed, group_views, views_write  # noqa: E402,F401
