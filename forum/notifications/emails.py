"""The e-mail side of notifications: per-post mails, their list headers and unsubscribe tokens.

Headers are designed so that replying by e-mail can come later without changing old mail:

- ``Message-ID`` of a post's mail to a member is ``<p{post}.u{user}.{sig}@domain>``: unique per
  recipient (the outbox requires it), deterministic (so replies thread), and signed (``sig`` is an
  HMAC of post and user), so a future mail-in handler can trust ``In-Reply-To`` to name the post
  answered and the member it was sent to.
- ``In-Reply-To`` names the parent post's mail to the same member and ``References`` starts at
  the thread's opening post (the first segment of ``Post.path``): clients thread by thread.
- ``From`` is the site's own address with the author's name as display name
  ("Lena Ortiz via Forum"): never the author's address (DMARC).
- ``Reply-To`` and ``List-Post`` are the post's signed reply address for this recipient
  (``addresses.reply_address``): answering the mail, with "Reply" or "Reply to list", posts a
  reply to this post in the group, as this member (forum.inbound; docs/email.md). There is no
  private reply to the author by mail (yet): the mail says so above the post.
- ``List-Id`` per group, ``List-Unsubscribe`` with a signed URL and ``List-Unsubscribe-Post``
  (RFC 8058 one-click), ``Precedence: list`` and ``Auto-Submitted`` (no auto-replies).
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import date
from email.headerregistry import Address
from typing import NamedTuple

from flask import current_app, has_request_context, url_for
from itsdangerous import BadSignature, URLSafeSerializer

from forum.control_chars import one_line
from forum.db import utcnow
from forum.discussions.models import PATH_SEGMENT
from forum.mail import render_mail, sender, sender_domain
from forum.markup import with_absolute_links
from forum.notifications.addresses import private_address, reply_address

UNSUBSCRIBE_SALT = "notifications.unsubscribe"
MUTE_SALT = "notifications.mute"  # its own salt: a mute token is never an unsubscribe token
MUTE_LINK_DAYS = 120  # a digest's mute link works this long; then the thread's page does it


# --- unsubscribe and mute tokens ----------------------------------------------------------------

def _serializer(salt: str = UNSUBSCRIBE_SALT) -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=salt)


def unsubscribe_token(user_id: int, *, group_id: int | None = None,
                      period: str | None = None) -> str:
    """A token that turns off one group's mail (or one digest period) for one member.

    It does not expire: an unsubscribe link in an old mail must still work (RFC 8058).
    """
    payload = {"u": user_id}
    if group_id is not None:
        payload["g"] = group_id
    if period is not None:
        payload["p"] = period
    return _serializer().dumps(payload)


def read_unsubscribe_token(token: str) -> dict | None:
    try:
        data = _serializer().loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    if not isinstance(data.get("g"), int) and data.get("p") not in ("daily", "weekly"):
        return None
    return data


def mute_token(user_id: int, thread_id: int, *, issued: date | None = None) -> str:
    """A token that mutes one thread for one member (a digest's "Mute this discussion").

    The same signed payload as an unsubscribe token, under its own salt, with the day it was
    issued: unlike unsubscribing (RFC 8058), muting from a months-old mail is more likely a
    mistake than a wish, so it expires after ``MUTE_LINK_DAYS``.
    """
    return _serializer(MUTE_SALT).dumps(
        {"u": user_id, "t": thread_id, "d": (issued or utcnow().date()).toordinal()})


class MuteToken(NamedTuple):
    user_id: int
    thread_id: int
    expired: bool


def read_mute_token(token: str, *, today: date | None = None) -> MuteToken | None:
    """The member and thread a mute token names (and whether it is too old), or None if it is
    not one of ours."""
    try:
        data = _serializer(MUTE_SALT).loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not all(isinstance(data.get(k), int) for k in "utd"):
        return None
    age = (today or utcnow().date()).toordinal() - data["d"]
    return MuteToken(data["u"], data["t"], expired=age > MUTE_LINK_DAYS)


def path_for(endpoint: str, **values) -> str:
    """``url_for``'s path, also outside a request (the digest command, workers, tests)."""
    if has_request_context():
        return url_for(endpoint, **values)
    return current_app.url_map.bind("localhost").build(endpoint, values)


def absolute(endpoint: str, **values) -> str:
    return current_app.config["SITE_URL"].rstrip("/") + path_for(endpoint, **values)


def post_path(post_id: int) -> str:
    """``/p/<id>``, the permalink (built by discussions; the URL is fixed by the brief)."""
    if "discussions.permalink" in current_app.view_functions:
        return path_for("discussions.permalink", post_id=post_id)
    return f"/p/{post_id}"


def post_url(post_id: int) -> str:
    return current_app.config["SITE_URL"].rstrip("/") + post_path(post_id)


# --- message ids ------------------------------------------------------------------------------

def _sig(text: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()[:12]


def post_message_id(post_id: int, user_id: int, domain: str | None = None) -> str:
    ident = f"p{post_id}.u{user_id}"
    return f"<{ident}.{_sig(ident)}@{domain or sender_domain()}>"


def root_post_id(post) -> int:
    return int(post.path[:PATH_SEGMENT]) if post.path else post.id


# --- per-post mail ----------------------------------------------------------------------------

def list_headers(group, unsubscribe_url: str) -> dict:
    domain = sender_domain()
    return {
        "List-Id": f"{group.name} <{group.slug}.{domain}>",
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Archive": f"<{absolute('groups.show', slug=group.slug)}>"
        if "groups.show" in current_app.view_functions else None,
        "Precedence": "list",
        "Auto-Submitted": "auto-generated",
    }


def from_header(author_name: str | None) -> dict:
    """The stored From: the site's address, named after the author (``forum.mail.sender``)."""
    site = current_app.config["SITE_NAME"]
    default = sender()
    display = f"{author_name} via {site}" if author_name else (default["display_name"] or site)
    return sender(display[:120])


def post_mail(post, thread, group, author, recipient) -> dict:
    """One outbox row (a dict for ``forum.mail.queue_bulk``) telling ``recipient`` of ``post``."""
    domain = sender_domain()
    unsubscribe_url = absolute("notifications.unsubscribe",
                               token=unsubscribe_token(recipient.id, group_id=group.id))
    headers = {k: v for k, v in list_headers(group, unsubscribe_url).items() if v}
    headers["From"] = from_header(author.display_name if author else None)
    answer_to = reply_address(post.id, recipient.id)
    # An Address renders the group's name quoted as needed ("A, B" is one name, not two); a
    # line break still in a stored name (saved before forms refused them) becomes a space.
    to_group = str(Address(display_name=one_line(group.name)[:120], addr_spec=answer_to))
    headers["List-Post"] = f"<mailto:{answer_to}>"
    if author is not None and author.id != recipient.id:
        # "Reply" reaches the author alone, through a relay address (neither learns the
        # other's address); "Reply all" and "Reply to list" reach the group too (Cc and
        # List-Post), where the copy to the group is what is kept (forum.inbound.private).
        headers["Reply-To"] = str(Address(
            display_name=one_line(f"{author.display_name} (privately)")[:120],
            addr_spec=private_address(post.id, author.id, recipient.id)))
        headers["Cc"] = to_group
    else:  # no author to answer privately: every reply goes to the group
        headers["Reply-To"] = to_group
    root = root_post_id(post)
    answered = post.reply_to_id or post.parent_id
    if root != post.id:
        refs = [post_message_id(root, recipient.id, domain)]
        if answered and answered != root:
            refs.append(post_message_id(answered, recipient.id, domain))
        headers["In-Reply-To"] = post_message_id(answered or root, recipient.id, domain)
        headers["References"] = " ".join(refs)
    text, html = render_mail(
        "notify_post", post=post, thread=thread, group=group, author=author,
        recipient=recipient, post_url=post_url(post.id),
        post_html=with_absolute_links(post.html, current_app.config["SITE_URL"]),
        unsubscribe_url=unsubscribe_url, settings_url=absolute("notifications.settings"),
    )
    prefix = "" if root == post.id else "Re: "
    return {
        "to_address": recipient.email, "subject": f"{prefix}[{group.name}] {thread.title}",
        "body_text": text, "body_html": html, "headers": headers,
        "message_id": post_message_id(post.id, recipient.id, domain), "post_id": post.id,
    }
