"""Acting from a digest: each listed post's signed reply link and one-click mute link, followed
from the mail that arrived over SMTP."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape
from urllib.parse import parse_qs, unquote, urlsplit

from sqlalchemy import select

from forum.db import utcnow
from forum.digests.sending import send_digests
from forum.discussions.models import Post
from forum.extensions import db
from forum.inbound.receiving import Outcome, receive
from forum.notifications.emails import mute_token, unsubscribe_token
from forum.notifications.models import Subscription
from tests.factories import make_group, make_group_member
from tests.factories_inbound import simple_mail
from tests.factories_notifications import make_post, make_thread
from tests.helpers import login


def _digest_scene():
    group = make_group(name="Library Leadership Committee")
    lena = make_group_member(group=group, username="lena")  # default: daily digest
    priya = make_group_member(group=group, username="priya")
    thread, opening = make_thread(group=group, author=priya, title="Mentoring, 2027")
    reply = make_post(thread=thread, author=priya, parent=opening, body="Volunteers wanted")
    db.session.commit()
    return group, lena, priya, thread, reply


def _links(mail, lena):
    """The (reply mailto, mute URL) pairs of the digest's text part, and its HTML hrefs."""
    send_digests("daily")
    mail.deliver()
    (msg,) = mail.to(lena.email)
    text = mail.text(msg)
    replies = re.findall(r"Reply by e-mail: (\S+)", text)
    mutes = re.findall(r"Mute this discussion: (\S+)", text)
    html = msg.get_body(("html",)).get_content()
    hrefs = [unescape(h) for h in re.findall(r'href="([^"]+)"', html)]
    return replies, mutes, hrefs


def _muted(user, thread) -> bool:
    return db.session.scalar(select(Subscription.watching).where(
        Subscription.user_id == user.id, Subscription.thread_id == thread.id)) is False


def test_the_digest_reply_link_posts_a_reply_to_that_post_as_the_member(app, mail):
    _, lena, _, thread, reply = _digest_scene()
    replies, mutes, hrefs = _links(mail, lena)
    assert len(replies) == len(mutes) == 2  # the opening post and the reply
    assert set(replies) <= set(hrefs) and set(mutes) <= set(hrefs)  # the HTML part has both
    link = urlsplit(replies[1])
    assert link.scheme == "mailto"
    assert parse_qs(link.query)["subject"] == ["Re: Mentoring, 2027"]
    address = unquote(link.path)
    (result,) = receive(simple_mail(sender=lena.email, to=address, body="Count me in."),
                        [address], lena.email)
    assert result.outcome == Outcome.POSTED
    post = db.session.get(Post, result.post_id)
    assert (post.author_id, post.parent_id, post.thread_id) == (lena.id, reply.id, thread.id)


def test_the_digest_mute_link_confirms_then_mutes_without_signing_in(app, mail, client):
    group, lena, priya, thread, _ = _digest_scene()
    _, mutes, _ = _links(mail, lena)
    path = urlsplit(mutes[0]).path
    page = client.get(path)
    assert page.status_code == 200 and "Mute this discussion" in page.get_data(as_text=True)
    assert not _muted(lena, thread)  # a GET writes nothing
    done = client.post(path)
    assert done.status_code == 200
    body = done.get_data(as_text=True)
    assert "is muted" in body and "/notifications/settings#muted-threads" in body
    db.session.expire_all()
    assert _muted(lena, thread)
    assert client.post(path).status_code == 200  # again: still muted, no duplicate row
    assert db.session.scalar(select(Subscription.id).where(
        Subscription.user_id == lena.id, Subscription.thread_id == thread.id))

    # The next digest leaves the muted thread out; the settings list it, to watch again.
    make_post(thread=thread, author=priya, body="Muted news")
    other, _ = make_thread(group=group, author=priya, title="Budget", body="Other news")
    db.session.commit()
    assert send_digests("daily") == 1
    mail.deliver()
    second = mail.text(mail.to(lena.email)[-1])
    assert "Other news" in second and "Muted news" not in second
    login(client, lena)
    settings = client.get("/notifications/settings").get_data(as_text=True)
    assert "Muted threads" in settings and "Mentoring, 2027" in settings
    assert f"/notifications/threads/{thread.id}/watch" in settings
    assert other.id


def test_bad_mute_links_change_nothing(app, client):
    group, lena, priya, thread, _ = _digest_scene()
    token = mute_token(lena.id, thread.id)
    tampered = client.post(f"/notifications/mute/{token[:-2]}xx")
    assert tampered.status_code == 404 and "not valid" in tampered.get_data(as_text=True)
    unsubscribe = unsubscribe_token(lena.id, group_id=group.id)  # signed, but not for this
    assert client.post(f"/notifications/mute/{unsubscribe}").status_code == 404
    assert client.get("/notifications/mute/nonsense").status_code == 404
    old = mute_token(lena.id, thread.id, issued=(utcnow() - timedelta(days=400)).date())
    expired = client.post(f"/notifications/mute/{old}")
    assert expired.status_code == 410 and "too old" in expired.get_data(as_text=True)
    login(client, priya)  # a forwarded digest: someone else's link
    forwarded = client.post(f"/notifications/mute/{token}")
    assert forwarded.status_code == 403 and "another member" in forwarded.get_data(as_text=True)
    db.session.expire_all()
    assert not _muted(lena, thread) and not _muted(priya, thread)
    assert db.session.scalar(select(Subscription.id).where(
        Subscription.thread_id == thread.id)) is None
