"""A group's discussions page (the list is also on the group page: forum/groups/views.py)."""

from __future__ import annotations

from flask import g, redirect, render_template, url_for

from forum.discussions import bp
from forum.discussions.loading import load_group
from forum.discussions.queries import threads_for_group
from forum.groups.models import GroupKind
from forum.http import arg_page
from forum.jinja import reader_zone
from forum.pagecache import cached_page


@bp.get("/g/<slug>/discussions", endpoint="group_threads")
@cached_page("group")
def group_threads_page(slug: str):
    group = load_group(g.perms, slug)
    if group.kind == GroupKind.ARTICLES:  # its threads are articles' responses: listed there
        return redirect(url_for("articles.index"))
    return render_template("discussions/group_threads.html", group=group,
                           listing=threads_for_group(g.perms, group, arg_page()),
                           reader_zone=reader_zone(group.section.timezone))
