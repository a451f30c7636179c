"""A group's discussions: the list (also included on the group page) and its templates' data."""

from __future__ import annotations

from types import SimpleNamespace

from flask import g, render_template

from forum.discussions import bp
from forum.discussions.list_html import thread_rows_html
from forum.discussions.listing import group_threads
from forum.discussions.loading import load_group
from forum.http import arg_page
from forum.urls import url_parts


def threads_for_group(group, page: int | None = None) -> SimpleNamespace:
    """What templates/discussions/_group_threads.html prints, computed once per page: the
    reader's rights in the group (the rules stay in forum.permissions) and, only if they may
    read it, the page of threads (``page``; None: the request's ``?page=``) with its rows as
    Markup (list_html: no loop, no url_for per row in the template)."""
    perms = g.perms
    can_read = perms.can_read(group)
    listing = SimpleNamespace(
        can_read=can_read,
        can_start=can_read and perms.can_start_thread(group),
        signed_in=perms.is_authenticated,
        can_mark_read=perms.is_member,
        page=None,
        rows_html="",
    )
    if can_read:
        if page is None:
            page = arg_page()
        listing.page = threads = group_threads(group, page)
        slug = group.slug
        listing.rows_html = thread_rows_html(
            threads.items, threads.unread,
            url_parts("discussions.thread", "thread_id", slug=slug),
            url_parts("discussions.first_unread", "thread_id", slug=slug))
    return listing


@bp.app_context_processor
def _discussion_helpers():
    # templates/discussions/_group_threads.html is included by the group page with only
    # ``group`` in its context: it asks for its own data through this.
    return {"discussions_for_group": threads_for_group}


@bp.get("/g/<slug>/discussions", endpoint="group_threads")
def group_threads_page(slug: str):
    group = load_group(slug)
    return render_template("discussions/group_threads.html", group=group,
                           page_number=arg_page())
