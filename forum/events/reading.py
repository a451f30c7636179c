"""One event's page: the occurrence shown, the counts, the reader's answer, its recordings."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select

from forum.events import times
from forum.events.models import Event, Recording, Rsvp, RsvpAnswer
from forum.events.rsvps import my_rsvp, queue_position
from forum.extensions import db
from forum.files.models import SharedFile
from forum.users.models import User


@dataclass(frozen=True, slots=True)
class Counts:
    going: int = 0
    maybe: int = 0
    waiting: int = 0


@dataclass(frozen=True, slots=True)
class Attendee:
    display_name: str
    username: str
    answer: RsvpAnswer
    waitlisted: bool


@dataclass(frozen=True, slots=True)
class RecordingRow:
    id: int
    title: str
    url: str
    file_id: int | None
    slides_url: str
    slides_file_id: int | None
    members_only: bool
    occurrence_at: object
    file_type: str | None  # the library file's sniffed type: video/… and audio/… play inline


@dataclass(frozen=True)
class EventPage:
    event: Event
    occurrence: times.Occurrence
    others: list[times.Occurrence]  # the other occurrences (repeating events), for links
    counts: Counts
    mine: Rsvp | None
    queue_position: int | None
    recordings: list[RecordingRow]
    can_edit: bool
    can_rsvp: bool
    can_see_link: bool
    seats_left: int | None
    attendees: list[Attendee]  # for whoever may edit the event; empty for everyone else


def counts_for(event_id: int, occurrence_at) -> Counts:
    seated = (Rsvp.answer == RsvpAnswer.GOING) & Rsvp.waitlisted.is_(False)
    row = db.session.execute(select(
        func.count(case((seated, 1))),
        func.count(case((Rsvp.answer == RsvpAnswer.MAYBE, 1))),
        func.count(case((Rsvp.waitlisted.is_(True), 1))),
    ).where(Rsvp.event_id == event_id, Rsvp.occurrence_at == occurrence_at)).one()
    return Counts(*row)


def recordings_of(event_id: int) -> list[RecordingRow]:
    return [RecordingRow(*r) for r in db.session.execute(
        select(Recording.id, Recording.title, Recording.url, Recording.file_id,
               Recording.slides_url, Recording.slides_file_id, Recording.members_only,
               Recording.occurrence_at, SharedFile.content_type)
        .outerjoin(SharedFile, SharedFile.id == Recording.file_id)
        .where(Recording.event_id == event_id)
        .order_by(Recording.occurrence_at.desc(), Recording.id.desc()))]


def attendees_of(event_id: int, occurrence_at) -> list[Attendee]:
    """Who answered going or maybe: seated first, then the queue in order, then maybe."""
    rows = db.session.execute(
        select(User.display_name, User.username, Rsvp.answer, Rsvp.waitlisted)
        .join(User, User.id == Rsvp.user_id)
        .where(Rsvp.event_id == event_id, Rsvp.occurrence_at == occurrence_at,
               Rsvp.answer != RsvpAnswer.NOT_GOING)
        .order_by(Rsvp.answer, Rsvp.waitlisted, Rsvp.queued_at, Rsvp.id).limit(1000))
    return [Attendee(*r) for r in rows]


def read_event_page(perms, event: Event, occ: times.Occurrence, all_occ) -> EventPage:
    counts = counts_for(event.id, occ.starts_at)
    mine = my_rsvp(event.id, occ.starts_at, perms.user_id) if perms.is_authenticated else None
    going = mine is not None and mine.has_seat
    seats_left = None if event.capacity is None else max(event.capacity - counts.going, 0)
    can_edit = perms.can_edit_event(event)
    return EventPage(
        event=event, occurrence=occ, others=[o for o in all_occ if o != occ][:24],
        counts=counts, mine=mine, queue_position=queue_position(mine) if mine else None,
        recordings=recordings_of(event.id), can_edit=can_edit,
        can_rsvp=perms.can_rsvp(event), can_see_link=perms.can_see_online_link(event, going),
        seats_left=seats_left,
        attendees=attendees_of(event.id, occ.starts_at) if can_edit else [])
