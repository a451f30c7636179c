"""The section's home page: what's happening."""

from __future__ import annotations

from flask import Response, abort, current_app, g, render_template

from forum.events.home import next_featured_event
from forum.groups.queries import site_zone
from forum.home import bp
from forum.home.blocks import feature_blocks, spotlight
from forum.home.logo import load_logo
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


# --- the logo in the header (forum.home.logo) ---------------------------------------------------

@bp.record_once
def _load_logo(state) -> None:
    state.app.extensions["site_logo"] = load_logo(state.app)


@bp.app_context_processor
def _logo() -> dict:
    return {"site_logo": current_app.extensions.get("site_logo")}


@bp.get("/site-logo/<digest>")
def logo(digest: str):
    found = current_app.extensions.get("site_logo")
    if found is None or digest != found.digest:
        abort(404)
    response = Response(found.data, mimetype=found.content_type)
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
