"""Keyboard only: a member replies to a nested post, previews, posts, and answers an event;
collapses a branch, flags a post and chooses a file to upload — every control reached and
worked with Tab, Enter, Space and the arrow keys, each with a visible focus ring."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from forum.db import writing
from forum.extensions import db
from forum.groups.models import Visibility
from tests.browser.journeys import Pages, new_page, sign_in
from tests.factories import make_group, make_membership, make_section, make_user
from tests.factories_discussions import make_reply, make_thread
from tests.factories_events import make_event

pytestmark = pytest.mark.browser


def _site(server) -> dict:
    with server.app.app_context(), writing():
        section = make_section()
        group = make_group(section=section, slug="pm", name="Project Management Interest Group",
                           visibility=Visibility.PUBLIC)
        priya = make_user(username="priya", email="priya@example.org", display_name="Priya")
        marcus = make_user(username="marcus", display_name="Marcus Webb")
        for u in (priya, marcus):
            make_membership(group=group, user=u)
        thread = make_thread(group=group, author=priya, title="Tools for small teams",
                             body="What do you use?")
        nested = make_reply(thread=thread, author=marcus, body="A kanban board.")
        event = make_event(section=section, group=group, title="Monthly webinar")
        db.session.commit()
        return {"thread": thread.id, "nested": nested.id, "event": event.id}


def _focus_ring(page) -> bool:
    """The focused element shows the site's focus ring (an outline, not the browser's none)."""
    return page.evaluate("""() => {
        const s = getComputedStyle(document.activeElement);
        return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2; }""")


def _tab_to(page, name: str, limit: int = 200) -> None:
    """Press Tab until the focused element's accessible text starts with ``name``."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        text = page.evaluate(r"""() => { const e = document.activeElement;
            return ((e.labels && e.labels.length ? e.labels[0].innerText : '') || e.innerText
            || e.value || e.getAttribute('aria-label')
            || '').replace(/\s+/g, ' ').trim(); }""")
        seen.append(text)
        if text.startswith(name):
            assert _focus_ring(page), name
            return
    raise AssertionError(f"Tab never reached {name!r}: {seen}")


def test_a_member_replies_and_answers_an_event_with_the_keyboard_alone(live_server, page):
    ids = _site(live_server)
    base = live_server.url
    page.goto(base + "/auth/login")
    page.fill("#email", "priya@example.org")
    page.fill("#password", "correct horse battery staple")
    page.keyboard.press("Enter")
    page.wait_for_url(base + "/")
    page.goto(f"{base}/g/pm/t/{ids['thread']}")
    _tab_to(page, "Reply to Marcus Webb")  # the nested post's own Reply link
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/reply?parent_id={ids['nested']}")
    page.locator("#body").focus()  # the reply form's first field (a screen reader's jump)
    page.keyboard.type("Ours has *three* columns.")
    _tab_to(page, "Preview")
    with page.expect_navigation():  # the keyboard does not wait for the page it submits
        page.keyboard.press("Enter")
    assert "three</em> columns" in page.inner_html(".preview")
    page.locator("#body").focus()
    _tab_to(page, "Post")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/g/pm/t/{ids['thread']}*")
    assert "three</em> columns" in page.content()
    page.goto(f"{base}/events/{ids['event']}")
    _tab_to(page, "Going")
    page.keyboard.press("Space")
    assert page.get_by_label("Going", exact=True).is_checked()
    _tab_to(page, "Save my answer")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Your answer: Going" in " ".join(page.inner_text("main").split())


def _library_site(server) -> int:
    with server.app.app_context(), writing():
        group = make_group(slug="pm", name="Project Management Interest Group",
                           visibility=Visibility.PUBLIC)
        priya = make_user(username="priya", email="priya@example.org", display_name="Priya")
        marcus = make_user(username="marcus", display_name="Marcus Webb")
        for u in (priya, marcus):
            make_membership(group=group, user=u)
        thread = make_thread(group=group, author=priya, title="Tools for small teams",
                             body="What do you use?")
        first = make_reply(thread=thread, author=marcus, body="A kanban board.")
        make_reply(thread=thread, author=priya, parent=first, body="Which columns?")
        db.session.commit()
        return thread.id


def test_a_member_collapses_a_branch_flags_a_post_and_uploads_a_file_with_the_keyboard(
        live_server, chromium_browser, axe):
    thread_id = _library_site(live_server)
    base = live_server.url
    pages = Pages("keyboard")
    page = new_page(chromium_browser)
    sign_in(page, base, "priya@example.org")
    page.goto(f"{base}/g/pm/t/{thread_id}")
    pages.check(page, "thread")

    # A branch folds and unfolds from its summary with Enter and Space (a <details>).
    nested = page.get_by_text("Which columns?")
    _tab_to(page, "Replies to Marcus Webb")
    page.keyboard.press("Enter")
    expect(nested).to_be_hidden()
    assert _focus_ring(page)
    page.keyboard.press("Space")
    expect(nested).to_be_visible()

    # The flag form is its own page, not a dialog (the thread carries a link per post rather
    # than a form per post), so there is no dialog for Escape to close: Enter opens it, the
    # reason is a radio group (Space, then the arrows), and Enter sends it.
    _tab_to(page, "Flag this post for the moderators")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Flag a post for the moderators")).to_be_visible()
    _tab_to(page, "Spam")
    page.keyboard.press("Space")
    expect(page.get_by_label("Spam")).to_be_checked()
    page.keyboard.press("ArrowDown")
    expect(page.get_by_label("Off-topic")).to_be_checked()
    assert _focus_ring(page)
    _tab_to(page, "Send flag")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/g/pm/t/{thread_id}*")
    expect(page.get_by_text("Thank you: the moderators will review this post.")).to_be_visible()

    # Choosing a file: Space on the focused file input opens the chooser.
    page.goto(f"{base}/g/pm/files/upload")
    pages.check(page, "upload form")
    _tab_to(page, "Files")
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files({"name": "notes.txt", "mimeType": "text/plain",
                             "buffer": b"Kanban columns: to do, doing, done.\n"})
    _tab_to(page, "Upload")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="notes.txt")).to_be_visible()
    pages.check(page, "file page")
    page.context.close()
    pages.assert_accessible()
