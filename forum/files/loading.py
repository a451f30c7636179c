"""Load-or-404, then authorise: one helper per object type.

A group the user may not know of, and anything in it, answers 404 whatever the address; a
file is only ever found through its own group (``/g/<slug>/files/<id>`` with another group's
slug is a 404 too), and a file that came with discussion posts only while one of them may be
seen (``FileRules.can_see_source``), whatever the route: detail, versions, downloads,
previews, edit, delete, restore.
"""

from __future__ import annotations

from flask import abort
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from forum.extensions import db
from forum.files.models import FileVersion, Folder, LibrarySettings, SharedFile
from forum.groups.models import Group

# The library settings come with the group (outer join): the upload rule asked on every
# library page then needs no query of its own. Built once; the slug is bound per call.
_GROUP_BY_SLUG = (select(Group, LibrarySettings.upload_policy)
                  .where(Group.slug == bindparam("slug"))
                  .outerjoin(LibrarySettings, LibrarySettings.group_id == Group.id))


def get_group(perms, slug: str, *, check=None) -> Group:
    row = db.session.execute(_GROUP_BY_SLUG, {"slug": slug}).first()
    group = row[0] if row else None
    if group is None or not perms.can_view(group):
        abort(404)
    perms.know_upload_policy(group.id, row[1])
    perms.ensure((check or perms.can_browse_files)(group))
    return group


def get_file(perms, group: Group, file_id: int, *, check=None) -> SharedFile:
    f = db.session.scalar(
        select(SharedFile).options(joinedload(SharedFile.uploader), joinedload(SharedFile.folder))
        .where(SharedFile.id == file_id, SharedFile.group_id == group.id))
    if f is None:
        abort(404)
    f.group = group
    if f.is_deleted and not perms.can_view_trash(group):
        abort(404)  # a deleted file is gone for everyone but those who may restore it
    if not perms.can_see_source(f):
        abort(404)  # it came with posts this user may not see: a 404, as for the posts
    perms.ensure((check or perms.can_download)(f))
    return f


def get_version(f: SharedFile, number: int | None) -> FileVersion:
    query = select(FileVersion).where(FileVersion.file_id == f.id)
    if number is None:
        query = query.where(FileVersion.id == f.current_version_id)
    else:
        query = query.where(FileVersion.number == number)
    version = db.session.scalar(query)
    if version is None:
        abort(404)
    return version


def get_folder(group: Group, folder_id: int) -> Folder:
    folder = db.session.get(Folder, folder_id)
    if folder is None or folder.group_id != group.id:
        abort(404)
    return folder


def folder_or_none(group: Group, folder_id: int | None) -> Folder | None:
    """The folder chosen in a form (0 or None: the top level); a foreign id is a 404."""
    return get_folder(group, folder_id) if folder_id else None
