"""The calendar, an event, the recordings and the articles in a real browser: axe-core finds
nothing serious on them for a visitor or a member, and a member answers an event and responds
to an article with the keyboard and the pages' own forms."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from forum.db import writing
from forum.extensions import db
from forum.groups.models import Role, Visibility
from tests.browser.axe import serious_violations
from tests.factories import appoint, make_group, make_membership, make_section, make_user
from tests.factories_articles import comment, make_article
from tests.factories_events import make_event, make_recording

pytestmark = pytest.mark.browser


def _site(server) -> dict:
    with server.app.app_context(), writing():
        section = make_section()
        group = make_group(section=section, slug="pm", name="Project Management Interest Group",
                           visibility=Visibility.PUBLIC)
        priya = make_user(username="priya", email="priya@example.org",
                          display_name="Priya Raman")
        make_membership(group=group, user=priya)
        appoint(user=priya, section=section, role=Role.EDITOR, title="Section editor")
        first = date.today() + timedelta(days=30)
        week = make_event(section=section, title="Interest Group Week", all_day=True,
                          featured=True, start_date=first, end_date=first + timedelta(days=4))
        webinar = make_event(section=section, group=group, title="Monthly webinar",
                             days_ahead=-20, rrule="FREQ=MONTHLY;COUNT=6", capacity=30)
        make_recording(event=webinar, title="Webinar one", members_only=True)
        article = make_article(section=section, author=priya, title="Leading through change")
        comment(article=article, author=priya, text="A first response.")
        db.session.commit()
        return {"event": week.id, "webinar": webinar.id, "article": article.slug}


def _sign_in(page, base: str) -> None:
    page.goto(base + "/auth/login")
    page.fill("#email", "priya@example.org")
    page.fill("#password", "correct horse battery staple")
    page.click("button[type=submit]:has-text('Sign in')")
    page.wait_for_url(base + "/")


def test_calendar_events_and_articles_have_no_serious_accessibility_violations(live_server,
                                                                               axe_page):
    ids = _site(live_server)
    base = live_server.url
    paths = ("/", "/events/", "/events/list", f"/events/{ids['event']}",
             f"/events/{ids['webinar']}", "/events/recordings", "/articles/",
             f"/articles/{ids['article']}")
    found = {}
    for path in paths:
        axe_page.goto(base + path)
        found[path] = serious_violations(axe_page)
    _sign_in(axe_page, base)
    for path in paths + ("/events/new", "/events/my-feed"):
        axe_page.goto(base + path)
        found["signed in " + path] = serious_violations(axe_page)
    assert {p: v for p, v in found.items() if v} == {}


def test_a_member_answers_an_event_and_responds_to_an_article(live_server, page):
    ids = _site(live_server)
    base = live_server.url
    _sign_in(page, base)
    page.goto(f"{base}/events/{ids['event']}")
    page.get_by_label("Going", exact=True).check()
    page.get_by_role("button", name="Save my answer").click()
    page.wait_for_load_state()
    assert "Your answer: Going" in " ".join(page.inner_text("main").split())
    with page.expect_download() as download:  # the event into the member's own calendar
        page.get_by_role("link", name="Add to my calendar (.ics)").click()
    assert download.value.suggested_filename.endswith(".ics")
    ics = open(download.value.path(), encoding="utf-8").read()
    assert ics.startswith("BEGIN:VCALENDAR") and "BEGIN:VEVENT" in ics
    title = page.locator("h1").inner_text()
    assert f"SUMMARY:{title}" in ics.replace("\r\n ", "")
    page.goto(f"{base}/articles/{ids['article']}")
    page.get_by_label("Your response").fill("Thank you, *this* helped.")
    page.get_by_role("button", name="Post response").click()
    page.wait_for_url(f"{base}/articles/{ids['article']}*")
    assert "this</em> helped" in page.content()
