from __future__ import annotations

from flask import Blueprint, g

from forum.groups.queries import NOT_LOADED, group_page_column

bp = Blueprint("files", __name__)


def _recent_group_files(group, feature_values=None):
    from forum.files.queries import recent_group_file_rows

    # feature_values: what the group page loaded with the group (groups.queries.GroupPage).
    return recent_group_file_rows(g.perms, group, loaded=(feature_values or {}).get(
        "recent_files", NOT_LOADED))


def _recent_files_column():
    from forum.files.queries import GROUP_PAGE_FILES, recent_files_column

    return recent_files_column(GROUP_PAGE_FILES)


# The group page's "Recent files" come with the group, in its statement.
group_page_column("recent_files", _recent_files_column)


@bp.app_context_processor
def _library_helpers():
    # For files/_group_recent.html, included by the group page with only `group` in context.
    return {"recent_group_files": _recent_group_files}


# Route modules: imported by create_app, not here, so importing this package (for its
# models or services) never drags in views and their imports.
ROUTE_MODULES = ("folder_views", "serve", "views")
