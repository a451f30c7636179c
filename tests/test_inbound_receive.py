"""Replying and starting threads by mail, through ``receive`` (both ways in share it)."""

from __future__ import annotations

import threading
from email import message_from_bytes, policy

from sqlalchemy import func, select

from forum.discussions.models import Post, PostStatus, Thread
from forum.extensions import db
from forum.files.models import Attachment, SharedFile
from forum.inbound.models import InboundMessage
from forum.inbound.receiving import Outcome, receive
from forum.moderation.models import GroupModerationSettings
from forum.notifications.emails import post_message_id
from forum.notifications.models import MailMode
from tests.factories_inbound import Scene, fixture_mail, simple_mail
from tests.factories_notifications import subscribe
from tests.helpers import login


def test_a_gmail_reply_becomes_a_reply_to_that_post_and_reaches_the_group(app, mail):
    scene = Scene()
    subscribe(user=scene.lena, group=scene.group, mode=MailMode.EACH)
    db.session.commit()
    raw = fixture_mail("gmail_reply", sender="Tom@Example.org", to=scene.reply_to,
                       parent_msgid=post_message_id(scene.opening.id, scene.tom.id))
    (result,) = receive(raw, [scene.reply_to], "tom@example.org")
    assert result.outcome == Outcome.POSTED
    post = db.session.get(Post, result.post_id)
    assert (post.author_id, post.parent_id, post.thread_id) == (
        scene.tom.id, scene.opening.id, scene.thread.id)
    assert post.source.startswith("Thanks Lena — I’ll bring our *quarterly* template")
    assert "<em>quarterly</em>" in post.html and "Here is mine" not in post.source
    assert db.session.get(Thread, scene.thread.id).post_count == 2
    record = db.session.scalar(select(InboundMessage).where(InboundMessage.post_id == post.id))
    assert "Here is mine." in record.trimmed
    assert scene.reply_to not in record.trimmed and "[reply address]" in record.trimmed
    # Lena gets Tom's reply by mail, threaded under her post, with her own reply address.
    (sent,) = mail.deliver()
    assert sent["To"] == scene.lena.email
    assert sent["In-Reply-To"] == post_message_id(scene.opening.id, scene.lena.id)
    assert "I’ll bring our *quarterly* template" in mail.text(sent)


def test_the_same_message_delivered_again_posts_once(app):
    scene = Scene()
    raw = simple_mail(sender="tom@example.org", to=scene.reply_to, body="Count me in.",
                      message_id="<retry-1@example.org>")
    first = receive(raw, [scene.reply_to])
    again = receive(raw, [scene.reply_to])
    assert first[0].outcome == Outcome.POSTED
    assert again[0].outcome == Outcome.DUPLICATE and again[0].accepted
    assert [source for _, source in scene.posts()] == ["Here is mine.", "Count me in."]


def test_a_reply_address_quoted_in_the_text_is_never_posted(app):
    """Tom's own reply address would let anyone who forges his From post as him."""
    scene = Scene()
    body = f"Agreed.\n\nLena Ortiz via Forum <{scene.reply_to.upper()}> said so on Monday."
    (result,) = receive(simple_mail(sender="tom@example.org", to=scene.reply_to, body=body),
                        [scene.reply_to])
    source = db.session.get(Post, result.post_id).source
    assert "reply+" not in source.lower() and "<[reply address]>" in source


def test_a_new_thread_by_mail_to_the_group_address(app):
    scene = Scene()
    raw = fixture_mail("latin1_new_thread", sender="tom@example.org", to=scene.group_to)
    (result,) = receive(raw, [scene.group_to.upper()])
    assert result.outcome == Outcome.POSTED
    post = db.session.get(Post, result.post_id)
    assert post.depth == 0 and post.author_id == scene.tom.id
    assert post.thread.title == "Café budget for the régional day"
    assert post.thread.group_id == scene.group.id
    assert post.source == "Bonjour à tous,\n\nLe café coûte 2,50 ¤ par personne."


def test_an_html_only_mail_starts_a_thread_in_markdown(app):
    scene = Scene()
    raw = fixture_mail("html_only_new_thread", sender="tom@example.org", to=scene.group_to)
    (result,) = receive(raw, [scene.group_to])
    post = db.session.get(Post, result.post_id)
    assert '<a href="https://example.org/mentoring"' in post.html
    assert "<li>monthly calls</li>" in post.html and "alert" not in post.source


def test_outlook_and_apple_mail_replies(app):
    scene = Scene()
    for name in ("outlook_reply", "apple_mail_reply"):
        (result,) = receive(fixture_mail(name, sender="tom@example.org", to=scene.reply_to),
                            [scene.reply_to])
        assert result.outcome == Outcome.POSTED
    sources = [source for _, source in scene.posts()]
    assert db.session.scalar(select(func.count()).select_from(SharedFile)) == 0  # inline image
    # Outlook marks no signature ("-- "): the name under the text stays, the quote goes.
    assert sources[1] == ("Agreed – let’s use the “simple” one. Cost: €50.\n\n"
                          "Tom Baker\nHead of Cataloguing")
    assert sources[2] == "We use the same one – see page 3."


def test_a_held_first_post_waits_for_a_moderator_and_the_sender_is_told(app, mail):
    scene = Scene()
    db.session.add(GroupModerationSettings(group_id=scene.group.id, hold_first_posts=True))
    db.session.commit()
    (result,) = receive(simple_mail(sender="tom@example.org", to=scene.reply_to),
                        [scene.reply_to])
    assert result.outcome == Outcome.HELD
    assert db.session.get(Post, result.post_id).status == PostStatus.PENDING
    (told,) = mail.deliver()
    assert told["To"] == "tom@example.org" and "moderator" in told["Subject"]
    assert told["Auto-Submitted"] == "auto-replied"


def test_the_trimmed_part_is_one_click_away_on_the_thread_page(app, client):
    scene = Scene()
    raw = fixture_mail("gmail_reply", sender="tom@example.org", to=scene.reply_to)
    receive(raw, [scene.reply_to])
    login(client, scene.lena)
    page = client.get(f"/g/pm/t/{scene.thread.id}").get_data(as_text=True)
    assert page.count("Show trimmed content") == 1  # Tom's mail; not Lena's web post
    details = page[page.index('<details class="post-trimmed">'):]
    assert "&gt; Here is mine." in details[:details.index("</details>")]
    assert "reply+" not in page


def _with_attachment(scene, name: str, data: bytes, ctype: str) -> bytes:
    msg = message_from_bytes(simple_mail(sender="tom@example.org", to=scene.group_to,
                                         subject="Minutes", body="The minutes are attached."),
                             policy=policy.default)
    maintype, subtype = ctype.split("/")
    msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return bytes(msg)


def test_attachments_are_filed_in_the_group_library_and_linked(app):
    scene = Scene()
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    raw = _with_attachment(scene, "minutes.pdf", pdf, "application/pdf")
    (result,) = receive(raw, [scene.group_to])
    assert result.outcome == Outcome.POSTED
    post = db.session.get(Post, result.post_id)
    assert post.has_files
    (shared,) = db.session.scalars(select(SharedFile).join(Attachment)
                                   .where(Attachment.post_id == post.id))
    assert shared.group_id == scene.group.id and shared.original_name == "minutes.pdf"


def test_a_refused_attachment_posts_nothing(app):
    scene = Scene()
    raw = _with_attachment(scene, "page.html", b"<html><script>x()</script></html>",
                           "text/html")
    (result,) = receive(raw, [scene.group_to])
    assert result.outcome == Outcome.REFUSED and "attachment was refused" in result.detail
    assert len(scene.posts()) == 1
    assert db.session.scalar(select(func.count()).select_from(SharedFile)) == 0


def test_two_deliveries_of_one_message_at_once_post_it_once(app):
    """An MTA that timed out and retried while the first delivery was still at work."""
    scene = Scene()
    raw = simple_mail(sender="tom@example.org", to=scene.reply_to, body="Just once.",
                      message_id="<race-1@example.org>")
    barrier, outcomes = threading.Barrier(2), []

    def deliver():
        with app.app_context():
            barrier.wait()
            outcomes.extend(r.outcome for r in receive(raw, [scene.reply_to]))
            db.session.remove()

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == sorted([Outcome.POSTED, Outcome.DUPLICATE])
    db.session.commit()
    assert [source for _, source in scene.posts()] == ["Here is mine.", "Just once."]
