"""A group's discussions: the list (also included on the group page) and its templates' data."""

from __future__ import annotations

from dataclasses import dataclass

from flask import g, render_template

from forum.discussions import bp
from forum.discussions.listing import ThreadRow, group_threads
from forum.discussions.loading import load_group
from forum.http import arg_page
from forum.pagecache import cached_page
from forum.pagination import Page


@dataclass(frozen=True)
class GroupThreads:
    """What templates/discussions/_group_threads.html prints: the reader's rights in the group
    (asked of forum.permissions once) and, only if they may read it, a page of threads."""

    can_read: bool
    can_start: bool
    signed_in: bool
    can_mark_read: bool
    page: Page[ThreadRow] | None


def threads_for_group(group, page: int | None = None) -> GroupThreads:
    """The group's discussions for this reader: page ``page`` (None: the request's ``?page=``)."""
    perms = g.perms
    can_read = perms.can_read(group)
    return GroupThreads(
        can_read=can_read,
        can_start=can_read and perms.can_start_thread(group),
        signed_in=perms.is_authenticated,
        can_mark_read=perms.is_member,
        page=group_threads(group, arg_page() if page is None else page) if can_read else None,
    )


@bp.app_context_processor
def _discussion_helpers():
    # templates/discussions/_group_threads.html is included by the group page with only
    # ``group`` in its context: it asks for its own data through this.
    return {"discussions_for_group": threads_for_group}


@bp.get("/g/<slug>/discussions", endpoint="group_threads")
@cached_page("group")
def group_threads_page(slug: str):
    group = load_group(slug)
    return render_template("discussions/group_threads.html", group=group,
                           page_number=arg_page())
