"""Verbs on a thread: pin, lock, move to another group. Idempotent; each writes its audit entry."""

from __future__ import annotations

from sqlalchemy import select, update

from forum.discussions.models import Post
from forum.extensions import db
from forum.groups.models import Visibility
from forum.mail import withdraw_post_mail
from forum.moderation import audit
from forum.moderation.common import ModerationError, Outcome
from forum.moderation.models import Flag


def _label(thread) -> str:
    return f"“{thread.title}”"


def set_pinned(thread, *, by, pinned: bool, reason: str = "") -> Outcome:
    if thread.pinned == pinned:
        return Outcome(False, "That thread was already pinned." if pinned
                       else "That thread was not pinned.")
    thread.pinned = pinned
    db.session.flush()
    audit.record("pin" if pinned else "unpin", actor=by, group_id=thread.group_id,
                 target_type="thread", target_id=thread.id, target_label=_label(thread),
                 reason=reason)
    return Outcome(True, "Thread pinned to the top of the group." if pinned
                   else "Thread unpinned.")


def set_locked(thread, *, by, locked: bool, reason: str = "") -> Outcome:
    if thread.locked == locked:
        return Outcome(False, "That thread was already locked." if locked
                       else "That thread was not locked.")
    thread.locked = locked
    db.session.flush()
    audit.record("lock" if locked else "unlock", actor=by, group_id=thread.group_id,
                 target_type="thread", target_id=thread.id, target_label=_label(thread),
                 reason=reason)
    return Outcome(True, "Thread locked: no new replies." if locked else "Thread unlocked.")


def move_thread(thread, *, by, target_group, reason: str = "") -> Outcome:
    """Move to another group (the view has checked the right in both groups)."""
    if target_group.id == thread.group_id:
        return Outcome(False, "The thread is already in that group.")
    if target_group.is_archived:
        raise ModerationError("That group is archived; threads cannot move into it.")
    source_id, source_slug = thread.group_id, thread.group.slug
    thread.group_id = target_group.id
    thread.group = target_group
    db.session.execute(
        update(Flag).where(Flag.post_id.in_(_post_ids(thread.id)))
        .values(group_id=target_group.id).execution_options(synchronize_session=False))
    if target_group.visibility == Visibility.PRIVATE:
        # Its waiting mails were addressed to the old group's readers.
        withdraw_post_mail(_post_ids(thread.id))
    db.session.flush()
    details = f"from {source_slug} to {target_group.slug}"
    for group_id in (source_id, target_group.id):  # both groups' logs tell the story
        audit.record("move", actor=by, group_id=group_id, target_type="thread",
                     target_id=thread.id, target_label=_label(thread), reason=reason,
                     details=details)
    return Outcome(True, f"Thread moved to {target_group.name}.")


def _post_ids(thread_id: int):
    return select(Post.id).where(Post.thread_id == thread_id).scalar_subquery()
