"""Recordings and slides left after an event: adding them, and the "new recordings" lists.

A recording is a link, or a file uploaded into the event's group library through the files
feature (so the library's quota, type checks and streamed, Range-capable downloads apply); a
section-wide event has no library, so it takes links only. Members-only recordings show
visitors "members — log in to view this content" instead of their links.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from forum.db import utcnow
from forum.events.models import Event, Recording
from forum.events.services import EventError
from forum.events.times import Occurrence
from forum.extensions import db
from forum.files import services as files
from forum.files.models import SharedFile
from forum.groups.models import Group
from forum.pagination import Page
from forum.permissions import visible_events_clause

PER_PAGE = 20


def add_recording(user, event: Event, occ: Occurrence, *, title: str, url: str = "",
                  slides_url: str = "", members_only: bool = False, media=None,
                  slides=None, now: datetime | None = None) -> Recording:
    """Add a recording of ``occ``; ``media``/``slides``: uploads (werkzeug FileStorage) or
    None. Raises EventError (nothing stored) or files.UploadError from the library."""
    now = now or utcnow()
    if occ.starts_at > now:
        raise EventError("A recording can be added once the event has taken place.", "on")
    uploads = [u for u in (media, slides) if u is not None and getattr(u, "filename", "")]
    if uploads and event.group_id is None:
        raise EventError("A section-wide event has no library: give links instead.", "url")
    if not url and (media is None or not getattr(media, "filename", "")):
        raise EventError("Give a link to the recording or upload its file.", "url")
    rec = Recording(event_id=event.id, occurrence_at=occ.starts_at, title=title.strip(),
                    url=url.strip(), slides_url=slides_url.strip(),
                    members_only=bool(members_only), created_by_id=user.id)
    if uploads:
        with files.received(uploads) as received:
            files.check_upload_allowance(user, received)
            stored = files.store_new_files(
                event.group, received, user, title=title,
                description=f"From the event “{event.title}”.")
        by_upload = dict(zip(uploads, stored, strict=True))
        if media in by_upload:
            rec.file_id = by_upload[media].id
        if slides in by_upload:
            rec.slides_file_id = by_upload[slides].id
    db.session.add(rec)
    db.session.flush()
    return rec


@dataclass(frozen=True, slots=True)
class RecordingListRow:
    id: int
    title: str
    url: str
    file_id: int | None
    slides_url: str
    slides_file_id: int | None
    members_only: bool
    occurrence_at: datetime | None
    created_at: datetime
    event_id: int
    event_title: str
    group_slug: str | None
    group_name: str | None
    file_type: str | None  # the library file's sniffed type: video/… and audio/… play inline


def _stmt(perms):
    return (select(Recording.id, Recording.title, Recording.url, Recording.file_id,
                   Recording.slides_url, Recording.slides_file_id, Recording.members_only,
                   Recording.occurrence_at, Recording.created_at, Event.id, Event.title,
                   Group.slug, Group.name, SharedFile.content_type)
            .join(Event, Event.id == Recording.event_id)
            .outerjoin(Group, Group.id == Event.group_id)
            .outerjoin(SharedFile, SharedFile.id == Recording.file_id)
            .where(visible_events_clause(perms)))


def latest_recordings(perms, limit: int = 5) -> list[RecordingListRow]:
    rows = db.session.execute(_stmt(perms).order_by(Recording.created_at.desc(),
                                                    Recording.id.desc()).limit(limit))
    return [RecordingListRow(*r) for r in rows]


def recordings_page(perms, page: int = 1) -> Page[RecordingListRow]:
    total = db.session.scalar(select(func.count()).select_from(
        _stmt(perms).with_only_columns(Recording.id).subquery())) or 0
    rows = db.session.execute(_stmt(perms).order_by(
        Recording.created_at.desc(), Recording.id.desc())
        .limit(PER_PAGE).offset((page - 1) * PER_PAGE))
    return Page([RecordingListRow(*r) for r in rows], page, PER_PAGE, total)
