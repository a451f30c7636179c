"""Read-side queries of the library: the page of files, recent files, attachments of posts.
Each is one statement whatever the number of rows (the library page: one, plus a count only
when the page asked for lies past the end). Every list leaves out the files that came with
posts no reader of the list may see (``permissions.files.listed_files_clause``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import NamedTuple

from sqlalchemy import Integer, bindparam, exists, func, select
from sqlalchemy.orm import aliased

from forum.db import json_datetime, json_rows, json_rows_value, run_columns, sql_int
from forum.extensions import db
from forum.files.models import Attachment, Folder, SharedFile
from forum.groups.models import Group
from forum.pagination import Page, paged, paginate, paginate_entities, with_total
from forum.permissions import readable_groups_clause
from forum.permissions.files import listed_files_clause
from forum.users.models import User

PER_PAGE = 25
SORTS = {
    "name": lambda: func.lower(SharedFile.title),
    "date": lambda: SharedFile.updated_at,
    "size": lambda: SharedFile.size,
    "type": lambda: SharedFile.kind,
}
DEFAULT_DIRECTION = {"name": "asc", "date": "desc", "size": "desc", "type": "asc"}


def _ordered(query, sort: str, direction: str):
    column = SORTS[sort]()
    return query.order_by(column.asc() if direction == "asc" else column.desc(),
                          SharedFile.id.desc())


class LibraryRow(NamedTuple):
    """A row of the library's table: only the columns it prints."""

    id: int
    title: str
    kind: str
    size: int
    updated_at: datetime
    version_count: int
    download_count: int
    uploader_name: str | None  # None: a former member
    in_post: bool  # attached to a post


def _library_where(in_folder: bool) -> list:
    where = [SharedFile.group_id == bindparam("group_id"), SharedFile.deleted_at.is_(None),
             listed_files_clause(SharedFile)]
    if in_folder:
        where.append(SharedFile.folder_id == bindparam("folder_id"))
    return where


def _library_statements(in_folder: bool, sort: str, direction: str) -> tuple:
    """(page, count) statements of one listing: built once per process for each of the 16
    combinations (values bound per call). Building them cost more Python than the database
    takes to answer. The total rides on the rows (``with_total``: an uncorrelated count over
    the narrow index (group, deleted_at), cheaper than ``count(*) over ()``, which would
    materialise every matching row with its joins)."""
    where = _library_where(in_folder)
    count = select(func.count()).where(*where)
    in_post = exists().where(Attachment.file_id == SharedFile.id).label("in_post")
    query = (select(SharedFile.id, SharedFile.title, SharedFile.kind, SharedFile.size,
                    SharedFile.updated_at, SharedFile.version_count, SharedFile.download_count,
                    User.display_name.label("uploader_name"), in_post)
             .outerjoin(User, User.id == SharedFile.uploader_id).where(*where))
    return paged(with_total(_ordered(query, sort, direction), count)), count


_LIBRARY_STATEMENTS: dict[tuple, tuple] = {}


def library_page(group, *, folder_id: int | None, sort: str, direction: str,
                 page: int) -> Page[LibraryRow]:
    """A page of the library as plain rows: the table prints a few columns, so loading whole
    files and their uploaders would be wasted. The "attached to a post" badge and the total
    come with the same statement (an EXISTS column and a count subquery)."""
    key = (folder_id is not None, sort, direction)
    statements = _LIBRARY_STATEMENTS.get(key)
    if statements is None:
        statements = _LIBRARY_STATEMENTS[key] = _library_statements(*key)
    params = {"group_id": group.id}
    if folder_id is not None:
        params["folder_id"] = folder_id
    found = paginate(statements[0], count=statements[1], params=params, page=page,
                     per_page=PER_PAGE)
    found.items = [
        LibraryRow(id=r.id, title=r.title, kind=r.kind, size=r.size, updated_at=r.updated_at,
                   version_count=r.version_count, download_count=r.download_count,
                   uploader_name=r.uploader_name, in_post=r.in_post)
        for r in found.items]
    return found


# A library's folders in their order: only the id and name the folder menu prints.
_FOLDER_ROWS = (select(Folder.id, Folder.name).where(Folder.group_id == bindparam("group_id"))
                .order_by(Folder.position, Folder.id))


def folder_rows(group_id: int) -> list:
    return run_columns(db.session, _FOLDER_ROWS, {"group_id": group_id}).all()


def trash_page(group, *, page: int) -> Page[SharedFile]:
    """Deleted files, newest first, as entities: the restore rule reads the file itself."""
    query = (select(SharedFile).where(SharedFile.group_id == group.id,
                                      SharedFile.deleted_at.is_not(None),
                                      listed_files_clause(SharedFile)))
    return paginate_entities(_ordered(query, "date", "desc"), page=page, per_page=PER_PAGE)


def _latest_ids(perms, group, limit: int):
    """The ids of the latest readable files. Filtering by group ids (a semi-join) before
    ordering lets the database sort narrow index entries instead of joined wide rows."""
    readable = select(Group.id).where(readable_groups_clause(perms))
    query = select(SharedFile.id).where(SharedFile.deleted_at.is_(None),
                                        SharedFile.group_id.in_(readable),
                                        listed_files_clause(SharedFile))
    if group is not None:
        query = query.where(SharedFile.group_id == group.id)
    # The LIMIT is written into the SQL so PostgreSQL can keep a cached plan (forum.db.sql_int).
    return query.order_by(SharedFile.updated_at.desc(), SharedFile.id.desc()).limit(sql_int(limit))


# A group's latest files: built once (values bound per call), served by the index
GROUP_PAGE_FILES = 5  # the group page's "Recent files"


class RecentFile(NamedTuple):
    """A row of a group's recent files: only the columns the group page's block prints."""

    id: int
    title: str
    kind: str
    size: int
    updated_at: datetime


def recent_files_column(limit):
    """The group's (``Group``, correlated) newest undeleted files as one JSON value, read with
    ``recent_files``: the group page loads it with the group (``group_page_recent_files``).
    The newest are picked by (group_id, deleted_at, updated_at) in a subquery; their order is
    restored in Python because an aggregate's input order is not promised."""
    newest = aliased(SharedFile)
    picked = (select(newest.id)
              .where(newest.group_id == Group.id, newest.deleted_at.is_(None),
                     listed_files_clause(newest))
              .order_by(newest.updated_at.desc(), newest.id.desc()).limit(limit)
              .correlate(Group))  # two levels down: auto-correlation stops at one
    return (select(json_rows(SharedFile.id, SharedFile.title, SharedFile.kind, SharedFile.size,
                             SharedFile.updated_at))
            .where(SharedFile.id.in_(picked)).scalar_subquery())


def recent_files(value) -> list[RecentFile]:
    rows = [RecentFile(i, title, kind, size, json_datetime(at))
            for i, title, kind, size, at in json_rows_value(value)]
    return sorted(rows, key=lambda f: (f.updated_at, f.id), reverse=True)


def group_page_recent_files():
    """The group page's recent files as a column of the group's own statement: its view hands
    this to ``groups.queries.get_group_page(extra_columns=...)`` and the value it gets back to
    ``group_recent_files``. A module-level function, so the statement is built once."""
    return recent_files_column(GROUP_PAGE_FILES)


@dataclass(frozen=True)
class GroupRecentFiles:
    """What the group page's "Recent files" block prints: the reader's standing (asked of
    forum.permissions once) and, only if they may browse the library, its newest files."""

    can_browse: bool
    signed_in: bool
    files: list[RecentFile]


def group_recent_files(perms, group, loaded) -> GroupRecentFiles:
    """The group page's recent files from ``loaded``, the value of ``group_page_recent_files``
    that came with the group (no statement of its own)."""
    can_browse = perms.can_browse_files(group)
    return GroupRecentFiles(can_browse=can_browse, signed_in=perms.is_authenticated,
                            files=recent_files(loaded) if can_browse else [])


@cache
def _group_recent():
    return (select(recent_files_column(bindparam("limit", type_=Integer)))
            .where(Group.id == bindparam("group_id")))


def recent_group_file_rows(perms, group, *, limit: int = GROUP_PAGE_FILES) -> list[RecentFile]:
    """The latest files of one group (one query), or none when the reader may not browse its
    files: the rule is asked once in Python for the one group instead of as SQL."""
    if not perms.can_browse_files(group):
        return []
    return recent_files(db.session.scalar(_group_recent(),
                                          {"group_id": group.id, "limit": limit}))


def recent_file_rows(perms, *, limit: int = 5) -> list:
    """The home block's latest readable files as plain rows (one query): title, kind, size,
    date and the group's slug and name are all it prints."""
    return run_columns(db.session,
        select(SharedFile.id, SharedFile.title, SharedFile.kind, SharedFile.size,
               SharedFile.updated_at, Group.slug.label("group_slug"),
               Group.name.label("group_name"))
        .join(Group, Group.id == SharedFile.group_id)
        .where(SharedFile.id.in_(_latest_ids(perms, None, limit)))
        .order_by(SharedFile.updated_at.desc(), SharedFile.id.desc())
    ).all()
