"""What the end-to-end journeys share: signing in, reading the outbox, and looking at every
page a journey visits at a desktop and a phone width — axe-core on each, and (when
FORUM_SCREENSHOTS names a folder, as `make test-browser` does) a full-page PNG of each.

``Pages`` keeps the findings of a whole journey so one assertion at its end names every page
and rule at once, rather than stopping at the first page with a finding.
"""

from __future__ import annotations

import os
import re
from email import message_from_bytes, policy
from pathlib import Path

from tests.browser.axe import serious_violations

PASSWORD = "correct horse battery staple"
WIDTHS = (1280, 375)
HEIGHT = 800


def sign_in(page, base: str, email: str) -> None:
    page.goto(base + "/auth/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]:has-text('Sign in')")
    page.wait_for_url(base + "/")


def new_page(browser, **options):
    """A page in a context of its own (one per person in a journey). axe is injected as a
    script, so the context bypasses the CSP to allow it (and only that)."""
    context = browser.new_context(bypass_csp=True,
                                  viewport={"width": WIDTHS[0], "height": HEIGHT}, **options)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def mails_to(server, address: str) -> list[str]:
    """The plain-text bodies of the mail delivered to ``address`` (oldest first)."""
    server.deliver_mail()
    bodies = []
    for path in sorted(server.outbox.glob("*.eml")):
        msg = message_from_bytes(path.read_bytes(), policy=policy.default)
        if address in str(msg["To"]):
            bodies.append(msg.get_body(("plain",)).get_content())
    return bodies


def screenshot_dir() -> Path | None:
    folder = os.environ.get("FORUM_SCREENSHOTS", "").strip()
    return Path(folder) if folder else None


class Pages:
    """Checks each page of a journey at both widths: ``check(page, name)``; then
    ``assert_accessible()`` once, which prints every failing rule with its page and width."""

    def __init__(self, journey: str) -> None:
        self.journey = journey
        self.found: dict[str, list[dict]] = {}
        self.shots = screenshot_dir()

    def check(self, page, name: str) -> None:
        size = page.viewport_size or {"width": WIDTHS[0], "height": HEIGHT}
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": HEIGHT})
            findings = serious_violations(page)
            if findings:
                self.found[f"{name} at {width} px ({page.url})"] = findings
            if self.shots is not None:
                self.shots.mkdir(parents=True, exist_ok=True)
                slug = re.sub(r"[^a-z0-9]+", "-", f"{self.journey} {name}".lower()).strip("-")
                page.screenshot(path=str(self.shots / f"{slug}-{width}.png"), full_page=True)
        page.set_viewport_size(size)

    def assert_accessible(self) -> None:
        if self.found:
            lines = [f"{where}: {v['impact']} {v['id']} — {v['help']} {v['nodes']}"
                     for where, found in self.found.items() for v in found]
            print("axe-core found:\n" + "\n".join(lines))
        assert self.found == {}, "serious or critical axe-core findings (printed above)"
