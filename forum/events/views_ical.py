"""iCalendar downloads: one event, a group's and a section's feeds, a member's private feed."""

from __future__ import annotations

import re

from flask import Response, abort, g, url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from forum.events import bp, ical
from forum.events.models import CalendarFeed, Event, Rsvp, RsvpAnswer
from forum.events.views import get_event
from forum.extensions import db
from forum.groups.models import Group, Section
from forum.permissions import Permissions, visible_events_clause
from forum.users.models import User

FEED_LIMIT = 500
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def _ics(body: bytes, filename: str, private: bool = False) -> Response:
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store" if private else "no-cache"
    return response


def _url(event: Event) -> str:
    return url_for("events.event", event_id=event.id, _external=True)


@bp.get("/<int:event_id>.ics")
def event_ics(event_id: int):
    ev = get_event(event_id)
    going = False
    if g.perms.is_authenticated:
        going = db.session.scalar(select(Rsvp.id).where(
            Rsvp.event_id == ev.id, Rsvp.user_id == g.perms.user_id,
            Rsvp.answer == RsvpAnswer.GOING, Rsvp.waitlisted.is_(False)).limit(1)) is not None
    online = ev.online_url if ev.online_url and g.perms.can_see_online_link(ev, going) else None
    return _ics(ical.calendar(ev.title, [(ev, _url(ev), online)]), f"event-{ev.id}.ics",
                private=online is not None)


def _feed(perms, name: str, *where) -> bytes:
    events = db.session.scalars(
        select(Event).where(visible_events_clause(perms), *where)
        .order_by(Event.starts_at.desc(), Event.id.desc()).limit(FEED_LIMIT))
    return ical.calendar(name, [(e, _url(e), None) for e in events])


@bp.get("/groups/<slug>.ics")
def group_ics(slug: str):
    group = db.session.scalar(select(Group).where(Group.slug == slug[:80]))
    if group is None or not g.perms.can_read(group):
        abort(404)
    return _ics(_feed(g.perms, group.name, Event.group_id == group.id), f"{group.slug}.ics",
                private=g.perms.is_authenticated)


@bp.get("/sections/<slug>.ics")
def section_ics(slug: str):
    section = db.session.scalar(select(Section).where(Section.slug == slug[:80]))
    if section is None:
        abort(404)
    return _ics(_feed(g.perms, section.name, Event.section_id == section.id),
                f"{section.slug}.ics", private=g.perms.is_authenticated)


@bp.get("/feed/<token>.ics")
def private_ics(token: str):
    if not _TOKEN.match(token):
        abort(404)
    feed = db.session.scalar(select(CalendarFeed).where(CalendarFeed.token == token))
    if feed is None:
        abort(404)
    user = db.session.get(User, feed.user_id)
    perms = Permissions(user)
    if not perms.is_member:
        abort(404)
    rows = db.session.execute(
        select(Event, Rsvp.answer, Rsvp.waitlisted).join(Rsvp, Rsvp.event_id == Event.id)
        .options(joinedload(Event.group))
        .where(Rsvp.user_id == user.id,
               Rsvp.answer.in_((RsvpAnswer.GOING, RsvpAnswer.MAYBE)),
               visible_events_clause(perms))
        .order_by(Event.starts_at.desc(), Event.id).limit(FEED_LIMIT)).unique().all()
    items, seen = [], set()
    for ev, answer, waitlisted in rows:
        if ev.id in seen:
            continue
        seen.add(ev.id)
        seated = answer == RsvpAnswer.GOING and not waitlisted
        online = ev.online_url if ev.online_url and perms.can_see_online_link(ev, seated) else None
        items.append((ev, _url(ev), online))
    return _ics(ical.calendar(f"{user.display_name}: my events", items), "my-events.ics",
                private=True)
