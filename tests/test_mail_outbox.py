"""The outbox: written with its cause, sent once by any number of workers, retried, never lost."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import func, select, update

from forum.db import utcnow
from forum.extensions import db
from forum.mail import deliver_pending, queue_mail
from forum.mailing.models import Delivery, DeliveryStatus
from forum.notifications.models import MailMode, Notification
from forum.notifications.services import post_published
from tests.factories import make_group, make_group_member
from tests.factories_notifications import make_thread, subscribe
from tests.helpers import SmtpSink, _free_port


def _count(model) -> int:
    return db.session.scalar(select(func.count(model.id)))


def test_a_post_that_rolls_back_leaves_no_delivery_row(app):
    group = make_group()
    author, reader = make_group_member(group=group), make_group_member(group=group)
    subscribe(user=reader, group=group, watching=True, mode=MailMode.EACH)
    db.session.commit()
    _, post = make_thread(group=group, author=author)
    post_published(post)
    assert _count(Delivery) == 1 and _count(Notification) == 1  # flushed, not committed
    db.session.rollback()  # the request failed after the post was written
    assert _count(Delivery) == 0
    assert _count(Notification) == 0


def test_two_workers_at_once_send_each_mail_exactly_once(app, mail):
    for n in range(30):
        queue_mail(f"reader{n}@example.org", f"Message {n}", "Hello")
    db.session.commit()
    counts, errors = [], []

    def worker():
        try:
            with app.app_context():
                counts.append(deliver_pending(limit=7) + deliver_pending(limit=100))
                db.session.remove()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert sum(counts) == 30
    ids = [m["Message-ID"] for m in mail.messages]
    assert len(ids) == 30 and len(set(ids)) == 30
    assert db.session.scalar(select(func.count(Delivery.id)).where(
        Delivery.status == DeliveryStatus.SENT)) == 30
    assert deliver_pending() == 0  # nothing left to send twice


def test_smtp_failure_is_retried_later_and_not_lost(app, mail):
    real_port = app.config["MAIL_PORT"]
    app.config["MAIL_PORT"] = _free_port()  # nothing listens there
    queue_mail("lena@example.org", "Minutes of the March meeting", "Attached below.")
    db.session.commit()
    assert deliver_pending() == 0
    delivery = db.session.scalar(select(Delivery))
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.attempts == 1 and delivery.last_error
    assert delivery.next_attempt_at > utcnow()

    app.config["MAIL_PORT"] = real_port
    assert deliver_pending() == 0  # not due yet: back-off
    db.session.execute(update(Delivery).values(next_attempt_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert mail.deliver() and len(mail.messages) == 1
    assert mail.messages[0]["Subject"] == "Minutes of the March meeting"
    db.session.refresh(delivery)
    assert delivery.status == DeliveryStatus.SENT and delivery.attempts == 2
    assert mail.deliver() == mail.messages and len(mail.messages) == 1


def test_a_worker_that_died_mid_send_is_taken_over_after_the_claim_timeout(app, mail):
    queue_mail("tom@example.org", "Stuck", "Hello")
    db.session.commit()
    db.session.execute(update(Delivery).values(
        status=DeliveryStatus.SENDING, next_attempt_at=utcnow() - timedelta(hours=1)))
    db.session.commit()
    assert deliver_pending() == 1
    assert len(mail.messages) == 1


def test_the_claim_timeout_is_a_setting(app, mail):
    """MAIL_CLAIM_TIMEOUT_SECONDS: a younger claim is a living worker's and left alone."""
    app.config["MAIL_CLAIM_TIMEOUT_SECONDS"] = 30
    queue_mail("tom@example.org", "Claimed", "Hello")
    db.session.commit()
    db.session.execute(update(Delivery).values(
        status=DeliveryStatus.SENDING, next_attempt_at=utcnow() - timedelta(seconds=20)))
    db.session.commit()
    assert deliver_pending() == 0 and mail.messages == []
    db.session.execute(update(Delivery).values(
        next_attempt_at=utcnow() - timedelta(seconds=31)))
    db.session.commit()
    assert deliver_pending() == 1 and len(mail.messages) == 1


def test_a_round_sends_its_mails_over_one_smtp_connection(app, mail):
    for n in range(5):
        queue_mail(f"reader{n}@example.org", f"Message {n}", "Hello")
    db.session.commit()
    assert deliver_pending() == 5
    assert len(mail.messages) == 5 and len(set(mail.peers)) == 1


class _RelayWithAConnectionLimit(SmtpSink):
    """Takes two mails per connection, then answers 421 (as relays with a limit do)."""

    def __init__(self) -> None:
        super().__init__()
        self.per_connection: dict = {}

    async def handle_DATA(self, server, session, envelope):
        taken = self.per_connection.get(session.peer, 0)
        if taken == 2:
            return "421 4.7.0 too many messages on this connection"
        self.per_connection[session.peer] = taken + 1
        return await super().handle_DATA(server, session, envelope)


def test_a_relay_that_stops_taking_mail_on_a_connection_gets_it_on_a_fresh_one(app):
    relay = _RelayWithAConnectionLimit()
    relay.start()
    try:
        app.config.update(MAIL_SERVER=relay.host, MAIL_PORT=relay.port)
        for n in range(5):
            queue_mail(f"reader{n}@example.org", f"Message {n}", "Hello")
        db.session.commit()
        assert deliver_pending() == 5
    finally:
        relay.stop()
    assert sorted(m["Subject"] for m in relay.messages) == [f"Message {n}" for n in range(5)]
    assert len(set(relay.peers)) == 3
    assert db.session.scalar(select(func.count(Delivery.id)).where(
        Delivery.status == DeliveryStatus.SENT, Delivery.attempts == 1)) == 5


def test_stored_from_header_replaces_the_default_sender(app, mail):
    queue_mail("tom@example.org", "Hi", "Hello",
               headers={"From": "Lena via Forum <no-reply@forum.localhost>",
                        "Message-ID": "<forged@example.org>"})
    db.session.commit()
    (msg,) = mail.deliver()
    assert msg["From"] == "Lena via Forum <no-reply@forum.localhost>"
    assert msg["Message-ID"] != "<forged@example.org>"
    assert len(msg.get_all("From")) == 1
