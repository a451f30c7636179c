"""Read-side queries of the library: the page of files, recent files, attachments of posts.
Each is one statement (or the two of a paginated list), whatever the number of rows."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from forum.extensions import db
from forum.files.models import Attachment, SharedFile
from forum.groups.models import Group
from forum.permissions import readable_groups_clause

PER_PAGE = 25
SORTS = {
    "name": lambda: func.lower(SharedFile.title),
    "date": lambda: SharedFile.updated_at,
    "size": lambda: SharedFile.size,
    "type": lambda: SharedFile.kind,
}
DEFAULT_DIRECTION = {"name": "asc", "date": "desc", "size": "desc", "type": "asc"}


def library_page(group, *, folder_id: int | None, sort: str, direction: str, page: int,
                 deleted: bool = False):
    column = SORTS[sort]()
    order = column.asc() if direction == "asc" else column.desc()
    query = (select(SharedFile).options(joinedload(SharedFile.uploader))
             .where(SharedFile.group_id == group.id))
    if deleted:
        query = query.where(SharedFile.deleted_at.is_not(None))
    else:
        query = query.where(SharedFile.deleted_at.is_(None))
        if folder_id is not None:
            query = query.where(SharedFile.folder_id == folder_id)
    query = query.order_by(order, SharedFile.id.desc())
    return db.paginate(query, page=page, per_page=PER_PAGE, error_out=False, max_per_page=100)


def attached_post_ids(file_ids: list[int]) -> dict[int, int]:
    """file id → the post it came with (for the "attached to a post" link)."""
    if not file_ids:
        return {}
    rows = db.session.execute(select(Attachment.file_id, Attachment.post_id)
                              .where(Attachment.file_id.in_(file_ids)))
    return {file_id: post_id for file_id, post_id in rows}


def recent_files(perms, *, group=None, limit: int = 5) -> list[SharedFile]:
    """The latest files the user may read, across the site or in one group (one query)."""
    query = (select(SharedFile).join(Group, Group.id == SharedFile.group_id)
             .options(joinedload(SharedFile.uploader), joinedload(SharedFile.group))
             .where(SharedFile.deleted_at.is_(None), readable_groups_clause(perms)))
    if group is not None:
        query = query.where(SharedFile.group_id == group.id)
    return list(db.session.scalars(query.order_by(SharedFile.updated_at.desc(),
                                                  SharedFile.id.desc()).limit(limit)))
