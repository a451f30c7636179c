"""A group's discussions: the list (also included on the group page) and its templates' data."""

from __future__ import annotations

from flask import render_template, request

from forum.discussions import bp
from forum.discussions.listing import group_threads, is_unread
from forum.discussions.loading import load_group


@bp.app_context_processor
def _discussion_helpers():
    # templates/discussions/_group_threads.html is included by the group page with only
    # ``group`` in its context: it asks for its own data through these.
    return {"discussions_for_group": group_threads, "thread_is_unread": is_unread}


@bp.get("/g/<slug>/discussions", endpoint="group_threads")
def group_threads_page(slug: str):
    group = load_group(slug)
    return render_template("discussions/group_threads.html", group=group,
                           page_number=request.args.get("page", 1, type=int))
