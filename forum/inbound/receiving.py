"""``receive``: one incoming message, for one or more recipients, both ways in (LMTP, stdin).

For each recipient the answer is a ``Result`` whose ``outcome`` the two ways in translate to
an LMTP reply or a sendmail exit status (``lmtp.py``, ``cli.py``; docs/email.md):

- POSTED / HELD: the post exists (HELD: waiting for a moderator; the sender is told);
- DUPLICATE: this member's mail with this Message-ID was posted already — nothing again;
- DROPPED: written by a machine (auto-reply, bounce, vacation notice): logged, never posted,
  never answered, so no two robots can mail each other forever;
- RELAYED: a private answer to a post's author, passed on to them alone (inbound.private);
- BOUNCE: a delivery report sent to one of our mails' bounce addresses: the failure it reports
  is recorded against the address that mail went to (forum.mailing.bounces), never answered;
- REFUSED: nothing posted; the sender gets a mail through the outbox saying why;
- UNKNOWN_RECIPIENT: no such address here; TOO_BIG: over ``MAIL_INBOUND_MAX_BYTES``;
  UNREADABLE: malformed MIME or no single From — the MTA bounces these with our reason;
- TEMPORARY: something failed on our side (the database): the MTA should try again later.

Each recipient is handled in its own transaction: the post, its notifications and outbox
rows, and the ``inbound_messages`` row are committed together or not at all.
"""

from __future__ import annotations

import enum
import logging
from typing import NamedTuple

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from forum import ratelimit
from forum.db import writing
from forum.extensions import db
from forum.groups.models import Group
from forum.inbound.bounces import read_report
from forum.inbound.parsing import Incoming, Unreadable, automatic, parse
from forum.inbound.posting import GroupTarget, Refusal, ReplyTarget, post_mail
from forum.inbound.private import PrivateTarget, relay_private
from forum.mail import queue_template
from forum.mailing.bounces import is_bounce_local_part, read_bounce_local_part, record_bounce
from forum.mailing.models import Delivery
from forum.notifications.addresses import (
    is_private_local_part,
    is_reply_local_part,
    mail_domain,
    read_private_token,
    read_reply_token,
    redact_reply_addresses,
)
from forum.notifications.emails import post_url

log = logging.getLogger(__name__)


class Outcome(enum.StrEnum):
    POSTED = "posted"
    HELD = "held"
    DUPLICATE = "duplicate"
    DROPPED = "dropped"
    BOUNCE = "bounce"
    RELAYED = "relayed"
    REFUSED = "refused"
    UNKNOWN_RECIPIENT = "unknown recipient"
    TOO_BIG = "too big"
    UNREADABLE = "unreadable"
    TEMPORARY = "temporary failure"


# Outcomes after which the message is ours (the MTA must not bounce it or try again).
ACCEPTED = frozenset({Outcome.POSTED, Outcome.HELD, Outcome.DUPLICATE, Outcome.DROPPED,
                      Outcome.BOUNCE, Outcome.RELAYED, Outcome.REFUSED})


class Result(NamedTuple):
    recipient: str
    outcome: Outcome
    detail: str = ""
    post_id: int | None = None

    @property
    def accepted(self) -> bool:
        return self.outcome in ACCEPTED


def receive(message: bytes, recipients: list[str],
            envelope_sender: str | None = None) -> list[Result]:
    """Handle one message addressed to ``recipients`` (the envelope's, not the To header's).

    ``envelope_sender`` is MAIL FROM ("" for a bounce) when the way in knows it. A worker
    entry point: it commits (whatever the session held first, then each recipient's work).
    """
    db.session.commit()
    limit = current_app.config["MAIL_INBOUND_MAX_BYTES"]
    if len(message) > limit:
        return _all(recipients, Outcome.TOO_BIG, f"the message is larger than {limit:,} bytes")
    reports = [r for r in recipients if is_bounce_local_part(_local_part(r))]
    people = [r for r in recipients if not is_bounce_local_part(_local_part(r))]
    results = {r: _delivery_report(message, r) for r in reports}
    if people:
        results.update(zip(people, _from_people(message, people, envelope_sender), strict=True))
    return [results[r] for r in recipients]


def _local_part(recipient: str) -> str:
    return recipient.strip().strip("<>").rpartition("@")[0]


def _from_people(message: bytes, recipients: list[str],
                 envelope_sender: str | None) -> list[Result]:
    try:
        mail = parse(message)
    except Unreadable as exc:
        return _all(recipients, Outcome.UNREADABLE, f"The message cannot be read: {exc}.")
    machine = automatic(mail.message, envelope_sender, mail_domain())
    mail = mail._replace(text=redact_reply_addresses(mail.text),
                         trimmed=redact_reply_addresses(mail.trimmed))
    results = []
    for recipient in recipients:
        target = _target(recipient)
        if target is None:
            result = Result(recipient, Outcome.UNKNOWN_RECIPIENT, "no such address here")
        elif machine:
            result = Result(recipient, Outcome.DROPPED, machine)
        elif isinstance(target, PrivateTarget):
            result = _relay(mail, target, recipient)
        else:
            result = _post(mail, target, recipient)
        log.info("inbound mail %s from %s to %s: %s%s", mail.message_key, mail.sender,
                 recipient, result.outcome, f" ({result.detail})" if result.detail else "")
        results.append(result)
    return results


def _delivery_report(message: bytes, recipient: str) -> Result:
    """A report sent to a bounce address: what it says failed is recorded against the address
    the named mail went to. Answered never (a robot wrote it); a forged address is unknown."""
    local, _, domain = recipient.strip().strip("<>").rpartition("@")
    delivery_id = read_bounce_local_part(local) if domain.lower() == mail_domain() else None
    if delivery_id is None:
        return Result(recipient, Outcome.UNKNOWN_RECIPIENT, "no such address here")
    report = read_report(message)
    address = db.session.scalar(select(Delivery.to_address).where(Delivery.id == delivery_id))
    db.session.commit()
    if report is None or address is None:
        detail = "reports no failure" if report is None else "names no mail of ours"
        log.info("inbound mail to %s: %s", recipient, detail)
        return Result(recipient, Outcome.DROPPED, detail)
    try:
        with writing():
            record_bounce(address, permanent=report.permanent, status=report.status,
                          reason=report.reason, delivery_id=delivery_id)
            db.session.commit()
    except Exception:  # noqa: BLE001 - the database: nothing written, the MTA tries again
        db.session.rollback()
        log.exception("delivery report to %s could not be recorded", recipient)
        return Result(recipient, Outcome.TEMPORARY, "an error on our side; try again later")
    return Result(recipient, Outcome.BOUNCE, f"{report.status} {report.reason}"[:200])


def _all(recipients: list[str], outcome: Outcome, detail: str) -> list[Result]:
    log.warning("inbound mail to %s: %s (%s)", ", ".join(recipients), outcome, detail)
    return [Result(r, outcome, detail) for r in recipients]


def _target(recipient: str) -> ReplyTarget | GroupTarget | PrivateTarget | None:
    local, at, domain = recipient.strip().strip("<>").rpartition("@")
    if not at or domain.lower() != mail_domain():
        return None
    if is_private_local_part(local):
        return PrivateTarget(read_private_token(local))
    if is_reply_local_part(local):
        return ReplyTarget(read_reply_token(local))
    group = db.session.scalar(select(Group).where(Group.slug == local.lower()))
    db.session.commit()  # end the read: the posting transaction begins as a writer (and
    # reloads the group in it)
    return GroupTarget(group) if group is not None else None


def _post(mail: Incoming, target, recipient: str) -> Result:
    def work():
        posted = post_mail(mail, target)
        if posted.post_id is not None and posted.held:
            _tell(mail, "Your post is waiting for a moderator's approval",
                  "inbound_held", post_url=post_url(posted.post_id))
        return posted

    posted = _one_transaction(mail, recipient, work, "posted")
    if isinstance(posted, Result):
        return posted
    if posted.post_id is None:
        return Result(recipient, Outcome.DUPLICATE, "posted before")
    outcome = Outcome.HELD if posted.held else Outcome.POSTED
    return Result(recipient, outcome, post_id=posted.post_id)


def _relay(mail: Incoming, target: PrivateTarget, recipient: str) -> Result:
    relayed = _one_transaction(mail, recipient, lambda: relay_private(mail, target), "relayed")
    if isinstance(relayed, Result):
        return relayed
    if not relayed.relayed:
        return Result(recipient, Outcome.DUPLICATE, relayed.detail)
    return Result(recipient, Outcome.RELAYED, relayed.detail)


def _one_transaction(mail: Incoming, recipient: str, work, done: str):
    """``work()`` in a writing transaction of its own, committed; or the ``Result`` that says
    why nothing was written: refused (the sender is told why), a concurrent duplicate, or our
    failure (the MTA tries again)."""
    try:
        with writing():
            value = work()
            db.session.commit()
    except Refusal as refusal:
        db.session.rollback()
        _bounce(mail, refusal.reason, private=done == "relayed")
        return Result(recipient, Outcome.REFUSED, refusal.reason)
    except IntegrityError:  # the same message, delivered twice at once: the other one won
        db.session.rollback()
        return Result(recipient, Outcome.DUPLICATE, f"{done} by a concurrent delivery")
    except Exception:  # noqa: BLE001 - the database or a bug: nothing written, try later
        db.session.rollback()
        log.exception("inbound mail %s to %s failed", mail.message_key, recipient)
        return Result(recipient, Outcome.TEMPORARY, "an error on our side; try again later")
    return value


def _bounce(mail: Incoming, reason: str, *, private: bool = False) -> None:
    """Tell the sender why nothing was posted (``private``: why their private answer was not
    passed on), in a transaction of its own — at most
    ``MAIL_INBOUND_REFUSALS_PER_HOUR`` times an hour per address: a From address can be
    forged, and a flood of forged mail must not make us flood its owner (backscatter)."""
    limit = ratelimit.parse_limit(current_app.config["MAIL_INBOUND_REFUSALS_PER_HOUR"])
    with writing():
        if ratelimit.claim("inbound-refusal", mail.sender.lower(), limit).allowed:
            subject = ("Your private answer was not passed on" if private
                       else "Your mail was not posted")
            _tell(mail, subject, "inbound_refused", reason=reason, private=private)
        else:
            log.warning("inbound mail %s from %s: refusal not sent (%s already this hour)",
                        mail.message_key, mail.sender, limit.amount)
        db.session.commit()


def _tell(mail: Incoming, subject: str, template: str, **context) -> None:
    original = mail.message_key if mail.message_key.startswith("<") else None
    headers = {"Auto-Submitted": "auto-replied"}  # RFC 3834: no robot answers this
    if original:
        headers.update({"In-Reply-To": original, "References": original})
    about = f"{subject}: {mail.subject}" if mail.subject else subject
    queue_template(mail.sender, about[:200], template, headers=headers,
                   site=current_app.config["SITE_NAME"],
                   site_url=current_app.config["SITE_URL"], mail=mail, **context)
