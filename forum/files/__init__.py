from flask import Blueprint, g

from forum.groups.queries import group_page_column

bp = Blueprint("files", __name__)


def _recent_group_files(group):
    from forum.files.queries import recent_group_file_rows

    return recent_group_file_rows(g.perms, group)


def _recent_files_column():
    from forum.files.queries import GROUP_PAGE_FILES, recent_files_column

    return recent_files_column(GROUP_PAGE_FILES)


# The group page's "Recent files" come with the group, in its statement.
group_page_column("recent_files", _recent_files_column)


def attachment_urls() -> tuple[str, str]:
    """(download, preview) URL patterns of attached files, filled with a slug and a file id.
    Kept for the request: a page prints them for every post with files."""
    urls = g.get("_attachment_urls")
    if urls is None:
        from forum.urls import url_format

        urls = g._attachment_urls = (url_format("files.download", "slug", "file_id"),
                                     url_format("files.preview", "slug", "file_id"))
    return urls


@bp.app_context_processor
def _library_helpers():
    # For files/_group_recent.html, included by the group page with only `group` in context,
    # and the attachment links of a thread page's posts (discussions.fragments).
    return {"recent_group_files": _recent_group_files, "attachment_urls": attachment_urls}


# Route modules: imported by create_app, not here, so importing this package (for its
# models or services) never drags in views and their imports.
ROUTE_MODULES = ("folder_views", "serve", "views")
