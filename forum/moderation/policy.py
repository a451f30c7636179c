"""Posting policy: the contract between moderation and discussions.

Discussions asks, before it writes a new thread or reply:
- ``posting_refusal(user, group, source)`` → a message for the form when the post must be
  refused (rate limits, tighter for new accounts; too many links for a new account), else None;
- ``initial_status(user, group)`` → the PostStatus a new post starts in (PENDING when the group
  holds new members' first posts for approval, else PUBLISHED).
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import NamedTuple

from flask import current_app, g, has_request_context
from sqlalchemy import case, exists, func, select

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
    recent_posts: int  # by this member, anywhere, in the last hour
    holds_first_posts: bool  # the group holds new members' first posts for approval
    has_published: bool  # this member has a published post in the group (asked if it holds)


def _facts(user, group) -> _Facts:
    """What the policy asks of the database, in one statement, once per request: the view
    asks ``posting_refusal`` and then ``initial_status`` about the same post. Outside a
    request (a script, a test between writes) every call asks afresh."""
    memo = g.setdefault("_posting_facts", {}) if has_request_context() else {}
    key = (user.id, group.id)
    if key not in memo:
        since = utcnow() - timedelta(hours=1)
        recent = (select(func.count())
                  .where(Post.author_id == user.id, Post.created_at >= since).scalar_subquery())
        holds = func.coalesce(select(GroupModerationSettings.hold_first_posts)
                              .where(GroupModerationSettings.group_id == group.id)
                              .scalar_subquery(), False)
        published = exists().where(Post.author_id == user.id, Thread.id == Post.thread_id,
                                   Thread.group_id == group.id,
                                   Post.status == PostStatus.PUBLISHED)
        row = db.session.execute(
            select(recent, holds, case((holds, published), else_=False))).one()
        memo[key] = _Facts(row[0], bool(row[1]), bool(row[2]))
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
    recent = _facts(user, group).recent_posts
    if recent >= limit:
        return (f"You have posted {recent} times in the last hour, the most "
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
