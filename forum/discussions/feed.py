"""An Atom feed of a public group's latest posts (404 for any other group).

Built from a Jinja template whose name ends in .xml, so autoescaping escapes every value."""

from __future__ import annotations

from flask import abort, current_app, make_response, render_template
from sqlalchemy import select
from sqlalchemy.orm import contains_eager, joinedload

from forum.discussions import bp
from forum.discussions.models import Post, Thread
from forum.extensions import db
from forum.groups.models import Group, Visibility
from forum.markup import plain_text
from forum.pagecache import cached_page
from forum.permissions import Permissions, visible_posts_clause

FEED_ENTRIES = 30


@bp.get("/g/<slug>/feed.atom")
@cached_page("group")
def group_feed(slug: str):
    group = db.session.scalar(select(Group).where(Group.slug == slug))
    if group is None or group.visibility != Visibility.PUBLIC:
        abort(404)
    # A feed reader is a visitor (no cookie): the entries are what a visitor may see.
    posts = db.session.scalars(
        select(Post).join(Post.thread).join(Group, Group.id == Thread.group_id)
        .options(contains_eager(Post.thread), joinedload(Post.author))
        .where(Thread.group_id == group.id, visible_posts_clause(Permissions()))
        .order_by(Post.id.desc()).limit(FEED_ENTRIES)).all()
    updated = posts[0].created_at if posts else group.created_at
    xml = render_template("discussions/feed.atom.xml", group=group, posts=posts,
                          updated=updated, site_url=current_app.config["SITE_URL"],
                          summary=lambda p: plain_text(p.html, 400))
    response = make_response(xml)
    response.mimetype = "application/atom+xml"
    return response
