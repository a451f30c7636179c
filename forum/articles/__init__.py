"""Articles: a section's editors write, schedule and publish them; members comment on them in
a discussions thread (ThreadKind.ARTICLE) of the section's articles group."""

from flask import Blueprint

bp = Blueprint("articles", __name__)

# Route modules: imported by create_app, not here (see forum/groups/__init__.py).
ROUTE_MODULES = ("views", "editor_views")
