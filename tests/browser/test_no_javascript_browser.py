"""With JavaScript off (a browser context with ``java_script_enabled=False``) a member signs
in, replies to the thread and to a nested post, recommends a post, removes her own, folds a
branch, and answers an event: every form posts and redirects, and the result is on the page.

axe-core cannot run where scripts are off, so each page the journey reaches is checked at
1280 and 375 px in a second, scripted context carrying the same session (our scripts only
enhance: the markup axe reads is the same)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from forum.db import writing
from forum.extensions import db
from forum.groups.models import Visibility
from tests.browser.journeys import PASSWORD, Pages, new_page
from tests.factories import make_group, make_membership, make_section, make_user
from tests.factories_discussions import make_reply, make_thread
from tests.factories_events import make_event

pytestmark = pytest.mark.browser


def _site(server) -> dict:
    with server.app.app_context(), writing():
        section = make_section()
        group = make_group(section=section, slug="pm", name="Project Management Interest Group",
                           visibility=Visibility.MEMBERS)
        priya = make_user(username="priya", email="priya@example.org", display_name="Priya Raman")
        marcus = make_user(username="marcus", display_name="Marcus Webb")
        for u in (priya, marcus):
            make_membership(group=group, user=u)
        thread = make_thread(group=group, author=priya, title="Tools for small teams",
                             body="What do you use?")
        first = make_reply(thread=thread, author=marcus, body="A kanban board.")
        make_reply(thread=thread, author=priya, parent=first, body="Which columns?")
        event = make_event(section=section, group=group, title="Monthly webinar")
        db.session.commit()
        return {"thread": thread.id, "event": event.id}


def test_a_member_signs_in_replies_and_answers_an_event_with_javascript_off(
        live_server, chromium_browser, axe):
    ids = _site(live_server)
    base = live_server.url
    thread_url = f"{base}/g/pm/t/{ids['thread']}"
    pages = Pages("no-javascript")
    page = new_page(chromium_browser, java_script_enabled=False)
    checker = new_page(chromium_browser)

    def check(name: str) -> None:
        # The same session as the script-less page (its cookies, as they are now) and the
        # same address, not a sign-in page it was sent to instead.
        checker.context.clear_cookies()
        checker.context.add_cookies(page.context.cookies())
        checker.goto(page.url)
        assert checker.url == page.url, (name, checker.url)
        pages.check(checker, name)

    page.goto(base + "/auth/login")
    page.get_by_label("E-mail address").fill("priya@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    check("sign in")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(base + "/")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    page.goto(thread_url)
    check("thread")
    nested = page.get_by_text("Which columns?")
    page.get_by_text("Replies to Marcus Webb").click()  # <details>: no script needed
    expect(nested).to_be_hidden()
    page.get_by_text("Replies to Marcus Webb").click()
    expect(nested).to_be_visible()
    page.get_by_label("Your message").fill("We use *three* columns.")
    page.get_by_role("button", name="Post reply").click()
    page.wait_for_url(f"{thread_url}*")
    expect(page.locator(".post-body em").filter(has_text="three")).to_be_visible()

    page.get_by_role("link", name="Reply to Marcus Webb").click()
    page.wait_for_url("**/reply?parent_id=*")
    check("reply form")
    page.get_by_label("Your message").fill("Which board do you use?")
    page.get_by_role("button", name="Post reply").click()
    page.wait_for_url(f"{thread_url}*")
    expect(page.get_by_text("Which board do you use?")).to_be_visible()

    # The posts' buttons submit the page's one hidden form, each to its own address.
    kanban = page.locator("article.post").filter(has_text="A kanban board.")
    kanban.get_by_role("button", name="Recommend this post").click()
    page.wait_for_url(f"{thread_url}*")
    expect(page.get_by_text("You recommended this post.")).to_be_visible()
    kanban = page.locator("article.post").filter(has_text="A kanban board.")
    expect(kanban.get_by_role("button", name="Recommend this post")).to_have_attribute(
        "aria-pressed", "true")
    expect(kanban.locator(".recommend-count")).to_have_text("1 recommendation")
    mine = page.locator("article.post").filter(has_text="Which board do you use?")
    mine.get_by_role("button", name="Delete").click()  # no script: no question asked
    page.wait_for_url(f"{thread_url}*")
    expect(page.get_by_text("Which board do you use?")).to_have_count(0)

    page.goto(f"{base}/events/{ids['event']}")
    check("event")
    page.get_by_label("Going", exact=True).check()
    page.get_by_role("button", name="Save my answer").click()
    page.wait_for_url(f"{base}/events/{ids['event']}*")
    expect(page.locator("main")).to_contain_text("Your answer: Going")
    check("event answered")
    page.context.close()
    checker.context.close()
    pages.assert_accessible()
