"""Where a composed mail goes: the SMTP relay, or — with no ``MAIL_SERVER`` — ``instance/outbox/``.

``Transport`` lives for one delivery round (``forum.mail.deliver_pending``) and keeps its SMTP
connection open across the round's mails: a 500-member fan-out then costs one connection (and
one STARTTLS and login) per batch instead of one per mail. A kept connection the relay has
closed meanwhile, or one it refuses to take more mail on (``421``), is replaced by a fresh one
for the same mail, once; any other failure closes the connection (its state is unknown) and is
the caller's to record.
"""

from __future__ import annotations

import logging
import os
import smtplib
import uuid
from email.message import EmailMessage

from flask import current_app

from forum.db import utcnow

log = logging.getLogger("forum.mail")


class Transport:
    def __init__(self) -> None:
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Transport:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def send(self, msg: EmailMessage, envelope_from: str | None = None,
             to: str | None = None) -> None:
        """Send ``msg``; ``envelope_from`` is SMTP's MAIL FROM (where delivery reports go),
        else the From header's address; ``to`` the one envelope recipient, else every address
        in To and Cc (a per-post mail's Cc names the group's reply address: that copy is for
        the recipient's "Reply all", never for us to send)."""
        to_addrs = [to] if to else None
        if not current_app.config.get("MAIL_SERVER"):
            _write_to_outbox(msg)
            return
        if self._smtp is not None:
            try:
                self._smtp.send_message(msg, from_addr=envelope_from, to_addrs=to_addrs)
                return
            except (smtplib.SMTPServerDisconnected, ConnectionError):
                self.close()  # the relay closed the kept connection: once more on a fresh one
            except smtplib.SMTPResponseException as exc:
                self.close()
                if exc.smtp_code != 421:  # 421: no more on this connection; else a real answer
                    raise
            except BaseException:
                self.close()
                raise
        self._smtp = _connect()
        try:
            self._smtp.send_message(msg, from_addr=envelope_from, to_addrs=to_addrs)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()


def _connect() -> smtplib.SMTP:
    cfg = current_app.config
    smtp = smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=30)
    try:
        if cfg.get("MAIL_USE_STARTTLS"):
            smtp.starttls()
        if cfg.get("MAIL_USERNAME"):
            smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"])
    except BaseException:
        smtp.close()
        raise
    return smtp


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
