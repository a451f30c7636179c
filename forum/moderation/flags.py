"""Flags: a member reports a post; enough distinct reporters hide it until a moderator looks.

A flag is one row per (post, member): flagging again says so and changes nothing.
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy import func, select, update

from forum import ratelimit
from forum.db import utcnow
from forum.discussions.models import PostStatus
from forum.extensions import db
from forum.moderation import audit
from forum.moderation.common import ModerationError, Outcome, recount_thread
from forum.moderation.models import Flag, FlagReason, FlagStatus, ModerationLogEntry

NOTE_MAX = 500


def flag_post(post, *, by, reason: FlagReason, note: str = "") -> Outcome:
    if post.author_id == by.id:
        raise ModerationError("You cannot flag your own post. Edit or delete it instead.")
    if post.status != PostStatus.PUBLISHED:
        raise ModerationError("That post is not visible, so there is nothing to flag.")
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ModerationError(f"Keep the note to {NOTE_MAX} characters.")
    if _already_flagged(post.id, by.id):
        return Outcome(False, "You have already flagged this post; the moderators have it.")
    _check_rate(by.id)
    db.session.add(Flag(post_id=post.id, group_id=post.thread.group_id, reporter_id=by.id,
                        reason=reason, note=note))
    db.session.flush()
    if _open_reporters(post.id) >= current_app.config["MODERATION_AUTO_HIDE_FLAGS"]:
        _auto_hide(post)
    return Outcome(True, "Thank you: the moderators will review this post.")


def _already_flagged(post_id: int, user_id: int) -> bool:
    return db.session.scalar(
        select(Flag.id).where(Flag.post_id == post_id, Flag.reporter_id == user_id)
    ) is not None


def _check_rate(user_id: int) -> None:
    # Counted first, decided on the count (forum.ratelimit): parallel flags cannot all pass a
    # count read before any was added. In the request's transaction: a refused flag gives it back.
    limit = ratelimit.parse_limit(current_app.config["MODERATION_FLAGS_PER_HOUR"])
    if not ratelimit.claim("flag", str(user_id), limit).allowed:
        raise ModerationError("You have flagged many posts in the last hour. "
                              "Please wait a while before flagging more.")


def _open_reporters(post_id: int) -> int:
    return db.session.scalar(select(func.count(func.distinct(Flag.reporter_id))).where(
        Flag.post_id == post_id, Flag.status == FlagStatus.OPEN))


def _auto_hide(post) -> None:
    post.status = PostStatus.HIDDEN
    db.session.flush()
    recount_thread(post.thread_id)
    audit.record("auto_hide", actor=None, group_id=post.thread.group_id, target_type="post",
                 target_id=post.id, target_label=audit.post_label(post),
                 reason="Flagged by several members; hidden until a moderator reviews it.")


def close_flags(post, *, by, status: FlagStatus) -> int:
    """Mark the post's open flags resolved or dismissed; returns how many were open."""
    return db.session.execute(
        update(Flag).where(Flag.post_id == post.id, Flag.status == FlagStatus.OPEN)
        .values(status=status, resolved_at=utcnow(), resolved_by_id=by.id)
        .execution_options(synchronize_session=False)
    ).rowcount


def dismiss_flags(post, *, by, reason: str = "") -> Outcome:
    """The post is fine: close its flags and undo an automatic hide."""
    closed = close_flags(post, by=by, status=FlagStatus.DISMISSED)
    if not closed:
        return Outcome(False, "There were no open flags on that post.")
    if post.status == PostStatus.HIDDEN and _last_action_on(post.id) == "auto_hide":
        post.status = PostStatus.PUBLISHED
        db.session.flush()
        recount_thread(post.thread_id)
    audit.record("dismiss_flags", actor=by, group_id=post.thread.group_id, target_type="post",
                 target_id=post.id, target_label=audit.post_label(post), reason=reason,
                 details=f"{closed} flag(s)")
    return Outcome(True, "Flags dismissed; the post stays as it is.")


def _last_action_on(post_id: int) -> str | None:
    return db.session.scalar(
        select(ModerationLogEntry.action)
        .where(ModerationLogEntry.target_type == "post", ModerationLogEntry.target_id == post_id,
               ModerationLogEntry.action.in_(("auto_hide", "hide_post", "restore_post")))
        .order_by(ModerationLogEntry.id.desc()).limit(1))


def flags_by(user_id: int, post_ids) -> set[int]:
    """Which of these posts the user has flagged (for "you flagged this")."""
    if not post_ids:
        return set()
    return set(db.session.scalars(select(Flag.post_id).where(
        Flag.reporter_id == user_id, Flag.post_id.in_(list(post_ids)))))
