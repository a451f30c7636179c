"""The LMTP server an MTA (Postfix: ``transport_maps`` → ``lmtp:inet:host:port``) delivers to.

aiosmtpd's ``LMTP`` speaks the protocol (RFC 2033); its ``data_size_limit`` answers
``552`` to a message over ``MAIL_INBOUND_MAX_BYTES`` before we see it. After DATA, LMTP gives
one reply per recipient, in RCPT order: ``receive`` decides each (forum/inbound/receiving.py)
in a worker thread with its own app context, so the event loop keeps serving other
connections while the database works.

Replies: accepted (posted, held, a duplicate, machine mail dropped, or refused with a mail to
the sender saying why) → ``250``; no such address → ``550 5.1.1``; too big → ``552 5.3.4``;
unreadable MIME → ``550 5.6.0``; our failure → ``451 4.3.0`` (the MTA tries again later).
"""

from __future__ import annotations

import asyncio
import logging

from aiosmtpd.controller import Controller
from aiosmtpd.lmtp import LMTP
from flask import Flask

from forum.extensions import db
from forum.inbound.receiving import Outcome, Result, receive

log = logging.getLogger(__name__)

_REPLIES = {
    Outcome.POSTED: "250 2.0.0 Posted",
    Outcome.HELD: "250 2.0.0 Posted, waiting for a moderator",
    Outcome.DUPLICATE: "250 2.0.0 Already posted",
    Outcome.DROPPED: "250 2.0.0 Automatic mail: not posted",
    Outcome.BOUNCE: "250 2.0.0 Delivery report read",
    Outcome.RELAYED: "250 2.0.0 Passed on privately",
    Outcome.REFUSED: "250 2.0.0 Not posted; the sender was told why",
    Outcome.UNKNOWN_RECIPIENT: "550 5.1.1 No such address here",
    Outcome.TOO_BIG: "552 5.3.4 Message too big",
    Outcome.UNREADABLE: "550 5.6.0",
    Outcome.TEMPORARY: "451 4.3.0 Temporary failure, try again later",
}


def reply_line(result: Result) -> str:
    line = _REPLIES[result.outcome]
    if result.outcome == Outcome.UNREADABLE:
        line = f"{line} {result.detail}"
    # One ASCII line: a reply is not the place for a member's curly quotes or a CR/LF.
    return " ".join(line.encode("ascii", "replace").decode().split())


class InboundHandler:
    """aiosmtpd handler: each message goes to ``receive`` in the app's context."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    async def handle_DATA(self, server, session, envelope) -> str:
        recipients = list(envelope.rcpt_tos)
        loop = asyncio.get_running_loop()
        results = await loop.run_in_executor(
            None, self._receive, envelope.content, recipients, envelope.mail_from)
        return "\r\n".join(reply_line(result) for result in results)

    def _receive(self, content: bytes, recipients: list[str], sender: str) -> list[Result]:
        with self.app.app_context():
            try:
                return receive(content, recipients, sender)
            except Exception:  # noqa: BLE001 - never leave the MTA without an answer
                log.exception("inbound LMTP delivery to %s failed", recipients)
                return [Result(r, Outcome.TEMPORARY) for r in recipients]
            finally:
                db.session.remove()


class LMTPController(Controller):
    """aiosmtpd's threaded controller, serving LMTP instead of SMTP."""

    def factory(self):
        return LMTP(self.handler, **self.SMTP_kwargs)


def lmtp_server(app: Flask, host: str, port: int) -> LMTPController:
    """The server, not yet started (``.start()`` / ``.stop()``)."""
    return LMTPController(
        InboundHandler(app), hostname=host, port=port,
        data_size_limit=app.config["MAIL_INBOUND_MAX_BYTES"], decode_data=False,
        ident=f"{app.config['SITE_NAME'][:60]} LMTP")
