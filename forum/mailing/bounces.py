"""Mail that could not be delivered: whose it was, and when to stop sending group mail.

Each outgoing mail carries its own envelope sender (``envelope_sender``): ``bounce+<delivery
id>.<signature>@<mail domain>``. A receiving server that cannot deliver it later sends its
delivery status notification there, so the report names the very mail — and its recipient —
however the report itself is worded; ``forum.inbound`` reads it and calls ``record_bounce``. A
refusal our own relay gives at once (550 for a recipient) is recorded by the outbox worker.

Permanent failures (5.x.x) count; temporary ones (4.x.x, "delayed") are kept for the record
only. ``MAIL_BOUNCE_THRESHOLD`` permanent ones for an address within ``MAIL_BOUNCE_WINDOW_DAYS``
pause the group mail of the member with that address (per-post mail and digests; mail they ask
for, such as a password reset, still goes). The member sees why on every page and resumes
from the notification settings (``resume_mail``); a new address resumes it too. Their group's
leaders see the pause in the member list.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select, update

from forum.control_chars import one_line
from forum.db import utcnow
from forum.extensions import db
from forum.mailing.addresses import mail_domain
from forum.mailing.models import MailBounce
from forum.users.models import User

log = logging.getLogger("forum.mail")

_PURPOSE = b"mail.bounce-address"
_TOKEN = re.compile(r"(\d{1,12})\.([0-9a-f]{16})")


def _prefix() -> str:
    return current_app.config.get("MAIL_BOUNCE_LOCAL_PART") or "bounce"


def _sig(delivery_id: int) -> str:
    key = hmac.new(current_app.config["SECRET_KEY"].encode(), _PURPOSE, hashlib.sha256).digest()
    return hmac.new(key, str(delivery_id).encode(), hashlib.sha256).hexdigest()[:16]


def envelope_sender(delivery_id: int) -> str | None:
    """The envelope sender (SMTP MAIL FROM) for a delivery, or None to leave the relay's."""
    if not current_app.config.get("MAIL_BOUNCE_TRACKING", True):
        return None
    return f"{_prefix()}+{delivery_id}.{_sig(delivery_id)}@{mail_domain()}"


def is_bounce_local_part(local_part: str) -> bool:
    return local_part.lower().startswith(_prefix().lower() + "+")


def read_bounce_local_part(local_part: str) -> int | None:
    """The delivery a bounce address names, or None for a malformed or forged one."""
    prefix, plus, token = local_part.lower().partition("+")
    match = _TOKEN.fullmatch(token) if plus and prefix == _prefix().lower() else None
    if match is None or not hmac.compare_digest(match[2], _sig(int(match[1]))):
        return None
    return int(match[1])


def record_bounce(address: str, *, permanent: bool, status: str = "", reason: str = "",
                  delivery_id: int | None = None) -> User | None:
    """Note a failed delivery to ``address`` in the caller's transaction; pause the group mail
    of the member with that address once enough permanent failures have come in. Returns the
    member whose mail this paused, if it did."""
    address = (address or "").strip().lower()[:254]
    if delivery_id is not None and db.session.scalar(select(MailBounce.id).where(
            MailBounce.delivery_id == delivery_id, MailBounce.permanent == permanent)):
        return None  # the same report again (the MTA retried it): counted once
    user = db.session.scalar(select(User).where(func.lower(User.email) == address)) \
        if address else None
    reason = one_line(reason)[:500]
    db.session.add(MailBounce(address=address, user_id=user.id if user else None,
                              delivery_id=delivery_id, permanent=permanent,
                              status=one_line(status)[:20], reason=reason))
    log.warning("mail to %s bounced (%s %s): %s", address,
                "permanent" if permanent else "temporary", status, reason)
    if not permanent or user is None or user.mail_paused:
        return None
    db.session.flush()
    config = current_app.config
    since = utcnow() - timedelta(days=config["MAIL_BOUNCE_WINDOW_DAYS"])
    count = db.session.scalar(select(func.count(MailBounce.id)).where(
        MailBounce.address == address, MailBounce.permanent, ~MailBounce.cleared,
        MailBounce.created_at >= since))
    if count < config["MAIL_BOUNCE_THRESHOLD"]:
        return None
    user.mail_paused_at = utcnow()
    user.mail_paused_reason = (f"{status} {reason}".strip() or "the mail was refused")[:300]
    log.warning("group mail to %s (member %s) paused after %s bounces", address, user.id, count)
    return user


def resume_mail(user: User) -> None:
    """Send group mail to the member again (the caller commits); the bounces so far no longer
    count towards the next pause."""
    user.mail_paused_at = None
    user.mail_paused_reason = ""
    db.session.execute(update(MailBounce).where(MailBounce.user_id == user.id)
                       .values(cleared=True).execution_options(synchronize_session=False))
