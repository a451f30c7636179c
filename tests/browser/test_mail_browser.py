"""Taking part by mail, seen in the browser (issues 24 and 26): Lena replies on the site, Tom
gets her post by mail and answers it from his mail program ("Reply all": to the group), and
his answer shows on the thread under Lena's post, his quote of her behind "Show trimmed
content" — a page axe-core finds nothing serious on."""

from __future__ import annotations

from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest

from forum.db import writing
from forum.discussions.models import Post
from forum.extensions import db
from forum.inbound.receiving import Outcome, receive
from forum.notifications.models import MailMode
from tests.browser.axe import serious_violations
from tests.browser.journeys import new_page, sign_in
from tests.factories import make_group, make_membership, make_user
from tests.factories_discussions import make_thread
from tests.factories_notifications import subscribe

pytestmark = pytest.mark.browser


def _site(server) -> int:
    with server.app.app_context(), writing():
        group = make_group(slug="pm", name="Project Management Interest Group")
        lena = make_user(username="lena", email="lena@example.org", display_name="Lena Ortiz")
        tom = make_user(username="tom", email="tom@example.org", display_name="Tom Okafor")
        for person in (lena, tom):
            make_membership(group=group, user=person)
        subscribe(user=tom, group=group, mode=MailMode.EACH)
        thread = make_thread(group=group, author=tom, title="Budget templates",
                             body="Does anyone share theirs?")
        db.session.commit()
        return thread.id


def _mail_to(server, address: str):
    server.deliver_mail()
    for path in sorted(server.outbox.glob("*.eml")):
        msg = message_from_bytes(path.read_bytes(), policy=policy.default)
        if address in str(msg["To"]):
            return msg
    raise AssertionError(f"no mail to {address}")


def _answer(original, sender: str, text: str) -> bytes:
    """Tom's "Reply all", as his mail program writes it: to Lena privately and the group in
    Cc, his words on top and her mail quoted under an attribution."""
    reply = EmailMessage()
    reply["From"] = sender
    reply["To"] = str(original["Reply-To"])
    reply["Cc"] = str(original["Cc"])
    reply["Subject"] = "Re: " + str(original["Subject"])
    reply["Message-ID"] = "<tom-answer-1@example.org>"
    reply["In-Reply-To"] = original["Message-ID"]
    quoted = "\n".join("> " + line for line in
                       original.get_body(("plain",)).get_content().splitlines())
    reply.set_content(f"{text}\n\nOn Monday, Lena Ortiz via Forum wrote:\n{quoted}\n")
    return bytes(reply)


def test_a_reply_by_mail_lands_under_the_post_it_answers(live_server, chromium_browser, axe):
    thread_id = _site(live_server)
    base = live_server.url
    lena = new_page(chromium_browser)
    sign_in(lena, base, "lena@example.org")
    lena.goto(f"{base}/g/pm/t/{thread_id}/reply")
    lena.fill("#body", "Ours has three columns: plan, actual, notes.")
    lena.get_by_role("button", name="Post reply").click()
    lena.wait_for_url(f"{base}/g/pm/t/{thread_id}*")
    original = _mail_to(live_server, "tom@example.org")
    assert "Ours has three columns" in original.get_body(("plain",)).get_content()
    (group_address,) = original["Cc"].addresses
    raw = _answer(original, "tom@example.org", "Thanks Lena, adopting it for the section.")
    with live_server.app.app_context():
        results = receive(raw, [group_address.addr_spec, original["Reply-To"].addresses[0]
                                .addr_spec], "tom@example.org")
    assert [r.outcome for r in results] == [Outcome.POSTED, Outcome.DUPLICATE]
    with live_server.app.app_context():  # a reply to Lena's post, the one Tom's mail showed
        posted = db.session.get(Post, results[0].post_id)
        lenas = db.session.get(Post, posted.parent_id)
        assert (lenas.source, posted.author.username) == (
            "Ours has three columns: plan, actual, notes.", "tom")
    lena.goto(f"{base}/g/pm/t/{thread_id}")
    answer = lena.locator("article", has_text="adopting it for the section")
    assert "Tom Okafor" in answer.inner_text()
    trimmed = answer.locator("details.post-trimmed")
    assert not trimmed.locator("pre").is_visible()
    trimmed.locator("summary").click()
    assert "Ours has three columns" in trimmed.locator("pre").inner_text()
    assert serious_violations(lena) == []
