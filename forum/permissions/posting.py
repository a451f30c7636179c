"""The posting policy: may this member post here now, and does the post wait for a moderator?

Discussions asks it right before it writes a new thread or reply, through one
``PostingPolicy(perms, group)`` per post:
- ``refusal(source)`` → a message for the form when the post must be refused (rate limits,
  tighter for new accounts; too many links for a new account), else None. It counts the post
  against the member's hourly allowance (forum.ratelimit.claim) in the request's transaction,
  so the count stands if the post is committed and is taken back if the request rolls back.
  Counting first and deciding on the count that came back is what holds under parallel
  requests: reading how many posts there were and inserting after let every parallel post
  pass the same check;
- ``initial_status()`` → the PostStatus a new post starts in (PENDING when the group holds new
  members' first posts for approval and the member has none published there, else PUBLISHED).

Moderators of the group (and site admins) are exempt. What the policy asks of the database
rides in the statement that counts the post and is kept on the object for ``initial_status``.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import NamedTuple

from flask import current_app
from sqlalchemy import case, exists, func, select

from forum import ratelimit
from forum.db import utcnow
from forum.discussions.models import Post, PostStatus, Thread
from forum.extensions import db
from forum.moderation.models import GroupModerationSettings

# Autolinks, Markdown links and bare addresses all contain one of these.
_LINK = re.compile(r"(?:https?://|ftp://|www\.)", re.IGNORECASE)


def count_links(source: str) -> int:
    return len(_LINK.findall(source or ""))


def is_new_account(user) -> bool:
    days = current_app.config["MODERATION_NEW_ACCOUNT_DAYS"]
    return user.created_at is not None and user.created_at > utcnow() - timedelta(days=days)


class _Facts(NamedTuple):
    holds_first_posts: bool  # the group holds new members' first posts for approval
    has_published: bool  # this member has a published post in the group (asked if it holds)


def _fact_columns(user, group) -> tuple:
    holds = func.coalesce(select(GroupModerationSettings.hold_first_posts)
                          .where(GroupModerationSettings.group_id == group.id)
                          .scalar_subquery(), False)
    published = exists().where(Post.author_id == user.id, Thread.id == Post.thread_id,
                               Thread.group_id == group.id, Post.status == PostStatus.PUBLISHED)
    return holds, case((holds, published), else_=False)


class PostingPolicy:
    """The policy for one new post by ``perms.user`` in ``group``."""

    def __init__(self, perms, group) -> None:
        self.perms = perms
        self.user = perms.user
        self.group = group
        self._facts: _Facts | None = None

    @property
    def exempt(self) -> bool:
        """Moderators of the group (and admins) are trusted."""
        return self.perms.can_moderate(self.group)

    def refusal(self, source: str) -> str | None:
        if self.exempt:
            return None
        cfg, user = current_app.config, self.user
        new = is_new_account(user)
        max_links = cfg["MODERATION_NEW_ACCOUNT_MAX_LINKS" if new else "MODERATION_MAX_LINKS"]
        links = count_links(source)
        if links > max_links:
            who = "new accounts may include" if new else "a post may include"
            return (f"Your post has {links} links; {who} {max_links} at most. "
                    "Remove some and send it again.")
        limit = cfg["MODERATION_NEW_ACCOUNT_POSTS_PER_HOUR" if new else "MODERATION_POSTS_PER_HOUR"]
        # The member's posts this hour, whichever limit applies to them now.
        count = ratelimit.claim("post", str(user.id), ratelimit.parse_limit(limit),
                                with_columns=_fact_columns(user, self.group))
        self._facts = _Facts(*(bool(v) for v in count.extras))
        if not count.allowed:
            return (f"You have posted {limit} times in the last hour, the most "
                    f"{'a new account' if new else 'anyone'} may. "
                    "Please wait a little and try again.")
        return None

    def initial_status(self) -> PostStatus:
        """PENDING for a member with no published post in a group that holds first posts."""
        if self.exempt:
            return PostStatus.PUBLISHED
        if self._facts is None:  # not asked with the count (refusal was not asked first)
            row = db.session.execute(select(*_fact_columns(self.user, self.group))).one()
            self._facts = _Facts(bool(row[0]), bool(row[1]))
        if self._facts.holds_first_posts and not self._facts.has_published:
            return PostStatus.PENDING
        return PostStatus.PUBLISHED
