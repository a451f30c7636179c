"""Downloads and previews: streamed from storage, never from a static route.

Every response is checked against the file's group and, for a file that came with discussion
posts, against those posts, on every request (loading.get_file). Downloads are always
``attachment``; only images and PDFs are ever shown inline, under a sandboxing CSP of their own.
A file a visitor could not open is sent ``Cache-Control: private, no-store``: no copy of it is
kept on the reader's disk or in any cache once they may no longer see it.
"""

from __future__ import annotations

from flask import abort, g, request, send_file

from forum.db import writing
from forum.extensions import db
from forum.files import bp, services
from forum.files.loading import get_file, get_group, get_version
from forum.files.sniff import download_name
from forum.permissions import Permissions
from forum.security import mark_no_store
from forum.storage import get_storage

PREVIEW_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
DOWNLOAD_CSP = "default-src 'none'; sandbox"  # were it ever rendered, nothing would run


@bp.route("/g/<slug>/files/<int:file_id>/download")
@bp.route("/g/<slug>/files/<int:file_id>/versions/<int:number>/download")
def download(slug, file_id, number=None):
    version = _load(slug, file_id, number)
    if request.method == "GET" and not request.range:
        _count_download(file_id)  # a resumed download (a Range request) is not counted again
    return _send(version, inline=False)


@bp.route("/g/<slug>/files/<int:file_id>/preview")
@bp.route("/g/<slug>/files/<int:file_id>/versions/<int:number>/preview")
def preview(slug, file_id, number=None):
    version = _load(slug, file_id, number)
    if not version.previewable:
        abort(404)
    response = _send(version, inline=True)
    response.headers["Content-Security-Policy"] = PREVIEW_CSP
    return response


def _load(slug, file_id, number):
    group = get_group(g.perms, slug)
    f = get_file(g.perms, group, file_id)
    version = get_version(f, number)
    if not Permissions().can_download(f):  # a visitor's answer: no query (posts are kept)
        mark_no_store()
    return version


def _count_download(file_id: int) -> None:
    # The counter is the only thing a GET writes: its own short transaction, one atomic UPDATE.
    db.session.commit()  # end the read transaction first (SQLite upgrades are not safe)
    with writing():
        services.count_download(file_id)
        db.session.commit()


def _send(version, *, inline: bool):
    storage = get_storage()
    name = download_name(version.original_name, version.kind)
    path = storage.local_path(version.blob_sha256)
    if path is not None:
        response = send_file(path, mimetype=version.content_type, as_attachment=not inline,
                             download_name=name, conditional=True, etag=version.blob_sha256,
                             max_age=0)
    else:  # a backend without local files: stream its file object, length from the row
        response = send_file(storage.open(version.blob_sha256), mimetype=version.content_type,
                             as_attachment=not inline, download_name=name, conditional=False,
                             etag=version.blob_sha256, max_age=0)
        response.content_length = version.size
        # Its length is known from the row: werkzeug answers a Range (and If-None-Match) by
        # seeking the store's reader, so media seek and a resumed download gets its rest.
        response = response.make_conditional(request.environ, accept_ranges=True,
                                             complete_length=version.size)
    response.headers["Cache-Control"] = "private, no-cache"
    response.headers["Content-Security-Policy"] = DOWNLOAD_CSP
    return response
