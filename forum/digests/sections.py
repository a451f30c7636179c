"""A digest's "Coming up" and "Get involved": what the member may see of the events of the
next two weeks and the open volunteer openings, each read by its feature's public function
(one statement each, whatever the member's groups), as plain dicts for the mail's templates."""

from __future__ import annotations

from forum.events.queries import upcoming
from forum.notifications.emails import absolute
from forum.volunteering.home import open_opportunity_rows

COMING_UP_DAYS = 14
MAX_EVENTS = 5
MAX_OPENINGS = 5


def coming_up(perms) -> list[dict]:
    """The next events (occurrences of a series count one by one) within ``COMING_UP_DAYS``
    that the member may see, soonest first; cancelled ones are left out."""
    page = upcoming(perms, horizon_days=COMING_UP_DAYS, per_page=MAX_EVENTS + 5, count=False)
    rows = [row for row in page.items if not row.cancelled][:MAX_EVENTS]
    return [{
        "title": row.title, "group": row.group_name, "all_day": row.all_day,
        "starts_at": row.starts_at, "days_label": row.days_label, "location": row.location,
        "url": absolute("events.event", event_id=row.event_id,
                        **({"on": row.key} if row.repeats else {})),
    } for row in rows]


def get_involved(perms) -> list[dict]:
    """Open volunteer openings the member may see, the soonest deadline first."""
    return [{
        "title": row.title, "group": row.group_name, "deadline": row.deadline,
        "url": absolute("volunteering.opportunity", opportunity_id=row.id),
    } for row in open_opportunity_rows(perms, limit=MAX_OPENINGS)]
