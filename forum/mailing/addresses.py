"""The site's two mail domains: the sender's, and the one mail to us arrives on.

``sender_domain``: the domain of ``MAIL_DEFAULT_SENDER`` (Message-IDs are made on it).
``mail_domain``: where members' replies, group addresses and delivery reports arrive —
``MAIL_REPLY_DOMAIN``, else the sender's domain (docs/email.md: route it to ``flask mail lmtp``).
"""

from __future__ import annotations

from email.utils import parseaddr

from flask import current_app


def sender_domain() -> str:
    return parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])[1].rsplit("@", 1)[-1]


def mail_domain() -> str:
    return (current_app.config.get("MAIL_REPLY_DOMAIN") or sender_domain()).lower()
