"""Members' answers (RSVPs), the waiting list and the reminder the day before.

One answer per member and occurrence. With a capacity, "going" takes a seat while one is free,
else joins the waiting list in order; when a seated member changes their answer, the first in
the queue gets the seat and an e-mail. The event's row is locked FOR UPDATE first (PostgreSQL;
SQLite's writers already hold the database's write lock from BEGIN IMMEDIATE), so two members
racing for the last seat are served one after the other: exactly one gets it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select, update

from forum.db import utcnow
from forum.events.models import Event, EventStatus, Rsvp, RsvpAnswer
from forum.events.services import EventError
from forum.events.times import Occurrence, occurrence_at, zone_or_utc
from forum.extensions import db
from forum.mail import queue_template
from forum.notifications.emails import absolute

REMIND_AHEAD = timedelta(hours=24)


def my_rsvp(event_id: int, occurrence_at: datetime, user_id: int) -> Rsvp | None:
    return db.session.scalar(select(Rsvp).where(
        Rsvp.event_id == event_id, Rsvp.occurrence_at == occurrence_at, Rsvp.user_id == user_id))


def seats_taken(event_id: int, occurrence_at: datetime) -> int:
    return db.session.scalar(select(func.count()).select_from(Rsvp).where(
        Rsvp.event_id == event_id, Rsvp.occurrence_at == occurrence_at,
        Rsvp.answer == RsvpAnswer.GOING, Rsvp.waitlisted.is_(False))) or 0


def answer(user, event: Event, occ: Occurrence, choice: RsvpAnswer,
           now: datetime | None = None) -> Rsvp:
    """Record ``user``'s answer for ``occ``; EventError (nothing changed) when it cannot be."""
    now = now or utcnow()
    # Serialise answers to this event: the last seat goes to exactly one member.
    status, capacity = db.session.execute(
        select(Event.status, Event.capacity).where(Event.id == event.id).with_for_update()).one()
    if status == EventStatus.CANCELLED:
        raise EventError("This event is cancelled.")
    if occ.starts_at <= now:
        raise EventError("This event has already started; answers are closed.")
    mine = my_rsvp(event.id, occ.starts_at, user.id)
    if mine is not None and mine.answer == choice:
        raise EventError(f"You have already answered “{choice.label}”.")
    had_seat = mine is not None and mine.has_seat
    full = False
    if choice == RsvpAnswer.GOING:
        full = capacity is not None and seats_taken(event.id, occ.starts_at) >= capacity
    if mine is None:
        mine = Rsvp(event_id=event.id, occurrence_at=occ.starts_at, user_id=user.id)
        db.session.add(mine)
    mine.waitlisted = full
    mine.queued_at = now if full else None  # joining the queue: at its end
    mine.answer = choice
    mine.updated_at = now
    db.session.flush()
    if had_seat and not mine.has_seat:
        promote_next(event, occ, capacity)
    return mine


def promote_next(event: Event, occ: Occurrence, capacity: int | None) -> Rsvp | None:
    """Give free seats to the waiting list in order (first queued first), telling each."""
    promoted = None
    while capacity is None or seats_taken(event.id, occ.starts_at) < capacity:
        nxt = db.session.scalar(
            select(Rsvp).where(Rsvp.event_id == event.id, Rsvp.occurrence_at == occ.starts_at,
                               Rsvp.answer == RsvpAnswer.GOING, Rsvp.waitlisted.is_(True))
            .order_by(Rsvp.queued_at, Rsvp.id).limit(1))
        if nxt is None:
            break
        nxt.waitlisted = False
        nxt.queued_at = None
        db.session.flush()
        _tell(nxt, event, occ, "event_promoted", f"You have a seat: {event.title}")
        promoted = nxt
    return promoted


def promote_after_edit(event: Event, now: datetime | None = None) -> int:
    """After an edit raised or removed the capacity: seat the waiting lists of the dates to
    come, in order, telling each. (A lowered capacity unseats nobody.) Returns how many."""
    now = now or utcnow()
    db.session.execute(select(Event.id).where(Event.id == event.id).with_for_update())
    waiting = db.session.scalars(
        select(Rsvp.occurrence_at).where(Rsvp.event_id == event.id, Rsvp.waitlisted.is_(True),
                                         Rsvp.occurrence_at > now).distinct()).all()
    promoted = 0
    for starts_at in waiting:
        occ = occurrence_at(event, starts_at)
        if occ is None:  # the date left the rule: nobody is seated for it
            continue
        before = seats_taken(event.id, starts_at)
        promote_next(event, occ, event.capacity)
        promoted += seats_taken(event.id, starts_at) - before
    return promoted


def queue_position(rsvp: Rsvp) -> int | None:
    if not rsvp.waitlisted:
        return None
    ahead = db.session.scalar(select(func.count()).select_from(Rsvp).where(
        Rsvp.event_id == rsvp.event_id, Rsvp.occurrence_at == rsvp.occurrence_at,
        Rsvp.answer == RsvpAnswer.GOING, Rsvp.waitlisted.is_(True),
        (Rsvp.queued_at < rsvp.queued_at)
        | ((Rsvp.queued_at == rsvp.queued_at) & (Rsvp.id < rsvp.id)))) or 0
    return ahead + 1


def _when(event: Event, occ_start: datetime, user) -> str:
    if event.all_day:
        local = occ_start.astimezone(zone_or_utc(event.timezone))
        return f"{local:%A %-d %B %Y}, all day"
    local = occ_start.astimezone(zone_or_utc(user.timezone or event.timezone))
    return f"{local:%A %-d %B %Y, %H:%M} ({local.tzname()})"


def _tell(rsvp: Rsvp, event: Event, occ: Occurrence, template: str, subject: str) -> None:
    user = rsvp.user
    link = absolute("events.event", event_id=event.id, on=occ.key if event.repeats else None)
    queue_template(user.email, subject, template, event=event, name=user.display_name,
                   when=_when(event, occ.starts_at, user), link=link)


def send_due_reminders(now: datetime | None = None) -> int:
    """Queue the day-before reminder for every seated or "maybe" answer whose occurrence starts
    within a day and was not reminded yet. Each row is claimed with a conditional UPDATE
    (reminded_at IS NULL), so two workers, or a rerun, never send one twice. Flushes; the
    caller commits."""
    now = now or utcnow()
    due = db.session.execute(
        select(Rsvp.id).join(Event, Event.id == Rsvp.event_id)
        .where(Rsvp.reminded_at.is_(None), Rsvp.occurrence_at > now,
               Rsvp.occurrence_at <= now + REMIND_AHEAD,
               Rsvp.answer.in_((RsvpAnswer.GOING, RsvpAnswer.MAYBE)),
               Rsvp.waitlisted.is_(False), Event.status == EventStatus.SCHEDULED)
        .order_by(Rsvp.id).limit(500)).scalars().all()
    sent = 0
    for rsvp_id in due:
        claimed = db.session.execute(
            update(Rsvp).where(Rsvp.id == rsvp_id, Rsvp.reminded_at.is_(None))
            .values(reminded_at=now).execution_options(synchronize_session=False)).rowcount
        if not claimed:
            continue
        rsvp = db.session.get(Rsvp, rsvp_id)
        event = rsvp.event
        occ = Occurrence(rsvp.occurrence_at, rsvp.occurrence_at, event.all_day,
                         rsvp.occurrence_at.astimezone(zone_or_utc(event.timezone)).date())
        _tell(rsvp, event, occ, "event_reminder", f"Tomorrow: {event.title}")
        sent += 1
    db.session.flush()
    return sent
