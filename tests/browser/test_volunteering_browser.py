"""Get involved in a real browser: a member finds an opening on "Get involved", applies with a
statement; the group's leader finds the application in the review table and accepts it with a
message; the volunteer sees the decision, the message, and the appointment in the group's
leadership (and gets the mail). axe-core on every page at 1280 and 375 px."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from forum.db import writing
from forum.extensions import db
from forum.groups.models import Role, Visibility
from tests.browser.journeys import Pages, mails_to, new_page, sign_in
from tests.factories import appoint, make_group, make_membership, make_section, make_user
from tests.factories_volunteering import make_opportunity

pytestmark = pytest.mark.browser

OPENING = "Programme coordinator for the spring webinars"


def _site(server) -> None:
    with server.app.app_context(), writing():
        section = make_section()
        group = make_group(section=section, slug="pm", name="Project Management Interest Group",
                           visibility=Visibility.PUBLIC)
        priya = make_user(username="priya", email="priya@example.org", display_name="Priya Raman")
        marcus = make_user(username="marcus", email="marcus@example.org",
                           display_name="Marcus Webb")
        for u in (priya, marcus):
            make_membership(group=group, user=u)
        appoint(user=priya, group=group, role=Role.LEADER, title="Chair")
        make_opportunity(group=group, title=OPENING, role=Role.EDITOR,
                         role_title="Programme coordinator", openings=1)
        db.session.commit()


def test_a_member_volunteers_a_leader_accepts_and_the_volunteer_sees_the_appointment(
        live_server, chromium_browser, axe):
    _site(live_server)
    base = live_server.url
    pages = Pages("volunteering")

    volunteer = new_page(chromium_browser)
    sign_in(volunteer, base, "marcus@example.org")
    volunteer.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Get involved").click()
    expect(volunteer.get_by_role("heading", name="Get involved", level=1)).to_be_visible()
    pages.check(volunteer, "opportunities")
    volunteer.get_by_role("link", name=OPENING).click()
    expect(volunteer.get_by_role("heading", name=OPENING, level=1)).to_be_visible()
    pages.check(volunteer, "opportunity")
    volunteer.get_by_role("link", name="Apply", exact=True).click()
    expect(volunteer.get_by_role("heading", name=f"Apply: {OPENING}")).to_be_visible()
    pages.check(volunteer, "apply")
    volunteer.get_by_label("Statement of interest").fill(
        "I ran our chapter's webinars for two years.")
    volunteer.get_by_role("button", name="Submit application").click()
    expect(volunteer.get_by_text(f"Your application for “{OPENING}” is submitted.")
           ).to_be_visible()
    expect(volunteer.locator(".status")).to_have_text("Submitted")
    pages.check(volunteer, "application")

    leader = new_page(chromium_browser)
    sign_in(leader, base, "priya@example.org")
    leader.goto(base + "/get-involved/")
    leader.get_by_role("link", name="Review applications").click()
    row = leader.get_by_role("row").filter(has_text=OPENING)
    expect(row).to_contain_text("Submitted")
    pages.check(leader, "review")
    row.get_by_role("link", name="Marcus Webb").click()
    expect(leader.get_by_role("heading", name="Decide")).to_be_visible()
    pages.check(leader, "application under review")
    leader.get_by_label("Decision").select_option(label="Accept")
    leader.get_by_label("Message to the volunteer").fill("Welcome aboard — first call on Monday.")
    leader.get_by_role("button", name="Record decision").click()
    expect(leader.locator(".status")).to_have_text("Accepted")
    leader.context.close()

    volunteer.get_by_role("link", name="My applications").click()
    row = volunteer.get_by_role("row").filter(has_text=OPENING)
    expect(row).to_contain_text("Accepted")
    pages.check(volunteer, "my applications")
    row.get_by_role("link", name=OPENING).click()
    expect(volunteer.get_by_text("Welcome aboard — first call on Monday.")).to_be_visible()
    volunteer.goto(base + "/g/pm/leadership")
    term = volunteer.get_by_role("row").filter(has_text="Marcus Webb")
    expect(term).to_contain_text("Programme coordinator")
    expect(term).to_contain_text("Upcoming")  # the term starts on the opening's first day
    pages.check(volunteer, "leadership")
    volunteer.context.close()
    assert any("accepted" in body.lower() and "Welcome aboard" in body
               for body in mails_to(live_server, "marcus@example.org"))
    pages.assert_accessible()
