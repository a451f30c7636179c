"""The month grid kept in the fragment cache (templates/events/calendar.html, keyed by a digest
of the month and the reader's zone): each reader still sees the events they may see, at the
times of their own zone, and a new event shows at once."""

from __future__ import annotations

from datetime import time

import pytest

from forum.extensions import db
from forum.groups.models import Visibility
from tests.factories import make_group, make_membership, make_section, make_user
from tests.factories_events import make_event
from tests.helpers import login


@pytest.fixture
def site(app):
    section = make_section()
    inner = make_group(section=section, slug="inner", visibility=Visibility.PRIVATE)
    chicago = make_user(username="chicago")
    chicago.timezone = "America/Chicago"
    utc = make_user(username="utc")
    utc.timezone = "UTC"
    outsider = make_user(username="outsider")  # in Chicago too: only the events differ
    outsider.timezone = "America/Chicago"
    for member in (chicago, utc):
        make_membership(group=inner, user=member)
    admin = make_user(username="admin", site_admin=True)
    # Five weeks ahead at 10:00 and 12:00 in Chicago: the same day in UTC.
    public = make_event(section=section, user=admin, title="Open webinar", days_ahead=35,
                        start_time=time(10), end_time=time(11))
    make_event(section=section, group=inner, user=admin, title="Inner planning",
               days_ahead=35, start_time=time(12), end_time=time(13))
    db.session.commit()
    month = public.starts_at.strftime("%Y-%m")
    return section, chicago, utc, admin, outsider, month


def _grid(client, month: str) -> str:
    response = client.get(f"/events/?month={month}", headers={"Cache-Control": "no-cache"})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_each_reader_sees_their_own_zone_and_events_from_the_kept_grid(app, site, client):
    _section, chicago, utc, _admin, outsider, month = site
    login(client, chicago)
    first = _grid(client, month)
    assert "Open webinar" in first and "Inner planning" in first
    assert ">10:00</time> " in first
    other = app.test_client()
    login(other, utc)  # the same events, another zone
    theirs = _grid(other, month)
    assert "Open webinar" in theirs and "Inner planning" in theirs
    assert ">10:00</time> " not in theirs and "</time> " in theirs  # 15:00 or 16:00 UTC
    third = app.test_client()
    login(third, outsider)  # the same zone, fewer events
    outside = _grid(third, month)
    assert "Open webinar" in outside and "Inner planning" not in outside
    visitor = app.test_client().get(f"/events/?month={month}").get_data(as_text=True)
    assert "Inner planning" not in visitor
    again = _grid(client, month)  # after the other reader's grid was kept: still their own
    assert ">10:00</time> " in again and "Inner planning" in again


def test_a_new_event_shows_at_once(app, site, client):
    section, chicago, _utc, admin, _outsider, month = site
    login(client, chicago)
    assert "Board call" not in _grid(client, month)
    make_event(section=section, user=admin, title="Board call", days_ahead=36)
    db.session.commit()
    assert "Board call" in _grid(client, month)
    assert "Board call" in client.get(f"/events/?month={month}").get_data(as_text=True)
