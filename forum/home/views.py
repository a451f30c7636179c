"""The section's home page: what's happening."""

from __future__ import annotations

from flask import g, render_template

from forum.events.home import next_featured_event
from forum.groups.queries import site_zone
from forum.home import bp
from forum.home.blocks import feature_blocks, spotlight
from forum.jinja import reader_zone
from forum.pagecache import cached_page


@bp.route("/")
@cached_page("site", ticking=True)  # upcoming events end, scheduled articles come out
def index():
    perms = g.perms
    return render_template(
        "home/index.html", reader_zone=reader_zone(site_zone(perms)),
        featured=next_featured_event(perms),
        spotlight=spotlight(perms, perms.today), blocks=feature_blocks(perms),
    )
