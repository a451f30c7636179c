"""Folders of a group's library: create, rename, reorder, remove (their files go to the top)."""

from __future__ import annotations

from sqlalchemy import func, select, update

from forum.extensions import db
from forum.files.models import Folder, LibrarySettings, SharedFile, UploadPolicy


class FolderError(Exception):
    """A folder change was refused; the message is for the form."""


def folders_of(group_id: int) -> list[Folder]:
    return list(db.session.scalars(
        select(Folder).where(Folder.group_id == group_id).order_by(Folder.position, Folder.id)))


def _name_taken(group_id: int, name: str, except_id: int | None = None) -> bool:
    query = select(Folder.id).where(Folder.group_id == group_id,
                                    func.lower(Folder.name) == name.lower())
    if except_id is not None:
        query = query.where(Folder.id != except_id)
    return db.session.scalar(query) is not None


def create_folder(group, name: str) -> Folder:
    if _name_taken(group.id, name):
        raise FolderError(f"There is already a folder called “{name}”.")
    last = db.session.scalar(
        select(func.max(Folder.position)).where(Folder.group_id == group.id)) or 0
    folder = Folder(group_id=group.id, name=name, position=last + 1)
    db.session.add(folder)
    db.session.flush()
    return folder


def ensure_folder(group, name: str) -> Folder:
    """The folder called ``name``, created if missing (idempotent: for seeds and attachments)."""
    existing = db.session.scalar(
        select(Folder).where(Folder.group_id == group.id, Folder.name == name))
    return existing or create_folder(group, name)


def rename_folder(folder: Folder, name: str) -> bool:
    if folder.name == name:
        return False
    if _name_taken(folder.group_id, name, except_id=folder.id):
        raise FolderError(f"There is already a folder called “{name}”.")
    folder.name = name
    db.session.flush()
    return True


def move_folder(folder: Folder, direction: str) -> bool:
    """Swap with the neighbour above or below; at either end nothing changes."""
    siblings = folders_of(folder.group_id)
    for position, f in enumerate(siblings):  # normalise gaps and ties first
        f.position = position
    index = next(i for i, f in enumerate(siblings) if f.id == folder.id)
    other = index - 1 if direction == "up" else index + 1
    if other < 0 or other >= len(siblings):
        db.session.flush()
        return False
    siblings[index].position, siblings[other].position = other, index
    db.session.flush()
    return True


def remove_folder(folder: Folder) -> None:
    db.session.execute(update(SharedFile).where(SharedFile.folder_id == folder.id)
                       .values(folder_id=None))
    db.session.delete(folder)
    db.session.flush()


def set_upload_policy(group, policy: UploadPolicy) -> bool:
    """Idempotent: choosing the policy in force changes nothing and says so."""
    settings = db.session.get(LibrarySettings, group.id)
    if settings is None:
        if policy == UploadPolicy.MEMBERS:
            return False
        db.session.add(LibrarySettings(group_id=group.id, upload_policy=policy))
    elif settings.upload_policy == policy:
        return False
    else:
        settings.upload_policy = policy
    db.session.flush()
    return True
