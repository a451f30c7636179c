"""``flask mail lmtp`` (the LMTP server) and ``flask mail ingest`` (one message on stdin).

``ingest`` follows the exit statuses of sendmail's sysexits.h, as Postfix's pipe(8) reads
them: 0 delivered (posted, held, a duplicate, machine mail dropped, or refused with a mail to
the sender saying why); 67 (EX_NOUSER) no such address; 65 (EX_DATAERR) unreadable or too
big; 75 (EX_TEMPFAIL) a failure on our side, try again later. Any status but 0 and 75 makes
Postfix bounce the message, with what we printed on standard error as the reason.
"""

from __future__ import annotations

import signal
import sys
import threading
from email import message_from_bytes, policy

import click
from flask import current_app

from forum.inbound.lmtp import lmtp_server
from forum.inbound.receiving import Outcome, receive

EX_OK, EX_DATAERR, EX_NOUSER, EX_TEMPFAIL = 0, 65, 67, 75
_EXIT = {Outcome.UNKNOWN_RECIPIENT: EX_NOUSER, Outcome.TOO_BIG: EX_DATAERR,
         Outcome.UNREADABLE: EX_DATAERR, Outcome.TEMPORARY: EX_TEMPFAIL}


@click.group("mail")
def mail_cli() -> None:
    """Mail in: the LMTP server and the stdin pipe (docs/email.md)."""


@mail_cli.command("lmtp")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8024, show_default=True, type=int)
def lmtp(host: str, port: int) -> None:
    """Serve LMTP for an MTA (Postfix) to deliver members' mail to, until stopped."""
    server = lmtp_server(current_app._get_current_object(), host, port)
    server.start()
    click.echo(f"LMTP server listening on {host}:{port}")
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


@mail_cli.command("ingest")
@click.option("--recipient", "-r", "recipients", multiple=True,
              help="Envelope recipient (Postfix: ${recipient}). Default: the message's "
                   "X-Original-To or Delivered-To header.")
@click.option("--sender", "-f", default=None,
              help="Envelope sender (Postfix: ${sender}); empty for a bounce.")
def ingest(recipients: tuple[str, ...], sender: str | None) -> None:
    """Read one RFC 5322 message from standard input and post it (for an MTA pipe)."""
    message = _read_stdin(current_app.config["MAIL_INBOUND_MAX_BYTES"])
    targets = list(recipients) or _header_recipients(message)
    if not targets:
        click.echo("5.1.3 no recipient: pass --recipient", err=True)
        raise SystemExit(EX_NOUSER)
    status = EX_OK
    for result in receive(message, targets, sender):
        code = _EXIT.get(result.outcome, EX_OK)
        if code != EX_OK:
            click.echo(f"{result.recipient}: {result.outcome}: {result.detail}", err=True)
        # The worst wins, and a temporary failure is worst: the MTA must keep the message.
        status = max(status, code, key=lambda c: (c == EX_TEMPFAIL, c))
    raise SystemExit(status)


def _read_stdin(limit: int) -> bytes:
    """Up to ``limit`` + 1 bytes (enough to know it is too big); the rest is read and
    dropped, so the MTA writing to the pipe never sees it broken."""
    stream = sys.stdin.buffer
    kept = bytearray()
    while chunk := stream.read(1 << 16):
        if len(kept) <= limit:
            kept += chunk[:limit + 1 - len(kept)]
    return bytes(kept)


def _header_recipients(message: bytes) -> list[str]:
    headers = message.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    msg = message_from_bytes(headers, policy=policy.default)
    for name in ("X-Original-To", "Delivered-To"):
        value = msg.get(name)
        if value is not None:
            return [str(value).strip()]
    return []
