"""Reading one incoming RFC 5322 message with the ``email`` package (``policy.default``).

``parse`` answers what the rest of the inbound feature needs — who sent it, its Message-ID,
subject and the member's text (trimmed of quotes and signature) — or raises ``Unreadable``.
``automatic`` says whether the message was written by a machine (an auto-reply, a bounce, a
vacation notice, another list's mail, or our own mail coming back): such mail is never
posted and never answered, which is what keeps two robots from mailing each other forever.
"""

from __future__ import annotations

import hashlib
import re
from email import message_from_bytes, policy
from email.errors import (
    MultipartInvariantViolationDefect,
    NoBoundaryInMultipartDefect,
    StartBoundaryNotFoundDefect,
)
from email.message import EmailMessage
from email.utils import parseaddr
from typing import NamedTuple

from forum.control_chars import clean_multiline, one_line
from forum.inbound.htmltext import html_to_text
from forum.inbound.trimming import trim

# Defects after which the parts of a message cannot be told apart: refuse, do not guess.
_FATAL = (MultipartInvariantViolationDefect, NoBoundaryInMultipartDefect,
          StartBoundaryNotFoundDefect)
_FORWARD = re.compile(r"^\s*(fwd?|fw|wg|tr|rv)\s*:", re.IGNORECASE)  # Fwd:, FW:, WG:, TR:, RV:
_AUTO_HEADERS = ("X-Autoreply", "X-Autorespond", "X-Auto-Response-Suppress")
_ROBOTS = ("mailer-daemon", "postmaster", "noreply", "no-reply", "donotreply", "do-not-reply")


class Unreadable(ValueError):
    """A message whose sender or text cannot be read reliably."""


class MailAttachment(NamedTuple):
    filename: str
    data: bytes


class Incoming(NamedTuple):
    message: EmailMessage
    sender: str  # the From address, as written
    message_key: str  # the Message-ID (or a hash of the message when it has none)
    subject: str
    text: str  # what the member wrote, quotes and signature trimmed
    trimmed: str  # what was trimmed
    attachments: tuple[MailAttachment, ...] = ()  # parts sent as attachments (not inline)


def parse(raw: bytes) -> Incoming:
    try:
        msg = message_from_bytes(raw, policy=policy.default)
        sender = _sender(msg)
        body = _body_text(msg)
        subject = one_line(str(msg.get("Subject") or "")).strip()
        message_id = one_line(str(msg.get("Message-ID") or "")).strip()
    except Unreadable:
        raise
    except Exception as exc:  # noqa: BLE001 - a header or part the email package cannot read
        raise Unreadable(f"the message could not be read ({type(exc).__name__})") from exc
    if any(isinstance(d, _FATAL) for part in msg.walk() for d in part.defects):
        raise Unreadable("its MIME structure is broken (a multipart without its boundaries)")
    if not message_id or len(message_id) > 250:
        message_id = "sha256:" + hashlib.sha256(raw).hexdigest()
    text, trimmed = trim(clean_multiline(body), forwarded=bool(_FORWARD.match(subject)))
    return Incoming(msg, sender, message_id, subject, text, trimmed, _attachments(msg))


def _sender(msg: EmailMessage) -> str:
    froms = msg.get_all("From") or []
    if len(froms) != 1:
        raise Unreadable("it has no single From address")
    addresses = getattr(froms[0], "addresses", ())
    if len(addresses) != 1 or not addresses[0].domain or not addresses[0].username:
        raise Unreadable("its From header does not hold exactly one address")
    return addresses[0].addr_spec


def _attachments(msg: EmailMessage) -> tuple[MailAttachment, ...]:
    """Parts the sender attached: ``Content-Disposition: attachment`` with a file name. Inline
    parts (the images an HTML body shows, a signature's logo) are part of the body, not files
    for the library: they are left out, as the HTML they decorate is turned into text."""
    found = []
    for part in msg.walk():
        if part.is_multipart() or part.get_content_disposition() != "attachment":
            continue
        name = one_line(part.get_filename() or "").strip()
        if name:
            found.append(MailAttachment(name, part.get_payload(decode=True) or b""))
    return tuple(found)


def _body_text(msg: EmailMessage) -> str:
    """The text part, else the HTML part made text; "" when there is neither."""
    part = msg.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    content = _decoded(part)
    if part.get_content_subtype() == "html":
        return html_to_text(content)
    return content


def _decoded(part: EmailMessage) -> str:
    try:
        return part.get_content()
    except (LookupError, UnicodeError):  # an unknown or lying charset: keep what decodes
        payload = part.get_payload(decode=True) or b""
        return payload.decode("utf-8", errors="replace")


def automatic(msg: EmailMessage, envelope_sender: str | None, own_domain: str) -> str | None:
    """Why the message was sent by a machine, or None for a person's mail."""
    if envelope_sender is not None and envelope_sender.strip("<> ") == "":
        return "null envelope sender (a bounce)"
    if (msg.get("Return-Path") or "").strip() == "<>":
        return "empty Return-Path (a bounce)"
    submitted = str(msg.get("Auto-Submitted") or "").strip().lower()
    if submitted and submitted != "no":
        return f"Auto-Submitted: {submitted}"
    precedence = str(msg.get("Precedence") or "").strip().lower()
    if precedence in ("bulk", "junk", "list", "auto_reply"):
        return f"Precedence: {precedence}"
    for name in _AUTO_HEADERS:
        if msg.get(name) is not None:
            return f"{name} header"
    if msg.get_content_type() == "multipart/report":
        return "a delivery or read report (multipart/report)"
    local, _, domain = parseaddr(str(msg.get("From") or ""))[1].lower().rpartition("@")
    if local in _ROBOTS or local.startswith(("bounce", "mailer-daemon")):
        return f"sent by {local}@"
    if domain == own_domain.lower():
        return "our own mail came back"
    return None
