"""Accounts in a real browser, by keyboard only: register → verify → sign in → edit profile;
visible focus; and axe-core on the main pages."""

from __future__ import annotations

import re
from email import message_from_bytes, policy

import pytest

from forum.db import writing
from forum.extensions import db
from tests.browser.axe import serious_violations

pytestmark = pytest.mark.browser

PASSWORD = "keyboard only passphrase"


def _focused(page) -> str:
    return page.evaluate("() => document.activeElement && "
                         "(document.activeElement.id || document.activeElement.textContent)")


def tab_to(page, target: str, limit: int = 40) -> None:
    """Press Tab until the element with id (or text) ``target`` has focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if (_focused(page) or "").strip() == target:
            return
    raise AssertionError(f"could not reach {target!r} with Tab (stuck on {_focused(page)!r})")


def type_into(page, field_id: str, text: str) -> None:
    tab_to(page, field_id)
    page.keyboard.type(text)


def assert_focus_visible(page) -> None:
    style = page.evaluate("""() => {
        const s = getComputedStyle(document.activeElement);
        return {outline: s.outlineStyle, width: parseFloat(s.outlineWidth), shadow: s.boxShadow};
    }""")
    visible = (style["outline"] != "none" and style["width"] >= 2) or style["shadow"] != "none"
    assert visible, f"focused element has no visible focus indicator: {style}"


def latest_mail_link(server, path_prefix: str) -> str:
    server.deliver_mail()
    files = sorted(server.outbox.glob("*.eml"))
    assert files, "no mail in the outbox"
    msg = message_from_bytes(files[-1].read_bytes(), policy=policy.default)
    text = msg.get_body(("plain",)).get_content()
    match = re.search(re.escape(server.url) + re.escape(path_prefix) + r"\S+", text)
    assert match, text
    return match.group(0)


def test_register_verify_sign_in_and_edit_profile_by_keyboard(live_server, page):
    base = live_server.url
    page.goto(base + "/auth/register")
    page.keyboard.press("Tab")
    assert _focused(page).strip() == "Skip to main content"
    assert_focus_visible(page)
    assert page.evaluate("() => document.activeElement.getBoundingClientRect().left >= 0")

    type_into(page, "email", "kim@example.org")
    assert_focus_visible(page)
    type_into(page, "username", "kim")
    type_into(page, "display_name", "Kim Librarian")
    type_into(page, "password", PASSWORD)
    type_into(page, "confirm", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/auth/register/check-email")
    assert page.locator("h1").inner_text() == "Check your e-mail"

    page.goto(latest_mail_link(live_server, "/auth/verify/"))
    tab_to(page, "Confirm my address")
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    page.wait_for_url("**/auth/login")
    assert "confirmed" in page.locator(".flashes").inner_text()

    type_into(page, "email", "kim@example.org")
    type_into(page, "password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(base + "/")
    assert "Welcome back, Kim Librarian" in page.content()

    tab_to(page, "Settings")
    page.keyboard.press("Enter")
    page.wait_for_url("**/auth/settings")
    tab_to(page, "Edit your profile")
    page.keyboard.press("Enter")
    page.wait_for_url("**/auth/settings/profile")
    type_into(page, "affiliation", "Springfield Public Library")
    type_into(page, "bio", "I run *story time*.")
    tab_to(page, "timezone")
    page.keyboard.type("Europe/Berlin")
    assert page.evaluate("() => document.activeElement.value") == "Europe/Berlin"
    tab_to(page, "Save profile")
    page.keyboard.press("Enter")
    page.wait_for_url("**/members/kim")
    assert page.locator("h1").inner_text() == "Kim Librarian"
    assert "Springfield Public Library" in page.content()
    assert page.locator(".prose em").inner_text() == "story time"


def test_form_errors_are_announced_and_focused(live_server, page):
    page.goto(live_server.url + "/auth/register")
    type_into(page, "email", "not-an-address")
    page.keyboard.press("Enter")
    page.wait_for_selector(".error-summary")
    assert page.evaluate("() => document.activeElement.classList.contains('error-summary')")
    assert page.locator("#email").get_attribute("aria-invalid") == "true"
    assert "email-error" in page.locator("#email").get_attribute("aria-describedby")


def _seed_member(app):
    from forum.users.services import create_user, update_profile

    with app.app_context(), writing():
        user = create_user(email="ann@example.org", username="ann", display_name="Ann Archivist",
                           password=PASSWORD, verified=True)
        update_profile(user, display_name="Ann Archivist", affiliation="County Archive",
                       bio="Archives and **records**.", timezone="Europe/London")
        db.session.commit()


def test_main_pages_have_no_serious_accessibility_violations(live_server, axe_page):
    _seed_member(live_server.app)
    base = live_server.url
    found = {}
    for path in ("/", "/auth/login", "/auth/register", "/auth/forgot-password"):
        axe_page.goto(base + path)
        found[path] = serious_violations(axe_page)
    axe_page.goto(base + "/auth/login")
    axe_page.fill("#email", "ann@example.org")
    axe_page.fill("#password", PASSWORD)
    axe_page.press("#password", "Enter")
    axe_page.wait_for_url(base + "/")
    for path in ("/members/ann", "/auth/settings", "/auth/settings/profile",
                 "/auth/settings/password", "/auth/settings/email", "/auth/sessions"):
        axe_page.goto(base + path)
        found[path] = serious_violations(axe_page)
    assert {p: v for p, v in found.items() if v} == {}
