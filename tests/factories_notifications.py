"""Threads and posts made directly with the models (not the discussions services), for the
notification tests. Keyword-only, added and flushed, paths built as forum/discussions/models.py
describes."""

from __future__ import annotations

from forum.db import utcnow
from forum.discussions.models import Post, PostStatus, Thread, path_segment
from forum.extensions import db
from forum.markup import render
from forum.notifications.models import MailMode, Subscription


def make_thread(*, group, author, title: str = "Succession planning for section chairs",
                body: str = "How do other groups hand over to the next chair?",
                status: PostStatus = PostStatus.PUBLISHED):
    """A thread with its opening post; returns (thread, opening post)."""
    thread = Thread(group_id=group.id, title=title, author_id=author.id, last_poster_id=author.id)
    db.session.add(thread)
    db.session.flush()
    post = make_post(thread=thread, author=author, body=body, status=status)
    return thread, post


def make_post(*, thread, author, body: str = "Thanks, that helps.", parent=None,
              status: PostStatus = PostStatus.PUBLISHED, created_at=None):
    post = Post(thread_id=thread.id, parent_id=parent.id if parent else None,
                author_id=author.id, source=body, html=render(body), status=status,
                path="", depth=parent.depth + 1 if parent else 0,
                created_at=created_at or utcnow())
    db.session.add(post)
    db.session.flush()
    post.path = (parent.path if parent else "") + path_segment(post.id)
    if status == PostStatus.PUBLISHED:
        thread.post_count += 1
        thread.last_post_id = post.id
        thread.last_post_at = post.created_at
    db.session.flush()
    return post


def subscribe(*, user, group=None, thread=None, watching: bool = False,
              mode: MailMode = MailMode.DAILY):
    sub = Subscription(user_id=user.id, group_id=group.id if group else None,
                       thread_id=thread.id if thread else None, watching=watching,
                       mode=mode if group else MailMode.NONE)
    db.session.add(sub)
    db.session.flush()
    return sub
