"""Threads, posts and flags made straight from the models (no dependency on discussions'
services): keyword-only, added and flushed; paths set from ids as the tree requires."""

from __future__ import annotations

import itertools
from datetime import timedelta

from forum.db import utcnow
from forum.discussions.models import Post, PostStatus, Thread, path_segment
from forum.extensions import db
from forum.markup import render
from forum.moderation.models import Flag, FlagReason

_seq = itertools.count(1)
_clock = itertools.count(1)


def make_thread(*, group, author, title: str | None = None, body: str = "Opening post.",
                status: PostStatus = PostStatus.PUBLISHED):
    thread = Thread(group_id=group.id, title=title or f"Thread {next(_seq)}",
                    author_id=author.id if author else None)
    db.session.add(thread)
    db.session.flush()
    root = make_post(thread=thread, author=author, body=body, status=status)
    return thread, root


def make_post(*, thread, author, parent=None, body: str | None = None,
              status: PostStatus = PostStatus.PUBLISHED, created_at=None):
    body = body or f"Reply number {next(_seq)}."
    # Strictly increasing times, so "latest" is well defined within a test.
    when = created_at or utcnow() - timedelta(hours=1) + timedelta(seconds=next(_clock))
    post = Post(thread_id=thread.id, parent_id=parent.id if parent else None,
                author_id=author.id if author else None, source=body, html=render(body),
                status=status, path="", depth=(parent.depth + 1) if parent else 0,
                created_at=when)
    db.session.add(post)
    db.session.flush()
    post.path = (parent.path if parent else "") + path_segment(post.id)
    if status == PostStatus.PUBLISHED:
        thread.post_count += 1
        thread.last_post_id, thread.last_post_at = post.id, when
        thread.last_poster_id = post.author_id
    db.session.flush()
    return post


def make_flag(*, post, reporter, reason: FlagReason = FlagReason.SPAM, note: str = ""):
    flag = Flag(post_id=post.id, group_id=post.thread.group_id, reporter_id=reporter.id,
                reason=reason, note=note)
    db.session.add(flag)
    db.session.flush()
    return flag


def mpost(client, url: str, data: dict | None = None, **kwargs):
    """POST with the session's CSRF token, taken from a page that does not depend on other
    features' templates (an error page still carries the token in base.html)."""
    from tests.helpers import post

    return post(client, url, data, token_from="/moderation/no-such-page", **kwargs)
