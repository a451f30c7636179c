"""Per-post e-mail and digests: list headers, threading, unsubscribe, idempotent digests."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from forum.db import utcnow
from forum.digests.sending import send_digests
from forum.discussions.models import Post
from forum.extensions import db
from forum.groups.models import Visibility
from forum.markup import render
from forum.notifications.emails import unsubscribe_token
from forum.notifications.models import MailMode, Subscription
from forum.notifications.services import post_published
from tests.factories import make_group, make_group_member, make_user
from tests.factories_notifications import make_post, make_thread, subscribe


def _mode(user, group):
    return db.session.scalar(select(Subscription.mode).where(
        Subscription.user_id == user.id, Subscription.group_id == group.id))


def test_per_post_mail_threads_by_thread_and_carries_list_headers(app, mail):
    group = make_group(name="Project Management Interest Group", slug="pm")
    lena = make_group_member(group=group, username="lena", display_name="Lena Ortiz")
    tom = make_group_member(group=group, username="tom")
    subscribe(user=tom, group=group, mode=MailMode.EACH)
    thread, opening = make_thread(group=group, author=lena, title="Budget templates")
    post_published(opening)
    reply = make_post(thread=thread, author=lena, parent=opening, body="Here is **mine**.")
    post_published(reply)
    db.session.commit()
    first, second = mail.deliver()
    assert first["To"] == tom.email
    assert first["Subject"] == "[Project Management Interest Group] Budget templates"
    assert second["Subject"] == "Re: [Project Management Interest Group] Budget templates"
    assert "Lena Ortiz via" in first["From"] and "lena@" not in first["From"]
    assert first["Reply-To"].addresses[0].username.startswith("private+")  # tests/test_inbound_*
    assert first["Cc"].addresses[0].username.startswith("reply+")
    assert first["List-Id"].endswith("<pm.forum.localhost>")
    assert first["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/notifications/unsubscribe/" in first["List-Unsubscribe"]
    assert first["In-Reply-To"] is None
    assert second["In-Reply-To"] == first["Message-ID"]
    assert second["References"] == first["Message-ID"]
    assert f"/p/{reply.id}" in mail.text(second)
    assert "Here is **mine**." in mail.text(second)


def test_one_click_unsubscribe_works_without_signing_in(app, client):
    group = make_group()
    tom = make_group_member(group=group)
    subscribe(user=tom, group=group, mode=MailMode.EACH)
    url = f"/notifications/unsubscribe/{unsubscribe_token(tom.id, group_id=group.id)}"
    page = client.get(url)
    assert page.status_code == 200 and _mode(tom, group) == MailMode.EACH  # GET writes nothing
    response = client.post(url, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert _mode(tom, group) == MailMode.NONE


def test_tampered_unsubscribe_token_is_refused(app, client):
    group = make_group()
    tom = make_group_member(group=group)
    token = unsubscribe_token(tom.id, group_id=group.id)
    assert client.post(f"/notifications/unsubscribe/{token[:-2]}xx").status_code == 404
    assert client.get("/notifications/unsubscribe/nonsense").status_code == 404
    assert _mode(tom, group) is None


def test_daily_digest_gathers_new_posts_with_recommendations_once(app, mail):
    group = make_group(name="Library Leadership Committee")
    lena = make_group_member(group=group, username="lena")  # default: daily digest
    priya = make_group_member(group=group, username="priya")
    thread, opening = make_thread(group=group, author=priya, title="Mentoring programme")
    reply = make_post(thread=thread, author=priya, parent=opening, body="Volunteers wanted")
    reply.recommend_count = 3
    make_post(thread=thread, author=lena, parent=opening, body="Lena's own post")
    db.session.commit()
    assert send_digests("daily") == 2  # lena, and priya (for lena's post)
    assert send_digests("daily") == 0  # idempotent: nothing new
    assert send_digests("weekly") == 0  # nobody chose weekly
    mail.deliver()
    (msg,) = mail.to(lena.email)
    text = mail.text(msg)
    assert "Mentoring programme" in text and "3 recommendations" in text
    assert "Volunteers wanted" in text and "Lena's own post" not in text
    assert f"/p/{reply.id}" in text
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    later = make_post(thread=thread, author=priya, parent=reply, body="One more thing")
    db.session.commit()
    assert send_digests("daily") == 1  # only lena: priya wrote it
    mail.deliver()
    (_, second) = mail.to(lena.email)
    assert "One more thing" in mail.text(second) and "Volunteers wanted" not in mail.text(second)
    assert later.id


def test_digest_respects_mode_and_readability(app, mail):
    private = make_group(visibility=Visibility.PRIVATE)
    insider = make_group_member(group=private)
    outsider = make_user(username="outsider")
    weekly = make_group_member(group=private, username="weekly")
    subscribe(user=weekly, group=private, mode=MailMode.WEEKLY)
    subscribe(user=outsider, group=private, mode=MailMode.DAILY)  # stale row, not a member
    make_thread(group=private, author=insider)
    db.session.commit()
    assert send_digests("daily") == 0  # the insider wrote it; the outsider may not read it
    assert send_digests("weekly") == 1
    (msg,) = mail.deliver()
    assert msg["To"] == weekly.email


def test_first_digest_covers_one_period_not_the_whole_history(app, mail):
    group = make_group()
    make_group_member(group=group)
    author = make_group_member(group=group)
    thread, _ = make_thread(group=group, author=author, body="Ancient history")
    db.session.execute(update(Post).values(created_at=utcnow() - timedelta(days=30)))
    db.session.commit()
    assert send_digests("daily") == 0


def test_digests_command_is_registered(app):
    result = app.test_cli_runner().invoke(args=["digests", "--period", "weekly"])
    assert result.exit_code == 0, result.output
    assert "Queued 0 weekly digest(s)." in result.output
    bad = app.test_cli_runner().invoke(args=["digests", "--period", "hourly"])
    assert bad.exit_code != 0


def test_list_headers_arrive_as_plain_urls_and_the_html_links_are_absolute(app, mail):
    """A mail program reads List-Unsubscribe as written: an RFC 2047-encoded URL is no URL.
    And the HTML part's links (an @mention's profile link) must work outside the site."""
    app.config["SITE_URL"] = "https://forum.example.org"
    group = make_group(name="Project Management Interest Group", slug="project-management")
    make_user(username="ana", display_name="Ana Silva")
    lena = make_group_member(group=group, username="lena", display_name="Lena Ortiz")
    tom = make_group_member(group=group, username="tom")
    subscribe(user=tom, group=group, mode=MailMode.EACH)
    thread, opening = make_thread(group=group, author=lena, title="Budget templates",
                                  body="Ask @ana, or see [the list](/groups).")
    opening.html = render(opening.source, {"ana"})  # as posting renders a known @mention
    post_published(opening)
    db.session.commit()
    (message,) = mail.deliver()
    raw = mail.raw[0].decode()
    head = raw.split("\r\n\r\n", 1)[0].replace("\r\n ", " ")
    unsubscribe = next(line for line in head.split("\r\n")
                       if line.startswith("List-Unsubscribe:"))
    assert "=?" not in unsubscribe
    assert unsubscribe.startswith("List-Unsubscribe: <https://forum.example.org/notifications/")
    assert "List-Archive: <https://forum.example.org/g/project-management>" in head
    html = message.get_body(("html",)).get_content()
    assert 'href="https://forum.example.org/members/ana"' in html
    assert 'href="https://forum.example.org/groups"' in html
    assert 'href="/' not in html
