from flask import Blueprint, g

bp = Blueprint("files", __name__)


def _recent_group_files(group, limit: int = 5):
    from forum.files.queries import recent_files

    return recent_files(g.perms, group=group, limit=limit)


@bp.app_context_processor
def _library_helpers():
    # For files/_group_recent.html, included by the group page with only `group` in context.
    return {"recent_group_files": _recent_group_files}


# Route modules: imported by create_app, not here, so importing this package (for its
# models or services) never drags in views and their imports.
ROUTE_MODULES = ("folder_views", "serve", "views")
