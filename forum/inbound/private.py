"""A private answer by mail: "Reply" to a post's mail reaches its author alone.

A per-post mail's ``Reply-To`` is ``private+<post>.<author>.<recipient>.<sig>@<domain>``
(forum.notifications.addresses), and its ``Cc`` and ``List-Post`` the group's reply address. So a
member's mail program decides: "Reply" writes to the author privately, "Reply all" or "Reply to
list" to the group. A private answer is relayed, never posted and never kept: the author gets
it from the site's address, named after the member, with a private address of the member's as
its ``Reply-To``, so the two can go on writing without either learning the other's address.

The checks are those of a reply: the From address is the member the address was made for, in
good standing; they may still see the post; and there is text once quotes and signature are
trimmed. A "Reply all" that also went to the group is posted there and not relayed as well
(the author would read it twice). The same Message-ID is relayed once (``inbound_messages``),
and a member may send ``MAIL_PRIVATE_ANSWERS_PER_HOUR`` an hour: a relay must not become a
way to flood another member's mailbox.
"""

from __future__ import annotations

from email.headerregistry import Address
from email.utils import getaddresses
from typing import NamedTuple

from flask import current_app
from sqlalchemy import select

from forum import ratelimit
from forum.control_chars import one_line
from forum.discussions.models import Post
from forum.extensions import db
from forum.inbound.models import InboundMessage
from forum.inbound.parsing import Incoming
from forum.inbound.posting import Refusal, member_for
from forum.mail import queue_template
from forum.notifications.addresses import (
    PrivateToken,
    is_reply_local_part,
    mail_domain,
    private_address,
)
from forum.notifications.emails import from_header, post_url
from forum.permissions import Permissions
from forum.users.models import User


class PrivateTarget(NamedTuple):
    token: PrivateToken | None  # None: a private address whose signature does not match


class Relayed(NamedTuple):
    relayed: bool  # False: nothing passed on (sent to the group too, or relayed before)
    detail: str


def relay_private(mail: Incoming, target: PrivateTarget) -> Relayed:
    """Pass a member's private answer on to the member it is for (in the caller's
    transaction), or raise ``Refusal`` saying why not."""
    user = member_for(mail.sender)
    token = target.token
    if token is None:
        raise Refusal("The address you wrote to is not a valid private reply address (it may "
                      "have been changed). Reply to the mail itself, or write on the site.")
    if token.from_user_id != user.id:
        raise Refusal("You answered a mail that was sent to another member: its private "
                      "reply address is theirs. Reply to your own copy of the mail.")
    if _also_to_group(mail):
        return Relayed(False, "sent to the group as well: posted there, not relayed")
    if db.session.scalar(select(InboundMessage.id).where(
            InboundMessage.user_id == user.id, InboundMessage.message_key == mail.message_key)):
        return Relayed(False, "relayed before")
    post = db.session.get(Post, token.post_id)
    if post is None or not Permissions(user).can_see_post(post):
        raise Refusal("The post you answered is no longer there for you, so your private "
                      "answer was not passed on.")
    recipient = db.session.get(User, token.to_user_id)
    if recipient is None or not recipient.is_verified:
        raise Refusal("The member you answered no longer has an account here.")
    if not mail.text:
        raise Refusal("We found no text of yours in the mail once the quoted message and the "
                      "signature were taken off, so there was nothing to pass on.")
    limit = ratelimit.parse_limit(current_app.config["MAIL_PRIVATE_ANSWERS_PER_HOUR"])
    if not ratelimit.claim("private-answer", str(user.id), limit).allowed:
        raise Refusal(f"You have sent {limit.amount} private answers by mail in the last hour, "
                      "the most we pass on. Please wait a while, or write on the site.")
    # No text is kept: the row only makes a second delivery of this message relay nothing.
    db.session.add(InboundMessage(user_id=user.id, message_key=mail.message_key))
    _queue(mail, user, recipient, post)
    db.session.flush()
    return Relayed(True, f"to member {recipient.id}")


def _also_to_group(mail: Incoming) -> bool:
    """Whether the same message was addressed to a reply address of ours ("Reply all")."""
    fields = [str(v) for name in ("To", "Cc") for v in mail.message.get_all(name) or []]
    for _name, address in getaddresses(fields):
        local, _, domain = address.rpartition("@")
        if domain.lower() == mail_domain() and is_reply_local_part(local):
            return True
    return False


def _queue(mail: Incoming, sender: User, recipient: User, post: Post) -> None:
    thread = post.thread
    back = private_address(post.id, sender.id, recipient.id)  # the answer to this answer
    headers = {
        "From": from_header(sender.display_name),
        "Reply-To": str(Address(display_name=one_line(f"{sender.display_name} (privately)")
                                [:120], addr_spec=back)),
    }
    if mail.message_key.startswith("<"):
        headers.update({"In-Reply-To": mail.message_key, "References": mail.message_key})
    subject = mail.subject or f"Re: {thread.title}"
    queue_template(recipient.email, f"{subject} (private)"[:200], "private_answer",
                   headers=headers, reader=recipient, sender_name=sender.display_name,
                   group=thread.group.name, title=thread.title, text=mail.text,
                   post_url=post_url(post.id), site=current_app.config["SITE_NAME"])
