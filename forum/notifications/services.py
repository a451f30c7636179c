"""Notifications: who hears about a post, in the app and by e-mail.

The contract with discussions: call ``post_published(post)`` in the same transaction as the
write that made a post visible (a new thread, a reply, a moderator's approval). It records the
in-app notifications and queues the outbox rows; it flushes and never commits.
"""

from __future__ import annotations


def post_published(post) -> None:
    """Notify the people who should hear about ``post`` (replies, mentions, watchers)."""
