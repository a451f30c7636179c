"""A digest's "Coming up" (events of the next 14 days) and "Get involved" (open volunteer
openings): only what the member may see, read from the mail that arrived over SMTP."""

from __future__ import annotations

from forum.digests.sending import send_digests
from forum.extensions import db
from forum.groups.models import Visibility
from forum.volunteering.models import OpportunityStatus
from tests.factories import make_group, make_group_member
from tests.factories_events import make_event
from tests.factories_notifications import make_thread
from tests.factories_volunteering import make_opportunity


def test_coming_up_and_get_involved_list_what_the_member_may_see(app, mail):
    group = make_group(name="Library Leadership Committee")
    private = make_group(name="Search Committee", visibility=Visibility.PRIVATE)
    lena = make_group_member(group=group, username="lena")
    priya = make_group_member(group=group, username="priya")
    make_thread(group=group, author=priya, title="Mentoring", body="Volunteers wanted")
    soon = make_event(section=group.section, group=group, user=priya, title="Chairs' lunch",
                      days_ahead=3, location="Room 4")
    make_event(section=group.section, group=group, user=priya, title="Autumn retreat",
               days_ahead=40)
    make_event(section=private.section, group=private, user=priya, title="Shortlist meeting",
               days_ahead=2)
    opening = make_opportunity(group=group, title="Mentoring coordinator")
    make_opportunity(group=group, title="Filled role", status=OpportunityStatus.CLOSED)
    make_opportunity(group=private, title="Secret reviewer")
    db.session.commit()
    assert send_digests("daily") == 1
    mail.deliver()
    (msg,) = mail.to(lena.email)
    text = mail.text(msg)
    coming, _, involved = text.partition("== Coming up ==")[2].partition("== Get involved ==")
    lines = [line.strip() for line in coming.splitlines()]
    assert any(line.startswith("- Chairs' lunch") and line.endswith("Room 4") for line in lines)
    assert f"http://localhost/events/{soon.id}" in lines  # a link on a line of its own
    assert "Autumn retreat" not in text  # beyond 14 days
    assert "Shortlist meeting" not in text and "Secret reviewer" not in text  # private group
    assert "Mentoring coordinator" in involved and f"/get-involved/o/{opening.id}" in involved
    assert "Filled role" not in text
    html = msg.get_body(("html",)).get_content()
    assert "<h2>Coming up</h2>" in html and "<h2>Get involved</h2>" in html
    assert html.index("Volunteers wanted") < html.index("Coming up")


def test_no_events_or_openings_means_no_empty_sections(app, mail):
    group = make_group()
    lena = make_group_member(group=group)
    make_thread(group=group, author=make_group_member(group=group))
    db.session.commit()
    send_digests("daily")
    mail.deliver()
    (msg,) = mail.to(lena.email)
    assert "Coming up" not in mail.text(msg) and "Get involved" not in mail.text(msg)


def test_a_digest_prints_times_in_the_readers_own_time_zone(app, mail):
    from datetime import UTC, timedelta
    from zoneinfo import ZoneInfo

    from forum.db import utcnow

    group = make_group(name="Library Leadership Committee")
    lena = make_group_member(group=group, username="lena")
    priya = make_group_member(group=group, username="priya")
    priya.timezone = "America/Chicago"
    _thread, opening = make_thread(group=group, author=lena, title="Mentoring")
    opening.created_at = utcnow().replace(second=0, microsecond=0) - timedelta(hours=1)
    db.session.commit()
    assert send_digests("daily") == 1
    mail.deliver()
    (msg,) = mail.to(priya.email)
    fmt = "%-d %b %Y, %H:%M"
    chicago = opening.created_at.astimezone(ZoneInfo("America/Chicago")).strftime(fmt)
    utc = opening.created_at.astimezone(UTC).strftime(fmt)
    assert chicago in mail.text(msg) and utc not in mail.text(msg)
    assert chicago in msg.get_body(("html",)).get_content()


def test_discussions_a_leader_starts_come_first_under_from_your_groups_leaders(app, mail):
    from forum.groups.models import Role
    from tests.factories import appoint
    from tests.factories_notifications import make_post

    group = make_group(name="Library Leadership Committee")
    chair = make_group_member(group=group, username="chair", display_name="Chris Chair")
    appoint(user=chair, group=group, role=Role.LEADER, title="Chair")
    lena = make_group_member(group=group, username="lena")
    priya = make_group_member(group=group, username="priya")
    news, opening = make_thread(group=group, author=chair, title="Interest Group Week",
                                body="Save the date: 14 March.")
    make_post(thread=news, author=lena, parent=opening, body="Count me in.")
    make_thread(group=group, author=lena, title="Mentoring", body="Volunteers wanted")
    db.session.commit()
    assert send_digests("daily") == 3  # chair, lena and priya each have something new
    mail.deliver()
    (msg,) = mail.to(priya.email)
    text = mail.text(msg)
    leaders, _, rest = text.partition("== From your groups' leaders ==")[2].partition(
        "== Library Leadership Committee ==")
    assert '"Interest Group Week", Chris Chair' in leaders and "Save the date" in leaders
    assert "Mentoring" not in leaders
    # The leader's opening is not listed twice; the replies to it stay with the group.
    assert "Save the date" not in rest and "Count me in." in rest and "Mentoring" in rest
    assert "<h2>From your groups’ leaders</h2>" in msg.get_body(("html",)).get_content()
    # A leader's reply, or a member's discussion, makes no announcement.
    (lenas,) = mail.to(lena.email)
    assert "== From your groups' leaders ==" in mail.text(lenas)
    (chairs,) = mail.to(chair.email)
    assert "From your groups' leaders" not in mail.text(chairs)  # their own is not news to them
