"""Composing mail, the outbox, and the worker that delivers it.

Features call ``queue_mail`` (or ``queue_template``) inside their transaction: the mail exists
exactly when its cause does. ``deliver_pending`` (the ``flask deliver`` command) claims rows,
sends them over SMTP — or, with no ``MAIL_SERVER``, writes them to ``instance/outbox/`` as .eml
files and logs them — and retries failures with back-off.
"""

from __future__ import annotations

import logging
import os
import smtplib
import uuid
from datetime import timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app, render_template
from sqlalchemy import or_, select, update

from forum.db import utcnow, writing
from forum.extensions import db
from forum.mailing.models import Delivery, DeliveryStatus

log = logging.getLogger(__name__)
CLAIM_TIMEOUT = timedelta(minutes=10)


def queue_mail(to: str, subject: str, text: str, html: str | None = None,
               headers: dict | None = None) -> Delivery:
    """Add a mail to the outbox in the current transaction (the caller commits)."""
    domain = current_app.config["MAIL_DEFAULT_SENDER"].rsplit("@", 1)[-1].rstrip(">")
    delivery = Delivery(
        message_id=make_msgid(idstring=uuid.uuid4().hex[:12], domain=domain),
        to_address=to, subject=subject[:255], body_text=text, body_html=html,
        headers=headers or {},
    )
    db.session.add(delivery)
    return delivery


def queue_template(to: str, subject: str, template: str, headers: dict | None = None,
                   **context) -> Delivery:
    """Queue a mail rendered from ``templates/email/<template>.txt`` (and ``.html`` if present)."""
    text = render_template(f"email/{template}.txt", **context)
    try:
        html = render_template(f"email/{template}.html", **context)
    except Exception:  # noqa: BLE001 - the HTML part is optional
        html = None
    return queue_mail(to, subject, text, html, headers)


def build_message(delivery: Delivery) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    msg["To"] = delivery.to_address
    msg["Subject"] = delivery.subject
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = delivery.message_id
    for name, value in (delivery.headers or {}).items():
        msg[name] = value
    msg.set_content(delivery.body_text)
    if delivery.body_html:
        msg.add_alternative(delivery.body_html, subtype="html")
    return msg


def deliver_pending(limit: int = 100) -> int:
    """Send what is due; return how many were sent. Safe to run in several workers at once."""
    sent = 0
    for delivery_id in _claim_due(limit):
        delivery = db.session.get(Delivery, delivery_id)
        try:
            _send(build_message(delivery))
        except (OSError, smtplib.SMTPException) as exc:
            _record_failure(delivery, exc)
        else:
            delivery.status = DeliveryStatus.SENT
            delivery.sent_at = utcnow()
            sent += 1
        with writing():
            db.session.commit()
    return sent


def _claim_due(limit: int) -> list[int]:
    """Mark due rows as ours in one short transaction, so no other worker sends them too."""
    now = utcnow()
    with writing():
        due = (
            select(Delivery.id)
            .where(
                or_(
                    (Delivery.status == DeliveryStatus.PENDING) & (Delivery.next_attempt_at <= now),
                    (Delivery.status == DeliveryStatus.SENDING)
                    & (Delivery.next_attempt_at <= now - CLAIM_TIMEOUT),
                )
            )
            .order_by(Delivery.id)
            .limit(limit)
        )
        if db.engine.dialect.name == "postgresql":
            due = due.with_for_update(skip_locked=True)
        ids = list(db.session.scalars(due))
        if ids:
            db.session.execute(
                update(Delivery)
                .where(Delivery.id.in_(ids))
                .values(status=DeliveryStatus.SENDING, next_attempt_at=now,
                        attempts=Delivery.attempts + 1)
            )
        db.session.commit()
    return ids


def _record_failure(delivery: Delivery, exc: Exception) -> None:
    log.warning("mail %s to %s failed: %s", delivery.id, delivery.to_address, exc)
    delivery.last_error = str(exc)[:2000]
    if delivery.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
        delivery.status = DeliveryStatus.FAILED
    else:
        delivery.status = DeliveryStatus.PENDING
        delivery.next_attempt_at = utcnow() + timedelta(minutes=2 ** delivery.attempts)


def _send(msg: EmailMessage) -> None:
    cfg = current_app.config
    if not cfg.get("MAIL_SERVER"):
        _write_to_outbox(msg)
        return
    with smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=30) as smtp:
        if cfg.get("MAIL_USE_STARTTLS"):
            smtp.starttls()
        if cfg.get("MAIL_USERNAME"):
            smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"])
        smtp.send_message(msg)


def _write_to_outbox(msg: EmailMessage) -> None:
    outbox = os.path.join(current_app.instance_path, "outbox")
    os.makedirs(outbox, exist_ok=True)
    name = f"{utcnow():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}.eml"
    tmp = os.path.join(outbox, f".{name}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(bytes(msg))
    os.replace(tmp, os.path.join(outbox, name))
    log.info("mail to %s: %s (written to instance/outbox/%s)", msg["To"], msg["Subject"], name)
    body = msg.get_body(("plain",))
    if body is not None:
        log.info("%s", body.get_content())
