"""The addresses members write to: a post's signed reply address and a group's address.

Built here, beside the per-post mail that carries them (``emails.post_mail``), and read back by
``forum.inbound`` when mail arrives. Both live on the mail domain: ``MAIL_REPLY_DOMAIN``, by
default the domain of ``MAIL_DEFAULT_SENDER``.

A reply address is ``reply+<post>.<member>.<sig>@<domain>``: the post answered, the member the
mail was sent to, and an HMAC of both with the secret key (truncated to 64 bits, hex, so a mail
system that lower-cases local parts cannot break it). Changing either number breaks the
signature, so a reply address cannot be turned into another post's or another member's. The
local part stays under RFC 5321's 64 characters (at most 6 + 10 + 1 + 10 + 1 + 16 = 44).
It does not expire: a member may answer an old mail, and whether they may still post there is
asked when the answer arrives.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from typing import NamedTuple

from flask import current_app

from forum.mailing.addresses import mail_domain

_PURPOSE = b"inbound.reply-address"
_TOKEN = re.compile(r"(\d{1,10})\.(\d{1,10})\.([0-9a-f]{16})")


class ReplyToken(NamedTuple):
    post_id: int
    user_id: int


def reply_prefix() -> str:
    return current_app.config.get("MAIL_REPLY_LOCAL_PART") or "reply"


def _sig(post_id: int, user_id: int) -> str:
    key = hmac.new(current_app.config["SECRET_KEY"].encode(), _PURPOSE, hashlib.sha256).digest()
    return hmac.new(key, f"{post_id}.{user_id}".encode(), hashlib.sha256).hexdigest()[:16]


def reply_address(post_id: int, user_id: int) -> str:
    """The address whose mail becomes a reply to ``post_id`` by ``user_id``."""
    return f"{reply_prefix()}+{post_id}.{user_id}.{_sig(post_id, user_id)}@{mail_domain()}"


def group_address(slug: str) -> str:
    """The address whose mail starts a thread in the group."""
    return f"{slug}@{mail_domain()}"


def read_reply_token(local_part: str) -> ReplyToken | None:
    """The post and member a reply address's local part names, or None if it is not one of
    ours (no prefix, bad shape, or a signature that does not match)."""
    prefix, plus, token = local_part.lower().partition("+")
    if not plus or prefix != reply_prefix().lower():
        return None
    match = _TOKEN.fullmatch(token)
    if match is None:
        return None
    post_id, user_id = int(match[1]), int(match[2])
    if not hmac.compare_digest(match[3], _sig(post_id, user_id)):
        return None
    return ReplyToken(post_id, user_id)


# --- private answers: ``private+<post>.<to>.<from>.<sig>`` ---------------------------------

PRIVATE_PREFIX = "private"
_PRIVATE_PURPOSE = b"inbound.private-address"
_PRIVATE = re.compile(r"(\d{1,10})\.(\d{1,10})\.(\d{1,10})\.([0-9a-f]{16})")


class PrivateToken(NamedTuple):
    post_id: int  # the post the conversation is about
    to_user_id: int  # who the answer goes to
    from_user_id: int  # the only member who may write to this address


def _private_sig(post_id: int, to_user_id: int, from_user_id: int) -> str:
    key = hmac.new(current_app.config["SECRET_KEY"].encode(), _PRIVATE_PURPOSE,
                   hashlib.sha256).digest()
    return hmac.new(key, f"{post_id}.{to_user_id}.{from_user_id}".encode(),
                    hashlib.sha256).hexdigest()[:16]


def private_address(post_id: int, to_user_id: int, from_user_id: int) -> str:
    """The address whose mail from ``from_user_id`` reaches ``to_user_id`` alone, about
    ``post_id`` — neither learns the other's address (at most 7 + 32 + 16 = 55 characters)."""
    sig = _private_sig(post_id, to_user_id, from_user_id)
    return f"{PRIVATE_PREFIX}+{post_id}.{to_user_id}.{from_user_id}.{sig}@{mail_domain()}"


def read_private_token(local_part: str) -> PrivateToken | None:
    prefix, plus, token = local_part.lower().partition("+")
    match = _PRIVATE.fullmatch(token) if plus and prefix == PRIVATE_PREFIX else None
    if match is None:
        return None
    ids = int(match[1]), int(match[2]), int(match[3])
    if not hmac.compare_digest(match[4], _private_sig(*ids)):
        return None
    return PrivateToken(*ids)


def is_private_local_part(local_part: str) -> bool:
    return local_part.lower().startswith(PRIVATE_PREFIX + "+")


def redact_reply_addresses(text: str) -> str:
    """``text`` with every reply (and private) address of ours replaced. A mail program quotes
    the address it answered ("On Monday, Lena via Forum <reply+…> wrote:"); posted or shown on
    the web, that address would let anyone who can forge the member's From address post (or
    write privately) as them."""
    prefixes = "|".join(re.escape(p) for p in (reply_prefix(), PRIVATE_PREFIX))
    pattern = re.compile(rf"(?:{prefixes})\+[0-9.]+\.[0-9a-f]{{16}}@"
                         rf"{re.escape(mail_domain())}", re.IGNORECASE)
    return pattern.sub("[reply address]", text)


def is_reply_local_part(local_part: str) -> bool:
    """Whether the address is meant as a reply address (valid or not)."""
    return local_part.lower().startswith(reply_prefix().lower() + "+")
