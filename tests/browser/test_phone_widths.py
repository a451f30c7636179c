"""At a phone's width (360 px) no page scrolls sideways: the pages a new user found too wide
(the applications review, the moderation log, the group management page, the file library),
and the header signed in at 1280 px stays on one line. Tables that reflow keep their column
labels (data-label, shown by CSS at narrow widths)."""

from __future__ import annotations

import pytest

from forum.db import writing
from forum.extensions import db
from forum.groups.models import MembershipStatus, Role, Visibility
from forum.moderation import audit
from tests.factories import appoint, make_group, make_membership, make_section, make_user
from tests.factories_discussions import make_reply, make_thread
from tests.factories_files import make_file
from tests.factories_volunteering import make_application, make_opportunity

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
PASSWORD = "correct horse battery staple"
LONG = "Professional-development-and-continuing-education-programme-coordinator"


def _site(server) -> dict:
    with server.app.app_context(), writing():
        section = make_section()
        group = make_group(section=section, slug="pm", name="Project Management Interest Group",
                           visibility=Visibility.MEMBERS)
        priya = make_user(username="priya", email="priya@example.org",
                          display_name="Priya Raman-Venkataraghavan")
        make_membership(group=group, user=priya)
        appoint(user=priya, group=group, role=Role.LEADER, title="Chair")
        appoint(user=priya, group=group, role=Role.MODERATOR, title="Moderator")
        appoint(user=priya, section=section, role=Role.SECTION_ADMIN, title="Section admin")
        for n in range(3):
            member = make_user(username=f"member{n}", email=f"m{n}@example.org",
                               display_name=f"Alexandria Member-Longname {n}")
            make_membership(group=group, user=member)
            opp = make_opportunity(group=group, title=f"{LONG} {n}", role_title=LONG)
            application = make_application(opportunity=opp, user=member)
            audit.record("ban", actor=priya, group_id=group.id, target_type="user",
                         target_id=member.id, target_label=member.username,
                         reason="Repeated off-topic advertising in three threads",
                         details="until 2026-12-14 06:22 UTC")
        for status, name in ((MembershipStatus.PENDING, "asker"),
                             (MembershipStatus.INVITED, "invitee")):
            person = make_user(username=f"{name}-with-a-rather-long-username",
                               display_name=f"Maximilian {name.title()}-Oppenheimer-Smythe")
            make_membership(group=group, user=person, status=status)
        moderator = make_user(username="moderator-with-a-long-username",
                              display_name="Bartholomew Moderator-Featherstonehaugh")
        make_membership(group=group, user=moderator)
        appoint(user=moderator, group=group, role=Role.MODERATOR, title="Discussion moderator")
        thread = make_thread(group=group, author=priya, title=f"{LONG} thread", body="Hi.")
        reply = make_reply(thread=thread, author=priya,
                           body=f"See https://example.org/{LONG}/{LONG} and `{LONG}`.")
        make_reply(thread=thread, author=priya, parent=reply, body="A nested reply.")
        for n in range(3):
            shared = make_file(group=group, uploader=priya, name=f"{LONG}-minutes-{n}.csv",
                      title=f"Minutes of the {LONG} meeting {n}")
        db.session.commit()
        return {"thread": thread.id, "file": shared.id, "opportunity": opp.id,
                "application": application.id}


def _sign_in(page, base: str) -> None:
    page.goto(base + "/auth/login")
    page.fill("#email", "priya@example.org")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]:has-text('Sign in')")
    page.wait_for_load_state()


PAGES = ("/get-involved/review", "/g/pm/moderation/log", "/g/pm/manage",
         "/g/pm/files", "/g/pm", "/groups", "/notifications/", "/auth/sessions",
         "/get-involved/")


def _rows(page, selector: str) -> list[list[int]]:
    """[top, bottom] of each element the selector finds, in document order."""
    return page.evaluate("""(selector) => [...document.querySelectorAll(selector)].map(e => {
        const r = e.getBoundingClientRect(); return [Math.round(r.top), Math.round(r.bottom)];
    })""", selector)


def _width(page) -> int:
    return page.evaluate("document.scrollingElement.scrollWidth")


def test_no_page_scrolls_sideways_at_360_px(live_server, chromium_browser):
    ids = _site(live_server)
    context = chromium_browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    _sign_in(page, live_server.url)
    widths = {}
    more = (f"/g/pm/t/{ids['thread']}", f"/g/pm/files/{ids['file']}",
            f"/get-involved/o/{ids['opportunity']}",
            f"/get-involved/applications/{ids['application']}", "/g/pm/leadership",
            "/g/pm/moderation/bans", "/moderation", "/members/priya", "/auth/settings", "/",
            "/events/")
    for path in PAGES + more:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        widths[path] = _width(page)
    context.close()
    assert {p: w for p, w in widths.items() if w > PHONE["width"]} == {}


def test_the_file_table_keeps_its_column_labels_when_reflowed(live_server, chromium_browser):
    _site(live_server)
    context = chromium_browser.new_context(viewport=PHONE)
    page = context.new_page()
    _sign_in(page, live_server.url)
    page.goto(live_server.url + "/g/pm/files")
    cells = page.locator("table td[data-label]")
    assert cells.count() > 0
    labels = page.evaluate("""() => [...document.querySelectorAll('table td[data-label]')]
        .map(td => getComputedStyle(td, '::before').content)""")
    assert all(label not in ("none", "normal", '""') for label in labels), labels
    context.close()


def test_the_signed_in_header_stays_on_one_line_at_1280_px(live_server, chromium_browser):
    _site(live_server)
    context = chromium_browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    _sign_in(page, live_server.url)
    page.goto(live_server.url + "/groups")
    boxes = _rows(page, ".site-header .brand, .site-header nav li")
    context.close()
    (brand_top, brand_bottom), items = boxes[0], boxes[1:]
    assert len({top for top, _ in items}) == 1, items  # every item of both navs on one row
    assert brand_top < items[0][1] and brand_bottom > items[0][0], boxes  # the brand beside


def test_the_review_filters_line_up(live_server, chromium_browser):
    _site(live_server)
    context = chromium_browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    _sign_in(page, live_server.url)
    page.goto(live_server.url + "/get-involved/review")
    boxes = _rows(page, ".vol-filters select, .vol-filters button")
    labels = page.evaluate("""() => [...document.querySelectorAll('.vol-filters label')]
        .map(e => Math.round(e.getBoundingClientRect().top))""")
    context.close()
    assert len({top for top, _ in boxes[:-1]}) == 1, boxes  # the selects on one line
    assert abs(boxes[-1][1] - boxes[0][1]) <= 2, boxes  # the button level with them
    assert len(set(labels)) == 1 and labels[0] < boxes[0][0], labels  # labels above


def test_no_visitor_page_scrolls_sideways_at_360_px(live_server, chromium_browser):
    ids = _site(live_server)
    with live_server.app.app_context(), writing():
        from forum.groups.models import Group

        db.session.query(Group).filter_by(slug="pm").update({"visibility": Visibility.PUBLIC})
        db.session.commit()
    context = chromium_browser.new_context(viewport=PHONE)
    page = context.new_page()
    widths = {}
    for path in ("/", "/groups", "/g/pm", f"/g/pm/t/{ids['thread']}", "/auth/login",
                 "/auth/register", "/events/", "/get-involved/", "/members/priya"):
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        widths[path] = _width(page)
    context.close()
    assert {p: w for p, w in widths.items() if w > PHONE["width"]} == {}
