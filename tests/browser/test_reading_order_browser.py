"""What a screen reader meets first and how it moves around, on the main pages (issue 26):
the skip link is the first thing to focus and lands on the one ``main``; each page has one
``h1``, inside ``main``, and headings never skip a level on the way down (a reader jumping by
heading hears the outline the page means); several navigation landmarks are told apart by
their names. Read from the rendered page in Chromium, signed in and as a visitor."""

from __future__ import annotations

import pytest

from forum.db import writing
from forum.extensions import db
from forum.groups.models import Role, Visibility
from tests.browser.journeys import new_page, sign_in
from tests.factories import appoint, make_group, make_membership, make_section, make_user
from tests.factories_articles import make_article
from tests.factories_discussions import make_reply, make_thread
from tests.factories_events import make_event

pytestmark = pytest.mark.browser

# Headings, landmarks and the first focusable element, as the accessibility tree has them.
OUTLINE = r"""() => {
  const shown = el => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  const headings = [...document.querySelectorAll('h1,h2,h3,h4,h5,h6,[role=heading]')]
    .filter(shown)
    .map(h => ({level: +(h.getAttribute('aria-level') || h.tagName[1]),
                text: h.textContent.replace(/\s+/g, ' ').trim().slice(0, 60),
                inMain: !!h.closest('main')}));
  const focusable = [...document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, [tabindex]')]
    .filter(el => el.tabIndex >= 0);
  const navs = [...document.querySelectorAll('nav, [role=navigation]')]
    .map(n => n.getAttribute('aria-label') || n.getAttribute('aria-labelledby') || '');
  const first = focusable[0];
  return {headings, navs, mains: document.querySelectorAll('main, [role=main]').length,
          firstHref: first ? first.getAttribute('href') : null,
          mainId: (document.querySelector('main') || {}).id || null};
}"""


def _site(server) -> dict:
    with server.app.app_context(), writing():
        section = make_section()
        group = make_group(section=section, slug="pm", name="Project Management Interest Group",
                           visibility=Visibility.PUBLIC)
        lena = make_user(username="lena", email="lena@example.org", display_name="Lena Ortiz")
        make_membership(group=group, user=lena)
        appoint(user=lena, group=group, role=Role.LEADER, title="Chair")
        thread = make_thread(group=group, author=lena, title="Budget templates", body="Mine.")
        reply = make_reply(thread=thread, author=lena, body="A reply.")
        make_reply(thread=thread, author=lena, parent=reply, body="A nested reply.")
        event = make_event(section=section, group=group, user=lena, title="Interest Group Week")
        article = make_article(section=section, author=lena)
        db.session.commit()
        return {"thread": thread.id, "event": event.id, "article": article.slug}


def _findings(page, url: str) -> list[str]:
    got = page.evaluate(OUTLINE)
    found = []
    if got["mains"] != 1:
        found.append(f"{got['mains']} main landmarks")
    if got["firstHref"] != f"#{got['mainId']}":
        found.append(f"the first focusable element is {got['firstHref']!r}, not the skip link")
    h1s = [h for h in got["headings"] if h["level"] == 1]
    if len(h1s) != 1 or not h1s[0]["inMain"]:
        found.append(f"h1s: {[h['text'] for h in h1s]} (one, inside main)")
    level = 1
    for heading in got["headings"]:
        if " ," in heading["text"]:  # read aloud as a pause before nothing
            found.append(f"heading {heading['text']!r} has a space before its comma")
        if heading["level"] > level + 1:
            found.append(f"h{heading['level']} {heading['text']!r} after h{level}")
        level = heading["level"]
    names = [n for n in got["navs"]]
    if len(names) > 1 and (not all(names) or len(set(names)) != len(names)):
        found.append(f"navigation landmarks not told apart: {names}")
    return [f"{url}: {f}" for f in found]


def test_each_main_page_has_one_outline_and_the_skip_link_first(live_server, chromium_browser):
    ids = _site(live_server)
    base = live_server.url
    pages = ["/", "/groups", "/g/pm", f"/g/pm/t/{ids['thread']}", "/g/pm/leadership",
             "/events/", f"/events/{ids['event']}", "/articles/", f"/articles/{ids['article']}",
             "/get-involved/", "/search?q=budget"]
    visitor = new_page(chromium_browser)
    member = new_page(chromium_browser)
    sign_in(member, base, "lena@example.org")
    findings = []
    for page, extra in ((visitor, ["/auth/login", "/auth/register"]),
                        (member, ["/notifications/", "/notifications/settings",
                                  "/auth/settings", "/g/pm/manage"])):
        for url in pages + extra:
            page.goto(base + url)
            findings += _findings(page, url)
    assert findings == [], "\n".join(findings)
