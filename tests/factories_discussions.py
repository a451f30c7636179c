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


def bulk_replies(*, thread: Thread, author, count: int, top_level_every: int = 3,
                 under: Post | None = None) -> list[Post]:
    """Many published replies at once, the way a bulk seeder would: rows first, then paths from
    ``tree.placement``/``child_path``, then the counters in one UPDATE. Every
    ``top_level_every``-th reply answers the opening post and the rest answer the previous
    reply; with ``under``, every reply answers that post instead."""
    from sqlalchemy import update

    from forum.db import utcnow
    from forum.discussions.tree import child_path, placement

    root = root_post(thread)
    posts = [Post(thread_id=thread.id, author_id=author.id, source=f"Bulk reply {i}.",
                  html=f"<p>Bulk reply {i}.</p>", path=f"bulk-{thread.id}-{i}", depth=1,
                  created_at=utcnow()) for i in range(count)]
    db.session.add_all(posts)
    db.session.flush()
    parent = root
    for i, post in enumerate(posts):
        if under is not None:
            parent = under
        elif i % top_level_every == 0:
            parent = root
        where = placement(parent.id, parent.path, parent.depth, parent.parent_id)
        post.parent_id, post.depth, post.reply_to_id = (where.parent_id, where.depth,
                                                        where.reply_to_id)
        post.path = child_path(where.base_path, post.id)
        parent = post
    db.session.flush()
    db.session.execute(update(Thread).where(Thread.id == thread.id).values(
        post_count=Thread.post_count + count, last_post_id=posts[-1].id,
        last_post_at=posts[-1].created_at, last_poster_id=author.id))
    db.session.expire(thread)
    return posts
