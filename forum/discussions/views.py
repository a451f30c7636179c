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
from forum.discussions.loading import (
    load_post,
    load_thread,
    load_thread_for_reading,
    permanent_redirect,
)
from forum.discussions.models import Post, PostStatus, ThreadKind, ThreadRead
from forum.discussions.pages import VIEWS
from forum.discussions.permalinks import locate
from forum.discussions.quoting import quote_source
from forum.discussions.reading import (
    FORMER_MEMBER,
    PostsPage,
    read_branch_page,
    read_thread_page,
)
from forum.extensions import db
from forum.http import arg_id, arg_page
from forum.jinja import reader_zone
from forum.pagecache import cached_page

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
@cached_page("group", vary_cookies=(VIEW_COOKIE,))
def thread(slug: str, thread_id: int):
    thread, last_read, watching = load_thread_for_reading(g.perms, slug, thread_id)
    viewer = g.perms.thread_viewer(thread)
    view = chosen_view()
    posts = read_thread_page(thread, g.perms, viewer, view=view, number=arg_page(),
                             after=_after_arg(), last_read=last_read)
    form = _reply_form(thread, posts, viewer)
    html = render_template("discussions/thread.html", thread=thread, group=thread.group,
                           page=posts.page, posts=posts.posts, max_post_id=posts.max_post_id,
                           view=view, form=form, viewer=viewer, watching=watching,
                           reader_zone=reader_zone(thread.group.section.timezone))
    response = make_response(html)
    if request.args.get("view") and view != request.cookies.get(VIEW_COOKIE):
        response.set_cookie(VIEW_COOKIE, view, max_age=365 * 24 * 3600, samesite="Lax",
                            httponly=True, secure=request.is_secure)
    return response


@bp.get("/g/<slug>/t/<int:thread_id>/branch/<int:post_id>")
@cached_page("group")
def branch(slug: str, thread_id: int, post_id: int):
    thread, last_read, _ = load_thread_for_reading(g.perms, slug, thread_id)
    root = db.session.get(Post, post_id)
    if root is not None and root.thread_id != thread.id:
        return _split_off(root)
    viewer = g.perms.thread_viewer(thread)
    # Others' held posts are not on the thread page: no branch page (nor author's name) either.
    if root is None or root.thread_id != thread.id or not viewer.can_reach_post(root):
        abort(404)
    posts = read_branch_page(thread, root, g.perms, viewer, after=_after_arg(),
                             last_read=last_read)
    if not posts.posts:
        abort(404)
    shown = posts.posts[0]  # the root itself unless this is a continuation
    root_name = shown.author_name if shown.id == root.id else who(root.author)
    return render_template("discussions/branch.html", thread=thread, group=thread.group,
                           root=root, root_name=root_name, page=posts.page, posts=posts.posts,
                           view="tree", form=None, viewer=viewer,
                           reader_zone=reader_zone(thread.group.section.timezone))


def _split_off(root: Post):
    """A branch split off into a thread of its own: its old address answers with a permanent
    redirect to where it lives now (the new thread it opens, or its branch there), once the
    reader passes the new thread's rules (``load_post``: 404 where they must not learn it)."""
    post = load_post(g.perms, root.id)
    thread = post.thread
    if post.parent_id is None:
        return permanent_redirect(url_for("discussions.thread", slug=thread.group.slug,
                                          thread_id=thread.id))
    return permanent_redirect(url_for("discussions.branch", slug=thread.group.slug,
                                      thread_id=thread.id, post_id=post.id))


def who(user) -> str:
    return user.display_name if user else FORMER_MEMBER


def _reply_form(thread, posts: PostsPage, viewer) -> ReplyForm | None:
    if not viewer.can_reply:
        return None
    form = ReplyForm(formdata=None)
    target_id = arg_id("quote") or arg_id("reply_to")
    target = db.session.get(Post, target_id) if target_id else None
    # Only a published post of this thread that the reader sees (``viewer``: can_see_post for
    # this thread's posts) is answered or quoted: a quote copies its words into the form.
    if target is not None and target.thread_id == thread.id and \
            target.status == PostStatus.PUBLISHED and viewer.can_see_post(target):
        form.parent_id.data = str(target.id)
        if arg_id("quote") == target.id:
            form.body.data = quote_source(target)
        form.replying_to = target
    else:
        form.parent_id.data = str(posts.opening_post_id or root_post_id(thread))
        form.replying_to = None
    return form


def root_post_id(thread) -> int | None:
    return db.session.scalar(select(Post.id).where(Post.thread_id == thread.id, Post.depth == 0))


@bp.get("/p/<int:post_id>")
def permalink(post_id: int):
    """Opens the thread at the post, on whichever page (or branch page) shows it."""
    post = load_post(g.perms, post_id)
    thread = post.thread
    article = thread.kind == ThreadKind.ARTICLE  # its page shows the responses as a tree
    where = locate(post, g.perms, "tree" if article else chosen_view())
    anchor = f"post-{post.id}"
    if "branch" in where:
        return redirect(url_for("discussions.branch", slug=thread.group.slug,
                                thread_id=thread.id, post_id=where["branch"], _anchor=anchor))
    if article:
        # An article's responses are read on the article's page (forum/articles).
        page = where.get("page") or 1
        return redirect(url_for("articles.for_thread", thread_id=thread.id,
                                page=page if page > 1 else None, _anchor=anchor))
    if where.get("view") == "tree" and VIEW_COOKIE not in request.cookies:
        # The default view for a reader who never chose one: naming it would make the thread
        # page save it in a cookie, and a page that sets a cookie never enters the page cache.
        del where["view"]
    return redirect(url_for("discussions.thread", slug=thread.group.slug, thread_id=thread.id,
                            _anchor=anchor, **where))


@bp.get("/g/<slug>/t/<int:thread_id>/unread")
def first_unread(slug: str, thread_id: int):
    """Jump to the first post newer than the reader's last-read mark (GET: reads only)."""
    thread = load_thread(g.perms, slug, thread_id)
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

