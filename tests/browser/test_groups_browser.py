"""The directory and a group's page in a real browser: axe-core finds nothing serious on a
paginated directory or on a group page with its discussions, for a visitor and a member, and the
directory's pages are reachable by keyboard through the labelled pagination."""

from __future__ import annotations

import pytest

from forum.db import writing
from forum.extensions import db
from forum.groups.models import Role, Visibility
from forum.groups.queries import DIRECTORY_PAGE_SIZE
from tests.browser.axe import serious_violations
from tests.factories import appoint, make_group, make_membership, make_section, make_user
from tests.factories_discussions import make_reply, make_thread

pytestmark = pytest.mark.browser


def _site(server) -> None:
    with server.app.app_context(), writing():
        section = make_section()
        group = make_group(section=section, slug="pm", name="Project Management Interest Group",
                           visibility=Visibility.PUBLIC)
        for n in range(DIRECTORY_PAGE_SIZE + 5):
            make_group(section=section, name=f"Group {n:03d}", visibility=Visibility.PUBLIC)
        priya = make_user(username="priya", email="priya@example.org",
                          display_name="Priya Raman")
        make_membership(group=group, user=priya)
        appoint(user=priya, group=group, role=Role.LEADER, title="Chair")
        for n in range(30):  # two pages of discussions
            thread = make_thread(group=group, author=priya, title=f"Topic {n:02d}", body="Hi.")
            make_reply(thread=thread, author=priya, body="A reply.")
        db.session.commit()


def test_directory_and_group_page_have_no_serious_accessibility_violations(live_server,
                                                                           axe_page):
    _site(live_server)
    base = live_server.url
    found = {}
    for path in ("/groups", "/groups?page=2", "/g/pm", "/g/pm/discussions?page=2"):
        axe_page.goto(base + path)
        found[path] = serious_violations(axe_page)
    axe_page.goto(base + "/auth/login")
    axe_page.fill("#email", "priya@example.org")
    axe_page.fill("#password", "correct horse battery staple")
    axe_page.click("button[type=submit]:has-text('Sign in')")
    for path in ("/g/pm", "/groups"):
        axe_page.goto(base + path)
        found["signed in " + path] = serious_violations(axe_page)
    assert {p: v for p, v in found.items() if v} == {}


def test_directory_pages_are_reached_by_keyboard(live_server, page):
    _site(live_server)
    page.goto(live_server.url + "/groups")
    nav = page.get_by_role("navigation", name="Pages of groups")
    nav.get_by_role("link", name="Next page").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/groups?page=2")
    assert page.get_by_role("link", name="Page 2").get_attribute("aria-current") == "page"
    assert page.get_by_role("heading", name=f"Group {DIRECTORY_PAGE_SIZE + 4:03d}").is_visible()
