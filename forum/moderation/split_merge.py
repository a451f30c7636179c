"""Splitting a branch of replies into a new thread, and merging one thread into another.

The tree makes both one UPDATE: a branch is the path range [path, path + ":") (":" sorts just
after the digits), so splitting strips the ancestors' prefix from every path in that range, and
merging under the other thread's opening post prefixes its path. Counters are then recounted
in SQL for both threads.
"""

from __future__ import annotations

from sqlalchemy import func, select, update

from forum.db import utcnow
from forum.discussions.models import MAX_DEPTH, PATH_SEGMENT, Post, Thread
from forum.extensions import db
from forum.moderation import audit
from forum.moderation.common import ModerationError, Outcome, recount_thread
from forum.moderation.models import Flag

TITLE_MAX = 200


def _branch(thread_id: int, path: str):
    return (Post.thread_id == thread_id) & (Post.path >= path) & (Post.path < path + ":")


def split_branch(post, *, by, title: str, reason: str = "") -> Outcome:
    """Move ``post`` and every reply below it into a new thread it opens."""
    title = (title or "").strip()
    if not title or len(title) > TITLE_MAX:
        raise ModerationError(f"Give the new thread a title (up to {TITLE_MAX} characters).")
    source = post.thread
    if post.parent_id is None or post.depth == 0:
        raise ModerationError("That post opens the thread: splitting it would move everything.")
    new = Thread(group_id=source.group_id, kind=source.kind, title=title,
                 author_id=post.author_id, created_at=post.created_at)
    db.session.add(new)
    db.session.flush()
    cut = len(post.path) - PATH_SEGMENT  # characters of ancestors' prefix to drop
    db.session.execute(
        update(Post).where(_branch(source.id, post.path)).values(
            thread_id=new.id, path=func.substr(Post.path, cut + 1),
            depth=Post.depth - post.depth,
        ).execution_options(synchronize_session=False))
    db.session.execute(update(Post).where(Post.id == post.id).values(parent_id=None)
                       .execution_options(synchronize_session=False))
    _refresh_posts()
    recount_thread(source.id)
    recount_thread(new.id)
    for thread in (source, new):
        audit.record("split", actor=by, group_id=source.group_id, target_type="thread",
                     target_id=thread.id, target_label=f"“{thread.title}”", reason=reason,
                     details=f"post #{post.id} and its replies → thread #{new.id}")
    return Outcome(True, f"The branch is now its own thread: “{title}”.")


def merge_threads(source, *, into, by, under_root: bool = True, reason: str = "") -> Outcome:
    """Append ``source``'s posts to ``into``: under its opening post, or as a second top level.

    ``source`` is left empty, hidden and locked (not deleted: other features may point at it)."""
    if source.id == into.id:
        raise ModerationError("A thread cannot be merged into itself.")
    if into.hidden:
        raise ModerationError("That thread is hidden (perhaps merged already); choose another.")
    root = db.session.scalar(select(Post).where(Post.thread_id == into.id)
                             .order_by(Post.path).limit(1))
    if root is None:
        raise ModerationError("That thread has no posts to merge under.")
    values = {"thread_id": into.id}
    if under_root:
        deepest = db.session.scalar(select(func.max(Post.depth)).where(
            Post.thread_id == source.id)) or 0
        if deepest + root.depth + 1 > MAX_DEPTH:
            raise ModerationError("That thread is too deep to nest; merge it as top-level "
                                  "posts instead.")
        values.update(path=root.path + Post.path, depth=Post.depth + root.depth + 1)
    opening = db.session.scalar(select(Post.id).where(Post.thread_id == source.id)
                                .order_by(Post.path).limit(1))
    db.session.execute(update(Post).where(Post.thread_id == source.id).values(**values)
                       .execution_options(synchronize_session=False))
    if under_root and opening is not None:
        db.session.execute(update(Post).where(Post.id == opening).values(parent_id=root.id)
                           .execution_options(synchronize_session=False))
    if source.group_id != into.group_id:
        db.session.execute(update(Flag).where(Flag.post_id.in_(
            select(Post.id).where(Post.thread_id == into.id).scalar_subquery()))
            .values(group_id=into.group_id).execution_options(synchronize_session=False))
    source.hidden, source.locked, source.updated_at = True, True, utcnow()
    db.session.flush()
    _refresh_posts()
    recount_thread(source.id)
    recount_thread(into.id)
    details = f"thread #{source.id} → thread #{into.id}"
    for group_id in {source.group_id, into.group_id}:
        audit.record("merge", actor=by, group_id=group_id, target_type="thread",
                     target_id=into.id, target_label=f"“{source.title}” into “{into.title}”",
                     reason=reason, details=details)
    return Outcome(True, f"“{source.title}” is merged into “{into.title}”.")


def _refresh_posts() -> None:
    # Bulk UPDATEs bypass the identity map: reload posts already loaded in this session.
    for obj in list(db.session.identity_map.values()):
        if isinstance(obj, Post):
            db.session.expire(obj)
