"""Turning one readable, person-written mail into a post — or into a refusal that says why.

The same steps as the web's reply and new-thread forms (forum/discussions/views_write.py),
with the signed address in place of the CSRF token and the session: the member is the one the
From address belongs to (and, for a reply, the one the reply address was made for); the rules
are ``Permissions``' (``can_reply``, ``can_start_thread``, ``can_see_post``); the posting
policy (rate limits, links, first posts held for a moderator) is ``PostingPolicy``'s; the post
is written by discussions' ``reply``/``start_thread``, which announce it to notifications.
Everything here runs in the caller's transaction and flushes; the caller commits or rolls back.
"""

from __future__ import annotations

import io
from typing import NamedTuple

from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from forum.discussions import services as discussions
from forum.discussions.models import Post, PostStatus
from forum.extensions import db
from forum.files import attachments
from forum.files.services import UploadError
from forum.groups.models import Group
from forum.inbound.models import InboundMessage
from forum.inbound.parsing import Incoming
from forum.notifications.addresses import ReplyToken
from forum.permissions import Permissions
from forum.permissions.posting import PostingPolicy
from forum.users.models import User
from forum.users.names import email_key


class Refusal(Exception):
    """Nothing is posted; ``reason`` is told to the sender."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Posted(NamedTuple):
    post_id: int | None  # None: this member's mail with this Message-ID was posted before
    held: bool = False  # waiting for a moderator's approval


class ReplyTarget(NamedTuple):
    token: ReplyToken | None  # None: a reply address whose signature does not match


class GroupTarget(NamedTuple):
    group: Group


def post_mail(mail: Incoming, target: ReplyTarget | GroupTarget) -> Posted:
    user = member_for(mail.sender)
    seen = db.session.scalar(select(InboundMessage.id).where(
        InboundMessage.user_id == user.id, InboundMessage.message_key == mail.message_key))
    if seen is not None:
        return Posted(None)
    perms = Permissions(user)
    if isinstance(target, ReplyTarget):
        parent = _answered(perms, user, target.token)
        group = parent.thread.group
    else:
        parent, group = None, target.group
        if not perms.can_view(group):  # a private group's name is not told to outsiders
            raise Refusal("There is no group at the address you wrote to that you can post "
                          "in.")
        if not perms.can_start_thread(group):
            raise Refusal(_why_not(perms, group, "start discussions in"))
    if not mail.text:
        raise Refusal("We found no text of yours in the mail once the quoted message and the "
                      "signature were taken off, so there was nothing to post.")
    policy = PostingPolicy(perms, group)
    refusal = policy.refusal(mail.text)
    if refusal:
        raise Refusal(refusal)
    status = policy.initial_status()
    try:
        if parent is not None:
            post = discussions.reply(parent.thread, parent, user, mail.text, status)
        else:
            if not mail.subject:
                raise Refusal("The subject of your mail becomes the discussion's title, and "
                              "it was empty. Send it again with a subject.")
            thread = discussions.start_thread(group, user, mail.subject, mail.text, status)
            post = db.session.scalar(select(Post).where(Post.thread_id == thread.id,
                                                        Post.depth == 0))
    except discussions.DiscussionError as exc:
        raise Refusal(str(exc)) from exc
    _attach(post, mail, user)
    db.session.add(InboundMessage(user_id=user.id, message_key=mail.message_key,
                                  post_id=post.id, trimmed=mail.trimmed))
    db.session.flush()  # a retry racing this one fails here, on the unique key
    return Posted(post.id, held=status == PostStatus.PENDING)


def _attach(post: Post, mail: Incoming, user: User) -> None:
    """File the mail's attachments in the group's library and link them from the post, with
    the web upload's checks (who may upload, how many, size, type, the hourly allowance). A
    refused file refuses the whole mail, as the web form does: nothing half-posted."""
    if not mail.attachments:
        return
    uploads = [FileStorage(stream=io.BytesIO(a.data), filename=a.filename)
               for a in mail.attachments]
    try:
        attachments.attach_uploads(post, uploads, user)
    except UploadError as exc:
        raise Refusal(f"An attachment was refused, so nothing was posted: {exc}") from exc


def member_for(address: str) -> User:
    """The member whose account has this From address, in good standing, or a Refusal."""
    user = db.session.scalar(select(User).where(User.email == email_key(address)))
    if user is None:
        raise Refusal(f"No member of the forum has the address {address}. Write from the "
                      "address your account uses (see your account settings on the site).")
    if not user.is_verified:
        raise Refusal("Your account's address is not confirmed yet. Follow the link in the "
                      "mail we sent when you registered, then write again.")
    if user.is_suspended:
        raise Refusal("Your account is suspended, so it cannot post. Sign in on the site to "
                      "see until when and whom to write to.")
    return user


def _answered(perms: Permissions, user: User, token: ReplyToken | None) -> Post:
    """The post a reply answers, if this member may answer it now."""
    if token is None:
        raise Refusal("The address you wrote to is not a valid reply address (it may have "
                      "been changed). Reply to the mail itself, or answer on the site.")
    if token.user_id != user.id:
        raise Refusal("You answered a mail that was sent to another member: its reply address "
                      "works only for them. Reply to your own copy, or answer on the site.")
    post = db.session.get(Post, token.post_id)
    if post is None or post.status in (PostStatus.DELETED, PostStatus.HIDDEN):
        raise Refusal("The post you answered has been removed, so your reply was not posted.")
    thread = post.thread
    if perms.can_see_post(post) and perms.can_reply(thread):
        return post
    if thread.locked and perms.can_read_thread(thread):
        raise Refusal(f"The discussion “{thread.title}” is locked: no new replies can be "
                      "posted.")
    raise Refusal(_why_not(perms, thread.group, "reply in"))


def _why_not(perms: Permissions, group: Group, action: str) -> str:
    """The reason a refusal gives; the rule itself was asked of ``perms``."""
    if perms.is_banned(group):
        return f"You were banned from {group.name}, so you cannot {action} it."
    if group.is_archived:
        return f"{group.name} is archived: nothing new can be posted there."
    if not perms.is_group_member(group):
        return (f"Only members of {group.name} can {action} it. Join the group on the site, "
                "then write again.")
    return f"You cannot {action} {group.name}."
