"""Composing mail, the outbox, and the worker that delivers it.

Features call ``queue_mail`` (or ``queue_template``) inside their transaction: the mail exists
exactly when its cause does. ``deliver_pending`` (the ``flask deliver`` command) claims rows,
sends them over SMTP — or, with no ``MAIL_SERVER``, writes them to ``instance/outbox/`` as .eml
files and logs them (forum/mailing/transport.py) — and retries failures with back-off.
"""

from __future__ import annotations

import logging
import re
import smtplib
import uuid
from datetime import timedelta
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

from flask import current_app, render_template
from jinja2 import TemplateNotFound
from sqlalchemy import insert, or_, select, update

from forum.control_chars import one_line
from forum.db import utcnow, writing
from forum.extensions import db
from forum.jinja import zone_named
from forum.mailing.addresses import sender_domain
from forum.mailing.bounces import envelope_sender, record_bounce
from forum.mailing.models import Delivery, DeliveryStatus
from forum.mailing.transport import Transport

log = logging.getLogger(__name__)
# Set by build_message itself: a stored header may not change them.
_FIXED_HEADERS = frozenset({"to", "subject", "date", "message-id"})
_HEADER_NAME = re.compile(r"[!-9;-~]+")  # RFC 5322 ftext: printable ASCII but the colon


def new_message_id() -> str:
    return make_msgid(idstring=uuid.uuid4().hex[:12], domain=sender_domain())


def queue_mail(to: str, subject: str, text: str, html: str | None = None,
               headers: dict | None = None, message_id: str | None = None) -> Delivery:
    """Add a mail to the outbox in the current transaction (the caller commits)."""
    delivery = Delivery(
        message_id=message_id or new_message_id(),
        to_address=to, subject=subject[:255], body_text=text, body_html=html,
        headers=headers or {},
    )
    db.session.add(delivery)
    return delivery


def render_mail(template: str, *, reader=None, **context) -> tuple[str, str | None]:
    """The text (and HTML, if the template has one) of ``templates/email/<template>``.
    ``reader``: the member it is for; its dates then print in their time zone (a mail is
    rendered outside their request, where the date filters would print UTC)."""
    if reader is not None:
        context.setdefault("reader_zone", zone_named(getattr(reader, "timezone", None)))
    text = render_template(f"email/{template}.txt", **context)
    try:
        html = render_template(f"email/{template}.html", **context)
    except TemplateNotFound:  # the HTML part is optional
        html = None
    return text, html


def queue_template(to: str, subject: str, template: str, headers: dict | None = None,
                   *, reader=None, **context) -> Delivery:
    """Queue a mail rendered from ``templates/email/<template>.txt`` (and ``.html`` if present);
    ``reader`` as for ``render_mail``."""
    text, html = render_mail(template, reader=reader, **context)
    return queue_mail(to, subject, text, html, headers)


def queue_bulk(mails: list[dict]) -> int:
    """Queue many mails with one multi-row INSERT (same transaction as the caller).

    Each dict has ``to_address``, ``subject``, ``body_text`` and optionally ``body_html``,
    ``headers``, ``message_id``.
    """
    rows = []
    now = utcnow()
    for mail in mails:
        rows.append({
            "message_id": mail.get("message_id") or new_message_id(),
            "to_address": mail["to_address"], "subject": mail["subject"][:255],
            "body_text": mail["body_text"], "body_html": mail.get("body_html"),
            "headers": mail.get("headers") or {}, "status": DeliveryStatus.PENDING,
            "attempts": 0, "next_attempt_at": now, "last_error": "", "created_at": now,
            "post_id": mail.get("post_id"),
        })
    if rows:
        db.session.execute(insert(Delivery), rows)
    return len(rows)


WITHDRAWN = "withdrawn: the post it tells of is no longer visible"


def withdraw_post_mail(post_ids, session=None) -> int:
    """Mails still waiting about these posts (ids, or a select of them) are never sent: the
    post was hidden, removed, or moved where its readers may differ. Same transaction as the
    change; a mail a worker has already claimed is past recall."""
    result = (session or db.session).execute(
        update(Delivery)
        .where(Delivery.status == DeliveryStatus.PENDING, Delivery.post_id.in_(post_ids))
        .values(status=DeliveryStatus.FAILED, last_error=WITHDRAWN)
        .execution_options(synchronize_session=False))
    return result.rowcount or 0


def sender(display_name: str | None = None) -> dict:
    """A stored ``From``: the site's own address, with ``display_name`` if given.

    Kept as its parts, never as a formatted string, so the name reaches ``Address`` as it was
    written (a formatted string would carry it RFC 2047-encoded, or quoted, or with a CR/LF
    that begins a header of its own).
    """
    name, address = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])
    return {"display_name": display_name or name, "addr_spec": address}


# Lines up to RFC 5322's 998 characters before folding: at the default 78 the email package
# cannot fold a long URL (it has no spaces), so it RFC 2047-encodes it, and no mail program
# can use a List-Unsubscribe or List-Archive written as "=?utf-8?q?=3Chttps=3A//…".
_POLICY = policy.default.clone(max_line_length=998)


def build_message(delivery: Delivery) -> EmailMessage:
    """The message for a delivery; its stored headers may replace From (never To/Message-ID).

    Every header goes through the ``email`` package (``policy.default``): addresses as
    ``Address`` objects, other values as header values it folds and encodes. A line break
    still inside a stored value (a name saved before forms refused them) becomes a space
    first, so no value can begin a header of its own. Raises ValueError (or another
    exception) for a row no retry could ever send.
    """
    extra = dict(delivery.headers or {})
    msg = EmailMessage(policy=_POLICY)
    msg["From"] = _from(extra.pop("From", None))
    msg["To"] = _recipient(delivery.to_address)
    msg["Subject"] = one_line(delivery.subject)
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = delivery.message_id
    for name, value in extra.items():
        if not _HEADER_NAME.fullmatch(name):
            raise ValueError(f"invalid header name {name!r}")
        if name.lower() not in _FIXED_HEADERS and value:
            msg[name] = one_line(str(value))
    msg.set_content(delivery.body_text)
    if delivery.body_html:
        msg.add_alternative(delivery.body_html, subtype="html")
    return msg


def _from(stored: dict | str | None) -> Address | str:
    if isinstance(stored, dict):
        default = sender()
        return Address(display_name=one_line(stored.get("display_name") or ""),
                       addr_spec=stored.get("addr_spec") or default["addr_spec"])
    if stored:  # a formatted string, as rows queued before ``sender`` carry
        return one_line(stored)
    return _from(sender())


def _recipient(address: str) -> Address:
    # Split, not parsed: an internationalised local part (which email-validator accepts) is
    # not an RFC 5322 addr_spec, and sending it is the SMTP server's call (SMTPUTF8).
    local, at, domain = (address or "").rpartition("@")
    if not (at and local and domain):
        raise ValueError(f"{address!r} is not an e-mail address")
    return Address(username=local, domain=domain)  # raises on CR or LF


def deliver_pending(limit: int | None = None) -> int:
    """Send what is due; return how many were sent. Safe to run in several workers at once.

    A worker entry point: it commits (whatever the session held first, then each result).
    No transaction stays open while SMTP talks: the claimed rows are read in one statement
    and composed, the read ends, then each mail is sent and its outcome written in its own
    short writing transaction.

    One bad row never stops the others: a row that cannot be composed, or that fails to send
    for any reason but the network or the SMTP server, is logged with its id and marked
    failed with the reason at once (retrying cannot help it); network and SMTP errors are
    retried with back-off by ``_failure``.
    """
    db.session.commit()
    sent = 0
    composed = _composed(_claim_due(limit or current_app.config["MAIL_BATCH_SIZE"]))
    with Transport() as transport:  # one SMTP connection for the round's mails
        for delivery_id, mail in composed:
            outcome = mail if isinstance(mail, dict) else _attempt(delivery_id, mail, transport)
            sent += outcome["status"] == DeliveryStatus.SENT
            refused = outcome.pop("refused", None)  # the relay refused the address for good
            with writing():
                db.session.execute(update(Delivery).where(Delivery.id == delivery_id)
                                   .values(**outcome))
                if refused:
                    record_bounce(mail[2], permanent=True, status=refused[0],
                                  reason=refused[1], delivery_id=delivery_id)
                db.session.commit()
    return sent


def _composed(ids: list[int]) -> list[tuple[int, tuple | dict]]:
    """The claimed rows, read in one statement, as (id, (message, attempts, to, envelope
    sender)) — or, for a
    row that cannot be composed, (id, its failed outcome). Ends the read before any send."""
    if not ids:
        return []
    composed: list[tuple[int, tuple | dict]] = []
    for delivery in db.session.scalars(
            select(Delivery).where(Delivery.id.in_(ids)).order_by(Delivery.id)):
        try:
            composed.append((delivery.id, (build_message(delivery), delivery.attempts,
                                           delivery.to_address, envelope_sender(delivery.id))))
        except Exception as exc:  # noqa: BLE001 - any fault of this row's data: fail only this row
            log.exception("mail %s cannot be composed; marked failed", delivery.id)
            composed.append((delivery.id, {"status": DeliveryStatus.FAILED,
                                           "last_error": _reason("cannot compose", exc)}))
    db.session.commit()
    return composed


def _attempt(delivery_id: int, mail: tuple, transport: Transport) -> dict:
    """Send one composed mail; the values its row takes afterwards."""
    msg, attempts, to, envelope_from = mail
    try:
        transport.send(msg, envelope_from, to)
    except (OSError, smtplib.SMTPException) as exc:
        return _failure(delivery_id, to, attempts, exc)
    except Exception as exc:  # noqa: BLE001 - e.g. a body that cannot be encoded: permanent
        log.exception("mail %s to %s cannot be sent; marked failed", delivery_id, to)
        return {"status": DeliveryStatus.FAILED, "last_error": _reason("cannot send", exc)}
    return {"status": DeliveryStatus.SENT, "sent_at": utcnow(), "last_error": ""}


def _reason(what: str, exc: Exception) -> str:
    # One line, and no NUL (PostgreSQL's text refuses it): the reason must be storable.
    return one_line(f"{what}: {type(exc).__name__}: {exc}")[:2000]


def _claim_due(limit: int) -> list[int]:
    """Mark due rows as ours in one short transaction, so no other worker sends them too.

    PostgreSQL: the candidates are locked with FOR UPDATE SKIP LOCKED, so workers take
    disjoint batches without waiting. SQLite: the transaction begins IMMEDIATE, so claims are
    serialised. On both, the UPDATE repeats the "due" test and RETURNING reports only the rows
    this worker actually changed: a row another worker claimed first is never ours too.
    """
    now = utcnow()
    # A claim older than this is a dead worker's: it must exceed the time one batch takes.
    timeout = timedelta(seconds=current_app.config["MAIL_CLAIM_TIMEOUT_SECONDS"])
    due = or_(
        (Delivery.status == DeliveryStatus.PENDING) & (Delivery.next_attempt_at <= now),
        (Delivery.status == DeliveryStatus.SENDING)
        & (Delivery.next_attempt_at <= now - timeout),
    )
    with writing():
        candidates = select(Delivery.id).where(due).order_by(Delivery.id).limit(limit)
        if db.engine.dialect.name == "postgresql":
            candidates = candidates.with_for_update(skip_locked=True)
        ids = list(db.session.scalars(candidates))
        claimed: list[int] = []
        if ids:
            claimed = list(db.session.scalars(
                update(Delivery)
                .where(Delivery.id.in_(ids), due)
                .values(status=DeliveryStatus.SENDING, next_attempt_at=now,
                        attempts=Delivery.attempts + 1)
                .returning(Delivery.id),
                execution_options={"synchronize_session": False},
            ))
        db.session.commit()
    return sorted(claimed)


def _failure(delivery_id: int, to: str, attempts: int, exc: Exception) -> dict:
    """What a failed attempt leaves: retried later with back-off, or given up on. A 5xx
    refusal of the recipient itself is also a bounce (``refused``: its code and text)."""
    log.warning("mail %s to %s failed (attempt %s): %s", delivery_id, to, attempts, exc)
    permanent = isinstance(exc, smtplib.SMTPResponseException) and exc.smtp_code >= 500
    refused = None
    if isinstance(exc, smtplib.SMTPRecipientsRefused) and exc.recipients:
        code, text = next(iter(exc.recipients.values()))
        permanent = code >= 500
        if permanent:
            refused = (str(code), text.decode("utf-8", "replace")
                       if isinstance(text, bytes) else str(text))
    reason = _reason("cannot send", exc)
    if permanent or attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
        return {"status": DeliveryStatus.FAILED, "last_error": reason, "refused": refused}
    return {"status": DeliveryStatus.PENDING, "last_error": reason,
            "next_attempt_at": utcnow() + timedelta(minutes=2 ** attempts)}
