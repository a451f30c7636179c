"""Posting policy: the contract between moderation and discussions.

Discussions asks, before it writes a new thread or reply:
- ``posting_refusal(user, group, source)`` → a message for the form when the post must be
  refused (rate limits, tighter for new accounts; too many links for a new account), else None.
  Asked once per post, right before it is written: it counts the post against the member's
  hourly allowance (forum.ratelimit.claim) in the request's transaction, so the count stands
  if the post is committed and is taken back if the request rolls back. Counting first and
  deciding on the count that came back is what holds under parallel requests: reading how many
  posts there were and inserting after let every parallel post pass the same check;
- ``initial_status(user, group)`` → the PostStatus a new post starts in (PENDING when the group
  holds new members' first posts for approval, else PUBLISHED).
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import NamedTuple

from flask import current_app, g, has_request_context
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


def _exempt(user, group) -> bool:
    """Moderators of the group (and admins) are trusted; the request's perms are reused."""
    perms = g.get("perms")
    if perms is None or getattr(perms, "user_id", None) != user.id:
        return bool(getattr(user, "is_site_admin", False))
    return perms.can_moderate(group)


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


def _memo() -> dict:
    return g.setdefault("_posting_facts", {}) if has_request_context() else {}


def _facts(user, group) -> _Facts:
    """What the policy asks of the database, once per request: the view asks
    ``posting_refusal`` and then ``initial_status`` about the same post, and the facts ride in
    the statement that counts the post (one round trip fewer). Outside a request (a script, a
    test between writes) every call asks afresh."""
    memo, key = _memo(), (user.id, group.id)
    if key not in memo:
        row = db.session.execute(select(*_fact_columns(user, group))).one()
        memo[key] = _Facts(bool(row[0]), bool(row[1]))
    return memo[key]


def posting_refusal(user, group, source: str) -> str | None:
    if _exempt(user, group):
        return None
    cfg = current_app.config
    new = is_new_account(user)
    max_links = cfg["MODERATION_NEW_ACCOUNT_MAX_LINKS"] if new else cfg["MODERATION_MAX_LINKS"]
    links = count_links(source)
    if links > max_links:
        who = "new accounts may include" if new else "a post may include"
        return (f"Your post has {links} links; {who} {max_links} at most. "
                "Remove some and send it again.")
    limit = cfg["MODERATION_NEW_ACCOUNT_POSTS_PER_HOUR" if new else "MODERATION_POSTS_PER_HOUR"]
    # The member's posts this hour, whichever limit applies to them now.
    count = ratelimit.claim("post", str(user.id), ratelimit.parse_limit(limit),
                            with_columns=_fact_columns(user, group))
    _memo()[(user.id, group.id)] = _Facts(*(bool(v) for v in count.extras))
    if not count.allowed:
        return (f"You have posted {limit} times in the last hour, the most "
                f"{'a new account' if new else 'anyone'} may. Please wait a little and try again.")
    return None


def initial_status(user, group) -> PostStatus:
    """PENDING for a member with no published post in a group that holds first posts."""
    if _exempt(user, group):  # asked in memory: the request's permissions
        return PostStatus.PUBLISHED
    facts = _facts(user, group)
    if facts.holds_first_posts and not facts.has_published:
        return PostStatus.PENDING
    return PostStatus.PUBLISHED
