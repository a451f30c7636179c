"""Bounces (issue 24): every mail leaves with a bounce address that names it; the delivery
reports that come back to it, and the relay's own refusals, pause a member's group mail once an
address keeps failing; the member is told on the site and turns mail back on; leaders see it."""

from __future__ import annotations

from email.message import EmailMessage

from sqlalchemy import func, select

from forum.db import utcnow
from forum.digests.sending import send_digests
from forum.extensions import db
from forum.inbound.receiving import Outcome, receive
from forum.mail import queue_mail
from forum.mailing.bounces import read_bounce_local_part
from forum.mailing.models import Delivery, DeliveryStatus, MailBounce
from forum.notifications.models import MailMode
from forum.notifications.services import post_published
from forum.users.models import User
from tests.factories import make_group, make_group_member, make_leader
from tests.factories_notifications import make_post, make_thread, subscribe
from tests.helpers import login, post


def _dsn(to: str, *, action: str = "failed", status: str = "5.1.1",
         diagnostic: str = "smtp; 550 5.1.1 <tom@example.org>: User unknown") -> bytes:
    """A delivery status notification as Postfix writes one (RFC 3464)."""
    report = EmailMessage()
    report["From"] = "Mail Delivery System <MAILER-DAEMON@mx.example.org>"
    report["To"] = to
    report["Subject"] = "Undelivered Mail Returned to Sender"
    report["Auto-Submitted"] = "auto-replied"
    report.set_content("I'm sorry to have to inform you that your message could not be "
                       "delivered to one or more recipients.")
    report.make_mixed()
    raw = bytes(report).decode()
    boundary = report.get_boundary()
    status_part = (f"--{boundary}\r\nContent-Type: message/delivery-status\r\n\r\n"
                   "Reporting-MTA: dns; mx.example.org\r\n\r\n"
                   "Final-Recipient: rfc822; tom@example.org\r\n"
                   f"Action: {action}\r\nStatus: {status}\r\nDiagnostic-Code: {diagnostic}\r\n"
                   f"\r\n--{boundary}--")
    raw = raw.replace("multipart/mixed", "multipart/report; report-type=delivery-status")
    return raw.replace(f"--{boundary}--", status_part).encode()


def _scene():
    group = make_group(name="Project Management Interest Group", slug="pm")
    lena = make_group_member(group=group, username="lena", display_name="Lena Ortiz")
    tom = make_group_member(group=group, username="tom", email="tom@example.org")
    subscribe(user=tom, group=group, mode=MailMode.EACH)
    thread, opening = make_thread(group=group, author=lena, title="Budget templates")
    db.session.commit()
    return group, lena, tom, thread, opening


def _mail_tom(mail, n: int = 1) -> list[str]:
    """Send Tom ``n`` mails; the envelope senders they left with."""
    before = len(mail.senders)
    for i in range(n):
        queue_mail("tom@example.org", f"Notice {i}", "Hello.")
    db.session.commit()
    mail.deliver()
    return mail.senders[before:]


def _paused(user_id: int) -> bool:
    db.session.expire_all()
    return db.session.get(User, user_id).mail_paused


def test_each_mail_leaves_with_a_bounce_address_that_names_it(app, mail):
    (sender,) = _mail_tom(mail)
    local, _, domain = sender.rpartition("@")
    assert domain == "forum.localhost" and local.startswith("bounce+")
    delivery_id = db.session.scalar(select(Delivery.id).where(Delivery.subject == "Notice 0"))
    assert read_bounce_local_part(local) == delivery_id
    # Another mail's number under this signature is not ours: a forged address names nothing.
    number, _, sig = local.partition("+")[2].partition(".")
    assert read_bounce_local_part(f"bounce+{int(number) + 1}.{sig}") is None


def test_three_hard_bounces_pause_group_mail_until_the_member_turns_it_on(app, mail, client):
    group, lena, tom, thread, opening = _scene()
    senders = _mail_tom(mail, 3)
    for n, sender in enumerate(senders, start=1):
        (result,) = receive(_dsn(sender), [sender], "")
        assert result.outcome == Outcome.BOUNCE and "5.1.1" in result.detail
        assert _paused(tom.id) == (n == 3)
    # A post in Tom's group now mails nobody; Lena's own mail is untouched.
    reply = make_post(thread=thread, author=lena, parent=opening, body="Templates attached.")
    post_published(reply)
    db.session.commit()
    assert db.session.scalar(select(func.count(Delivery.id)).where(
        Delivery.post_id == reply.id)) == 0
    # Tom is told on every page, and why on his settings page.
    login(client, tom)
    assert "kept coming back undelivered" in client.get("/").get_data(as_text=True)
    page = client.get("/notifications/settings").get_data(as_text=True)
    assert "Group mail is paused" in page and "tom@example.org" in page and "5.1.1" in page
    response = post(client, "/notifications/settings/resume-mail",
                    token_from="/notifications/settings", follow=True)
    assert "Group mail to tom@example.org is on again" in response.get_data(as_text=True)
    assert not _paused(tom.id)
    assert "kept coming back" not in client.get("/").get_data(as_text=True)
    # Mail flows again; the old bounces no longer count: one more does not pause him.
    second = make_post(thread=thread, author=lena, parent=opening, body="And the budget.")
    post_published(second)
    db.session.commit()
    assert [m["To"] for m in mail.deliver()[-1:]] == ["tom@example.org"]
    (result,) = receive(_dsn(mail.senders[-1]), [mail.senders[-1]], "")
    assert result.outcome == Outcome.BOUNCE and not _paused(tom.id)


def test_a_report_sent_twice_counts_once_and_delays_count_for_nothing(app, mail):
    _group, _lena, tom, _thread, _opening = _scene()
    first, second = _mail_tom(mail, 2)
    for _ in range(3):
        receive(_dsn(first), [first], "")
    for _ in range(3):
        assert receive(_dsn(second, action="delayed", status="4.4.1",
                            diagnostic="smtp; 451 4.4.1 try later"), [second], "")[0].outcome \
            == Outcome.BOUNCE
    rows = db.session.scalars(select(MailBounce).order_by(MailBounce.id)).all()
    assert [(r.permanent, r.status) for r in rows] == [(True, "5.1.1"), (False, "4.4.1")]
    assert all(r.user_id == tom.id for r in rows)
    assert not _paused(tom.id)


def test_what_reaches_a_bounce_address_but_reports_no_failure_counts_for_nothing(app, mail):
    _scene()
    (sender,) = _mail_tom(mail)
    away = EmailMessage()
    away["From"] = "tom@example.org"
    away["To"] = sender
    away["Subject"] = "Out of office"
    away.set_content("I am away until Monday, with no access to mail.")
    assert receive(bytes(away), [sender], "tom@example.org")[0].outcome == Outcome.DROPPED
    forged = sender.replace("bounce+", "bounce+9").replace("@", "x@")
    assert receive(_dsn(forged), [forged], "")[0].outcome == Outcome.UNKNOWN_RECIPIENT
    assert db.session.scalar(select(func.count(MailBounce.id))) == 0


def test_a_plain_text_bounce_names_its_status_in_words(app, mail):
    _group, _lena, tom, _thread, _opening = _scene()
    app.config["MAIL_BOUNCE_THRESHOLD"] = 1
    (sender,) = _mail_tom(mail)
    text = EmailMessage()
    text["From"] = "MAILER-DAEMON@old.example.org"
    text["To"] = sender
    text["Subject"] = "failure notice"
    text.set_content("Hi. This is the qmail-send program.\n\n<tom@example.org>:\n"
                     "Sorry, no mailbox here by that name. (#5.1.1)\n")
    (result,) = receive(bytes(text), [sender], "")
    assert result.outcome == Outcome.BOUNCE and _paused(tom.id)


def test_the_relay_refusing_an_address_is_a_bounce_and_is_not_retried(app, mail):
    _group, _lena, tom, _thread, _opening = _scene()
    app.config["MAIL_BOUNCE_THRESHOLD"] = 1
    mail.refuse = {"tom@example.org"}
    _mail_tom(mail)
    delivery = db.session.scalar(select(Delivery).where(Delivery.subject == "Notice 0"))
    assert delivery.status == DeliveryStatus.FAILED and "550" in delivery.last_error
    bounce = db.session.scalar(select(MailBounce))
    assert (bounce.status, bounce.delivery_id, bounce.permanent) == ("550", delivery.id, True)
    assert _paused(tom.id)


def test_a_paused_member_gets_no_digest_and_a_new_address_turns_mail_on(app, mail):
    from forum.auth import services as auth
    from forum.auth import tokens

    group = make_group(name="Library Leadership Committee")
    lena = make_group_member(group=group, username="lena")
    sam = make_group_member(group=group, username="sam")
    priya = make_group_member(group=group, username="priya", email="priya@example.org")
    make_thread(group=group, author=lena, title="Mentoring", body="Volunteers wanted")
    priya.mail_paused_at = utcnow()
    db.session.commit()
    assert send_digests("daily") == 1  # Sam's (daily is the default); not Priya's
    assert [m["To"] for m in mail.deliver()] == [sam.email]
    token = tokens.make_token(tokens.CHANGE_EMAIL, priya, old=priya.email,
                              new="priya@new.example.org")
    auth.confirm_email_change(token)
    db.session.commit()
    assert not _paused(priya.id)


def test_leaders_see_whose_mail_is_paused_and_nobody_else_does(app, client):
    group = make_group(name="Project Management Interest Group", slug="pm")
    chair = make_leader(group=group, username="chair")
    tom = make_group_member(group=group, username="tom", email="tom@example.org")
    tom.mail_paused_at = utcnow()
    tom.mail_paused_reason = "5.1.1 User unknown"
    db.session.commit()
    login(client, chair)
    assert "Mail paused: address bounces" in client.get("/g/pm/manage").get_data(as_text=True)
    member = make_group_member(group=group, username="ann")
    db.session.commit()
    other = app.test_client()
    login(other, member)
    for url in ("/g/pm", "/members/tom", "/g/pm/leadership"):
        assert "Mail paused" not in other.get(url).get_data(as_text=True), url


def test_a_report_over_lmtp_is_read_and_answered_250(app, mail, lmtp):
    _group, _lena, tom, _thread, _opening = _scene()
    app.config["MAIL_BOUNCE_THRESHOLD"] = 1
    (sender,) = _mail_tom(mail)
    assert lmtp.sendmail("", [sender], _dsn(sender)) == {}
    assert _paused(tom.id)
