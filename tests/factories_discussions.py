"""Factories for discussions: keyword-only, built through the services (paths and counters
come out exactly as the app makes them)."""

from __future__ import annotations

import itertools

from forum.discussions import services
from forum.discussions.models import Post, PostStatus, Thread
from forum.extensions import db

_seq = itertools.count(1)


def make_thread(*, group, author, title: str | None = None, body: str = "Opening post.",
                status: PostStatus = PostStatus.PUBLISHED) -> Thread:
    thread = services.start_thread(group, author, title or f"Discussion {next(_seq)}", body,
                                   status)
    db.session.flush()
    return thread


def root_post(thread: Thread) -> Post:
    return db.session.query(Post).filter_by(thread_id=thread.id, depth=0).one()


def make_reply(*, thread: Thread, author, parent: Post | None = None, body: str | None = None,
               status: PostStatus = PostStatus.PUBLISHED) -> Post:
    parent = parent or root_post(thread)
    return services.reply(thread, parent, author, body or f"Reply {next(_seq)}.", status)
