"""Delivery reports that come back to a delivery's bounce address (forum.mailing.bounces).

``read_report`` reads what the report says happened: a machine-readable RFC 3464 report
(``multipart/report`` with a ``message/delivery-status`` part: ``Action`` and ``Status`` per
recipient), or, from the servers that send a plain-text bounce, the first enhanced status code
(``5.1.1``) in its text. Anything else that reaches a bounce address — a vacation notice sent to
the envelope sender, spam — says nothing about delivery and counts for nothing.
"""

from __future__ import annotations

import re
from email import message_from_bytes, policy
from email.message import Message
from typing import NamedTuple

from forum.control_chars import one_line

_STATUS = re.compile(r"\b([245])\.\d{1,3}\.\d{1,3}\b")
_FAILURES = ("failed", "delayed")
_TEXT_LIMIT = 20_000  # a plain-text bounce states its reason at the top


class Report(NamedTuple):
    permanent: bool  # a 5.x.x failure: the address does not take mail
    status: str  # the enhanced status code, e.g. "5.1.1"
    reason: str  # the receiving server's words, one line


def read_report(raw: bytes) -> Report | None:
    """The failure a bounce reports, or None when it reports none (or cannot be read)."""
    try:
        msg = message_from_bytes(raw, policy=policy.default)
        for part in msg.walk():
            if part.get_content_type() == "message/delivery-status":
                return _from_fields(part.get_payload())
        return _from_text(msg)
    except (LookupError, UnicodeError, ValueError, TypeError, AttributeError):
        return None  # malformed beyond reading: it reports nothing we can rely on


def _from_fields(blocks) -> Report | None:
    """The first failed recipient of a delivery-status part (its first block is the
    reporting server's, the others one per recipient)."""
    for block in blocks if isinstance(blocks, list) else []:
        if not isinstance(block, Message):
            continue
        action = str(block.get("Action") or "").strip().lower()
        if action not in _FAILURES:
            continue
        status = str(block.get("Status") or "").strip().split(" ")[0][:20]
        reason = one_line(str(block.get("Diagnostic-Code") or ""))
        reason = reason.split(";", 1)[-1].strip() if ";" in reason else reason
        permanent = action == "failed" and status.startswith("5")
        return Report(permanent, status, reason[:500] or action)
    return None


def _from_text(msg: Message) -> Report | None:
    part = msg.get_body(preferencelist=("plain",)) if hasattr(msg, "get_body") else None
    if part is None:
        return None
    text = str(part.get_content())[:_TEXT_LIMIT]
    for line in text.splitlines():
        match = _STATUS.search(line)
        if match:
            return Report(match[1] == "5", match[0], one_line(line).strip()[:500])
    return None
