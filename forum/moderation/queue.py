"""The review queue: flagged posts and posts held for approval, each with its context.

A constant number of queries whatever the queue's length: the posts with their thread, group,
parent and author in one query per kind, and their open flags with reporters in one more.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from forum.discussions.models import Post, PostStatus, Thread
from forum.extensions import db
from forum.groups.models import Group
from forum.moderation.models import Flag, FlagStatus

QUEUE_LIMIT = 50  # oldest first; the rest wait their turn


def _with_context(stmt):
    return stmt.options(
        joinedload(Post.thread).joinedload(Thread.group), joinedload(Post.parent),
        joinedload(Post.author))


def review_queue(groups_clause):
    """``(flagged, held, flags_by_post)`` for the groups matching the clause."""
    flagged_ids = (
        select(Flag.post_id, func.min(Flag.created_at).label("first"))
        .join(Group, Group.id == Flag.group_id)
        .where(Flag.status == FlagStatus.OPEN, groups_clause)
        .group_by(Flag.post_id).subquery())
    flagged = list(db.session.scalars(_with_context(
        select(Post).join(flagged_ids, flagged_ids.c.post_id == Post.id)
        .order_by(flagged_ids.c.first, Post.id).limit(QUEUE_LIMIT))).unique())
    held = list(db.session.scalars(_with_context(
        select(Post).join(Thread, Thread.id == Post.thread_id)
        .join(Group, Group.id == Thread.group_id)
        .where(Post.status == PostStatus.PENDING, groups_clause)
        .order_by(Post.created_at, Post.id).limit(QUEUE_LIMIT))).unique())
    flags = defaultdict(list)
    if flagged:
        rows = db.session.scalars(
            select(Flag).options(joinedload(Flag.reporter))
            .where(Flag.post_id.in_([p.id for p in flagged]), Flag.status == FlagStatus.OPEN)
            .order_by(Flag.created_at))
        for flag in rows:
            flags[flag.post_id].append(flag)
    return flagged, held, flags
