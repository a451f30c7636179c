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

from flask import current_app, g
from sqlalchemy import func, select

from forum.db import utcnow
from forum.discussions.models import Post, PostStatus, Thread
from forum.extensions import db
from forum.moderation.settings import holds_first_posts

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
    recent = db.session.scalar(select(func.count(Post.id)).where(
        Post.author_id == user.id, Post.created_at >= utcnow() - timedelta(hours=1)))
    if recent >= limit:
        return (f"You have posted {recent} times in the last hour, the most "
                f"{'a new account' if new else 'anyone'} may. Please wait a little and try again.")
    return None


def initial_status(user, group) -> PostStatus:
    """PENDING for a member with no published post in a group that holds first posts."""
    if not holds_first_posts(group.id) or _exempt(user, group):
        return PostStatus.PUBLISHED
    published = db.session.scalar(
        select(Post.id).join(Thread, Thread.id == Post.thread_id).where(
            Thread.group_id == group.id, Post.author_id == user.id,
            Post.status == PostStatus.PUBLISHED).limit(1))
    return PostStatus.PUBLISHED if published is not None else PostStatus.PENDING
