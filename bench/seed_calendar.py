"""The calendar for the bench: events over two years (past and coming), a few monthly series,
RSVPs and recordings. Times come from the feature's own rules (``events.services.
resolve_times``), so the rows are what publishing them would store."""

from __future__ import annotations

import random
import uuid
from datetime import time, timedelta

from sqlalchemy.engine import Connection

from bench.seed import Scale, insert_batches, next_id
from forum.events.services import EventInput, resolve_times
from forum.markup import render

EVENTS = {"10k": 300, "100k": 2_000, "1m": 5_000}
ZONES = ("America/Chicago", "America/New_York", "America/Los_Angeles", "UTC")
TITLES = ("Monthly webinar", "Interest group meetup", "Program planning call",
          "Conference session", "Book discussion", "Leadership clinic", "Office hours")


def seed_calendar(conn: Connection, scale: Scale, groups: list[dict], members: dict,
                  rng: random.Random, now) -> dict:
    section_id = groups[0]["section_id"]
    description = "Join us. **Bring your questions**; the agenda is in the group's library."
    html = render(description)
    first_id = event_id = next_id(conn, "events")
    events, rsvps, recordings = [], [], []
    count = EVENTS.get(scale.name, 2_000)
    # The event the bench opens: a coming, section-wide one (every third event is), featured.
    measured = count // 2 + 10
    measured += (1 - measured % 3) % 3
    today = now.date()
    for n in range(count):
        group = groups[0] if n % 3 == 0 else (None if n % 3 == 1 else rng.choice(groups))
        day = today + timedelta(days=int((n / count) * 730) - 365)
        repeating = n % 50 == 0
        all_day = n % 17 == 0
        data = EventInput(
            title=f"{TITLES[n % len(TITLES)]} ({n + 1})", description=description,
            timezone=ZONES[n % len(ZONES)], all_day=all_day, start_date=day,
            end_date=day + timedelta(days=2 if all_day else 0),
            start_time=None if all_day else time(10), end_time=None if all_day else time(11),
            rrule="FREQ=MONTHLY;COUNT=12" if repeating else "",
            capacity=50 if n % 5 == 0 else None, featured=n == measured)
        t = resolve_times(data)
        events.append({
            "id": event_id, "section_id": section_id,
            "group_id": group["id"] if group else None, "uid": f"{uuid.uuid4()}@bench",
            "sequence": 0, "title": data.title, "description": description,
            "description_html": html, "timezone": data.timezone, "all_day": all_day,
            "starts_at": t.starts_at, "ends_at": t.ends_at, "start_date": t.start_date,
            "end_date": t.end_date, "series_ends_at": t.series_ends_at, "rrule": t.rrule,
            "exdates": t.exdates, "location": "Room 101", "online_url": "",
            "capacity": data.capacity, "featured": data.featured, "status": "scheduled",
            "created_at": now, "updated_at": now})
        people = members[group["id"]] if group else members[groups[0]["id"]]
        for user_id in rng.sample(people, min(len(people), 8)):
            rsvps.append({"event_id": event_id, "occurrence_at": t.starts_at,
                          "user_id": user_id, "answer": "going", "waitlisted": False,
                          "created_at": now, "updated_at": now})
        if t.ends_at < now and n % 4 == 0:
            recordings.append({"event_id": event_id, "occurrence_at": t.starts_at,
                               "title": f"Recording: {data.title}",
                               "url": "https://video.example.org/bench", "slides_url": "",
                               "members_only": n % 8 == 0, "created_at": t.ends_at,
                               "updated_at": t.ends_at})
        event_id += 1
    insert_batches(conn, "events", events)
    insert_batches(conn, "rsvps", rsvps)
    insert_batches(conn, "recordings", recordings)
    return {"events": len(events), "event_id": first_id + measured}
