"""Search in a real browser: from the header's box with the keyboard to a marked passage and
on to the post, at a desktop and a phone width, with nothing serious for axe-core to find."""

from __future__ import annotations

import pytest

from forum.db import writing
from forum.extensions import db
from forum.groups.models import Visibility
from tests.browser.axe import serious_violations
from tests.factories import make_group, make_section, make_user
from tests.factories_discussions import make_thread

pytestmark = pytest.mark.browser


def _site(server) -> None:
    with server.app.app_context(), writing():
        section = make_section()
        group = make_group(section=section, slug="pm", name="Project Management Interest Group",
                           visibility=Visibility.PUBLIC)
        author = make_user(username="priya", display_name="Priya Raman")
        make_thread(group=group, author=author, title="Project charter template",
                    body="Our charter template has a section on stakeholders and risks.")
        db.session.commit()


@pytest.mark.parametrize("width", [1280, 375])
def test_a_visitor_searches_from_the_header_and_reaches_the_post(live_server, axe_page, width):
    _site(live_server)
    base = live_server.url
    axe_page.set_viewport_size({"width": width, "height": 800})
    axe_page.goto(base + "/")
    box = axe_page.get_by_role("searchbox", name="Search the forum")
    box.focus()
    axe_page.keyboard.type("stakeholder")
    axe_page.keyboard.press("Enter")
    axe_page.wait_for_url(base + "/search?q=stakeholder")
    assert axe_page.locator("mark").first.inner_text().lower().startswith("stakeholder")
    assert axe_page.evaluate("document.scrollingElement.scrollWidth") <= width
    assert serious_violations(axe_page) == []
    axe_page.get_by_role("link", name="Project charter template").click()
    axe_page.wait_for_url(f"{base}/g/pm/t/*")
    assert "stakeholders and risks" in axe_page.inner_text("main")
    axe_page.goto(base + "/search?q=%22unbalanced+NEAR(")
    assert "Nothing found" in axe_page.inner_text("main")
    assert serious_violations(axe_page) == []
