"""A thread in a real browser: axe-core finds nothing serious on the tree, a branch collapses
by keyboard without JavaScript of ours, the page marks itself read by a POST after viewing,
and a recommendation is given and taken back without leaving the page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from forum.db import writing
from forum.discussions.models import ThreadRead
from forum.extensions import db
from tests.browser.axe import serious_violations
from tests.factories import make_group, make_membership, make_user
from tests.factories_discussions import make_reply, make_thread

pytestmark = pytest.mark.browser


def _thread(server):
    with server.app.app_context(), writing():
        group = make_group(slug="pm", name="Project Management Interest Group")
        priya = make_user(username="priya", display_name="Priya Raman")
        marcus = make_user(username="marcus", display_name="Marcus Webb")
        lena = make_user(username="lena", display_name="Lena Ortiz")  # has not posted
        for u in (priya, marcus, lena):
            make_membership(group=group, user=u)
        thread = make_thread(group=group, author=priya, title="Tools for small teams",
                             body="What do you use? **Tables**, lists, > quotes welcome.")
        first = make_reply(thread=thread, author=marcus, body="A kanban board.")
        make_reply(thread=thread, author=priya, parent=first, body="Which columns?")
        last = make_reply(thread=thread, author=marcus, body="Also: a spreadsheet.")
        db.session.commit()
        return thread.id, (lena.id, last.id)


def _sign_in(page, base, email):
    page.goto(base + "/auth/login")
    page.fill("#email", email)
    page.fill("#password", "correct horse battery staple")
    page.click("button[type=submit]:has-text('Sign in')")


def test_thread_tree_has_no_serious_accessibility_violations(live_server, axe_page):
    thread_id, _ = _thread(live_server)
    _sign_in(axe_page, live_server.url, "priya@example.org")
    for view in ("tree", "newest"):
        axe_page.goto(f"{live_server.url}/g/pm/t/{thread_id}?view={view}")
        assert serious_violations(axe_page) == []
    axe_page.goto(f"{live_server.url}/g/pm/t/{thread_id}/reply")
    assert serious_violations(axe_page) == []


def test_a_branch_collapses_from_the_keyboard(live_server, page):
    thread_id, _ = _thread(live_server)
    _sign_in(page, live_server.url, "priya@example.org")
    page.goto(f"{live_server.url}/g/pm/t/{thread_id}")
    summary = page.locator("details.branch > summary").nth(1)
    nested = page.get_by_text("Which columns?")
    assert nested.is_visible()
    summary.focus()
    page.keyboard.press("Enter")
    assert not nested.is_visible()
    page.keyboard.press("Enter")
    assert nested.is_visible()


def test_viewing_a_thread_marks_it_read_by_a_post(live_server, page):
    thread_id, (lena_id, last_id) = _thread(live_server)
    _sign_in(page, live_server.url, "lena@example.org")
    page.goto(f"{live_server.url}/g/pm/t/{thread_id}")
    with page.expect_response(lambda r: r.url.endswith(f"/t/{thread_id}/read"),
                              timeout=15_000) as response:
        pass
    assert response.value.status == 200
    with live_server.app.app_context():
        mark = db.session.scalar(select(ThreadRead.last_read_post_id).where(
            ThreadRead.user_id == lena_id, ThreadRead.thread_id == thread_id))
    assert mark == last_id


def test_a_recommendation_is_given_and_taken_back_without_leaving_the_page(live_server, page):
    thread_id, _ = _thread(live_server)
    _sign_in(page, live_server.url, "lena@example.org")
    url = f"{live_server.url}/g/pm/t/{thread_id}"
    page.goto(url)
    post = page.locator("article.post").filter(has_text="A kanban board.")
    button = post.get_by_role("button", name="Recommend this post")
    expect(button).to_have_attribute("aria-pressed", "false")
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(post.locator(".recommend-count")).to_have_text("1 recommendation")
    assert page.url == url  # the script answered: no page load, no flash
    page.reload()
    post = page.locator("article.post").filter(has_text="A kanban board.")
    expect(post.locator(".recommend-count")).to_have_text("1 recommendation")
    post.get_by_role("button", name="Recommend this post").click()
    expect(post.get_by_role("button", name="Recommend this post")).to_have_attribute(
        "aria-pressed", "false")
    expect(post.locator(".recommend-count")).to_have_text("0 recommendations")
