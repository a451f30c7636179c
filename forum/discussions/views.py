"""Reading discussions: the thread (tree or time line), branches, permalinks, unread, feeds.

Every view here is a GET and never writes: reading position changes only by POST (views_write).
The reader's view choice is kept in a cookie, which is not a database write.
"""

from __future__ import annotations

import re

from flask import abort, g, make_response, redirect, render_template, request, url_for
from flask_wtf.csrf import generate_csrf
from markupsafe import escape
from sqlalchemy import select

from forum.discussions import bp
from forum.discussions.forms import ReplyForm
from forum.discussions.fragments import post_items_html
from forum.discussions.loading import load_post, load_thread, load_thread_for_reading
from forum.discussions.models import Post, PostStatus, ThreadRead
from forum.discussions.pages import VIEWS, branch_page, flat_page, tree_page
from forum.discussions.permalinks import locate
from forum.discussions.quoting import quote_source
from forum.discussions.tree import ancestor_ids
from forum.extensions import db
from forum.http import arg_id, arg_page
from forum.urls import cached_url

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
    thread, last_read, watching = load_thread_for_reading(slug, thread_id)
    view = chosen_view()
    number = arg_page()
    if view == "tree":
        page = tree_page(thread, g.perms, number, _after_arg())
    else:
        page = flat_page(thread, g.perms, number, newest_first=view == "newest")
    viewer = g.perms.thread_viewer(thread)
    form = _reply_form(thread, page, viewer)
    html = render_template("discussions/thread.html", thread=thread, group=thread.group,
                           page=page, view=view, form=form, viewer=viewer, watching=watching,
                           **present(thread, page, viewer, last_read))
    response = make_response(html)
    if request.args.get("view") and view != request.cookies.get(VIEW_COOKIE):
        response.set_cookie(VIEW_COOKIE, view, max_age=365 * 24 * 3600, samesite="Lax",
                            httponly=True, secure=request.is_secure)
    return response


@bp.get("/g/<slug>/t/<int:thread_id>/branch/<int:post_id>")
def branch(slug: str, thread_id: int, post_id: int):
    thread, last_read, _ = load_thread_for_reading(slug, thread_id)
    root = db.session.get(Post, post_id)
    viewer = g.perms.thread_viewer(thread)
    # Others' held posts are not on the thread page: no branch page (nor author's name) either.
    if root is None or root.thread_id != thread.id or not viewer.can_reach_post(root):
        abort(404)
    page = branch_page(thread, root, g.perms, _after_arg())
    if not page.posts:
        abort(404)
    context = present(thread, page, viewer, last_read)
    shown = page.posts[0]  # the root itself unless this is a continuation
    root_name = shown.name if shown.id == root.id else who(root.author)
    return render_template("discussions/branch.html", thread=thread, group=thread.group,
                           root=root, root_name=root_name, page=page, view="tree", form=None,
                           viewer=viewer, **context)


# --- one page of posts, made ready to print ---------------------------------------------------

FORMER_MEMBER = "A former member"
_ID = "987654321"  # stands for a post id in a URL built once per page


def who(user) -> str:
    return user.display_name if user else FORMER_MEMBER


class _Urls:
    """Each per-post link of the page as (head, tail) around the post id: one url_for per kind
    of link and page, not per post, and only for kinds the page offers (visitors get two)."""

    def __init__(self, thread) -> None:
        self._thread = (thread.group.slug, thread.id)
        self._made: dict[str, tuple[str, str]] = {}

    def __call__(self, kind: str, post_id: str) -> str:
        pattern = self._made.get(kind)
        if pattern is None:
            pattern = self._made[kind] = self._split(kind)
        return pattern[0] + post_id + pattern[1]

    def _split(self, kind: str) -> tuple[str, str]:
        slug, tid = self._thread
        endpoint, values = _LINKS[kind]
        if kind in _IN_THREAD:
            values = {**values, "slug": slug, "thread_id": tid}
        # The last occurrence: the post id comes after the slug and thread id in every link.
        head, _, tail = cached_url(endpoint, **values).rpartition(_ID)
        return str(escape(head)), str(escape(tail))  # escaped once: fragments print them as is


_LINKS = {
    "link": ("discussions.permalink", {"post_id": _ID}),
    "reply": ("discussions.reply", {"parent_id": _ID}),
    "quote": ("discussions.thread", {"quote": _ID, "_anchor": "reply"}),
    "branch": ("discussions.branch", {"post_id": _ID}),
    "recommend": ("discussions.recommend", {"post_id": _ID}),
    "edit": ("discussions.edit", {"post_id": _ID}),
    "delete": ("discussions.delete", {"post_id": _ID}),
    "history": ("discussions.history", {"post_id": _ID}),
    "flag": ("moderation.flag", {"post_id": _ID}),
    "tools": ("moderation.post_tools", {"post_id": _ID}),
}
_IN_THREAD = {"reply", "quote", "branch"}


def present(thread, page, viewer, last_read) -> dict:
    """Give each post on the page its names, rights and links, deciding per post in Python
    from the page-wide ``viewer`` rather than per post in Jinja, and print the page's posts
    (``posts_html``, discussions.fragments: the template's per-post loop was a quarter of the
    page's CPU)."""
    url = _Urls(thread)
    csrf = escape(generate_csrf()) if viewer.is_authenticated else ""
    for item in page.items:
        p = item.post
        _present_post(p, viewer, url, last_read)
        p.files = _attached_files(p.files_value)
    ids = [p.id for p in page.posts]
    return {"last_read": last_read, "max_post_id": max(ids, default=0),
            "posts_html": post_items_html(page.items, csrf)}


def _present_post(p, viewer, url, last_read) -> None:
    sid = str(p.id)
    published = p.status == "published"
    p.name = p.author_name if p.author_id is not None else FORMER_MEMBER
    if p.reply_to_id is not None or p.parent_id is not None:
        p.answered = p.answered_name or FORMER_MEMBER
    else:
        p.answered = None  # nothing it answers (the opening post)
    p.shows_body = viewer.can_see_post_body(p)
    p.is_new = last_read is not None and p.id > last_read
    p.link = url("link", sid)
    offer = viewer.can_reply and published
    p.reply_url = url("reply", sid) if offer else None
    p.quote_url = url("quote", sid) if offer else None
    p.recommend_url = url("recommend", sid) if published and viewer.can_recommend(p) else None
    p.edit_url = url("edit", sid) if viewer.can_edit_post(p) else None
    p.delete_url = url("delete", sid) if viewer.can_delete_post(p) else None
    p.history_url = url("history", sid) if p.edited_at and viewer.can_see_history(p) else None
    p.flag_url = url("flag", sid) if published and viewer.can_flag(p) else None
    p.tools_url = url("tools", sid) if viewer.can_hide_post(p) else None
    p.branch_url = url("branch", sid) if p.deep else None


def _attached_files(value) -> list | None:
    """The post's files from the JSON its row brought (pages._files_column); None: no files."""
    if value is None:
        return None
    from forum.files.attachments import attached_files

    return attached_files(value) or None


def _reply_form(thread, page, viewer) -> ReplyForm | None:
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
        form.parent_id.data = str(_root_on(page) or root_post_id(thread))
        form.replying_to = None
    return form


def _root_on(page) -> int | None:
    """The opening post's id, read off any shown post's path (its first segment): no query."""
    return ancestor_ids(page.posts[0].path)[0] if page.posts else None


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
