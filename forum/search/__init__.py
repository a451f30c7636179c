"""Search: one index over discussions, files, events, articles, groups and people.

The index (``models.SearchEntry``) holds each searchable object's text, kept in step with
every write by a session listener (``indexer``) in the writer's own transaction. Who may see a
hit is never stored there: every search joins the live rows (a post's thread and group, a
file's library, …) and filters them with the permissions package's clauses, so a thread
moved into a private group or a post hidden a moment ago drops out at once. Two engines behind
one interface (``engines``): SQLite's FTS5 and PostgreSQL's ``tsvector`` (docs/search.md)."""

from flask import Blueprint

bp = Blueprint("search", __name__)

# Route modules: imported by create_app, not here (see forum/groups/__init__.py).
ROUTE_MODULES = ("views",)
