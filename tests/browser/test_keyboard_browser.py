"""Keyboard only: a member replies to a nested post, previews, posts, and answers an event —
every control reached and worked with Tab, Enter and Space, each with a visible focus ring."""

from __future__ import annotations

import pytest

from forum.db import writing
from forum.extensions import db
from forum.groups.models import Visibility
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
    page.keyboard.press("Enter")
    page.wait_for_load_state()
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
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert "Your answer: Going" in " ".join(page.inner_text("main").split())
