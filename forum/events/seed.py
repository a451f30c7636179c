"""Demo calendar: Interest Group Week (save the date), a monthly webinar series with two past
recordings, and a couple of group events with answers. Missing groups or users are skipped."""

from __future__ import annotations

from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

from forum.db import utcnow
from forum.events import services, times
from forum.events.models import Recording, Rsvp, RsvpAnswer
from forum.events.services import EventInput
from forum.extensions import db

CHICAGO = "America/Chicago"


def seed(ctx: dict) -> None:
    section = ctx.get("section")
    if section is None:
        return
    users, groups = ctx.get("users", {}), ctx.get("groups", {})
    admin = users.get("admin") or next(iter(users.values()), None)
    today = utcnow().astimezone(ZoneInfo(CHICAGO)).date()
    events = ctx.setdefault("events", {})

    events["igw"] = services.create_event(admin, section.id, None, EventInput(
        title=f"{today.year + 1} Interest Group Week", timezone=CHICAGO, all_day=True,
        start_date=date(today.year + 1, 3, 7), end_date=date(today.year + 1, 3, 11),
        featured=True, location="Online",
        description="Save the date! A week of free online sessions hosted by the section's "
                    "interest groups: **one or two sessions a day**, all recorded."))

    first = (today.replace(day=1) - timedelta(days=40)).replace(day=15)
    webinar = services.create_event(admin, section.id, None, EventInput(
        title="Leadership webinar series", timezone=CHICAGO, all_day=False,
        start_date=first, end_date=first, start_time=time(10), end_time=time(11),
        rrule="FREQ=MONTHLY;COUNT=10", online_url="https://meet.example.org/leadership",
        description="A monthly hour with a practitioner: how they led a change, what worked "
                    "and what they would do differently. Bring questions."))
    events["webinar"] = webinar
    for n, occ in enumerate(times.occurrences(webinar)[:2], start=1):
        db.session.add(Recording(
            event_id=webinar.id, occurrence_at=occ.starts_at,
            title=f"Leadership webinar #{n}: " + ("Leading through a reorganisation",
                                                  "Budgets without tears")[n - 1],
            url=f"https://video.example.org/leadership-webinar-{n}",
            slides_url=f"https://slides.example.org/leadership-webinar-{n}.pdf",
            members_only=n == 2, created_by_id=admin.id if admin else None,
            created_at=occ.ends_at + timedelta(days=2)))

    pm = groups.get("project-management")
    if pm is not None:
        day = today + timedelta(days=17)
        events["agile"] = services.create_event(users.get("priya", admin), section.id, pm.id,
                                                EventInput(
            title="Agile for library projects: a hands-on workshop", timezone=CHICAGO,
            all_day=False, start_date=day, end_date=day, start_time=time(13),
            end_time=time(15), capacity=3, location="Online",
            online_url="https://meet.example.org/agile-workshop",
            description="Kanban boards, stand-ups and retrospectives for library teams. "
                        "Small group: **three seats**, then a waiting list."))
        for handle, answer in (("marcus", RsvpAnswer.GOING), ("lena", RsvpAnswer.GOING),
                               ("mei", RsvpAnswer.GOING), ("diego", RsvpAnswer.GOING),
                               ("aisha", RsvpAnswer.MAYBE)):
            _answer(events["agile"], users.get(handle), answer)
    mm = groups.get("middle-managers")
    if mm is not None:
        day = today + timedelta(days=9)
        events["coffee"] = services.create_event(users.get("lena", admin), section.id, mm.id,
                                                 EventInput(
            title="Middle managers' coffee hour", timezone=CHICAGO, all_day=False,
            start_date=day, end_date=day, start_time=time(8, 30), end_time=time(9, 30),
            rrule="FREQ=WEEKLY;COUNT=6", location="Staff lounge, Main Library",
            description="An informal weekly half hour to trade notes. Drop in."))
    db.session.flush()


def _answer(event, user, answer: RsvpAnswer) -> None:
    if user is None:
        return
    seated = db.session.query(Rsvp).filter_by(event_id=event.id, answer=RsvpAnswer.GOING,
                                              waitlisted=False).count()
    full = answer == RsvpAnswer.GOING and event.capacity is not None and seated >= event.capacity
    db.session.add(Rsvp(event_id=event.id, occurrence_at=event.starts_at, user_id=user.id,
                        answer=answer, waitlisted=full, queued_at=utcnow() if full else None))
    db.session.flush()
