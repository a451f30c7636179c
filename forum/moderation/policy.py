"""Posting policy: the contract between moderation and discussions.

Discussions asks, before it writes a new thread or reply:
- ``posting_refusal(user, group, source)`` → a message for the form when the post must be
  refused (rate limits, tighter for new accounts; too many links for a new account), else None;
- ``initial_status(user, group)`` → the PostStatus a new post starts in (PENDING when the group
  holds new members' first posts for approval, else PUBLISHED).
"""

from __future__ import annotations

from forum.discussions.models import PostStatus


def posting_refusal(user, group, source: str) -> str | None:
    return None


def initial_status(user, group) -> PostStatus:
    return PostStatus.PUBLISHED
