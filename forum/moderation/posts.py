"""Verbs on one post: hide, restore, edit (keeping revisions), approve a held post, warn.

Each writes its audit entry and tells the author in the same transaction; flushes, never commits.
"""

from __future__ import annotations

from forum.db import utcnow
from forum.discussions.models import PostRevision, PostStatus
from forum.discussions.services import publish_post, render_body
from forum.extensions import db
from forum.moderation import audit
from forum.moderation.common import ModerationError, Outcome, recount_thread
from forum.moderation.flags import close_flags
from forum.moderation.models import FlagStatus
from forum.moderation.notify import tell_author

BODY_MAX = 50_000


def hide_post(post, *, by, reason: str = "") -> Outcome:
    if post.status == PostStatus.HIDDEN:
        return Outcome(False, "That post was already hidden.")
    if post.status == PostStatus.DELETED:
        raise ModerationError("Its author deleted that post; there is nothing to hide.")
    post.status = PostStatus.HIDDEN
    db.session.flush()
    recount_thread(post.thread_id)
    close_flags(post, by=by, status=FlagStatus.RESOLVED)
    audit.record("hide_post", actor=by, group_id=post.thread.group_id, target_type="post",
                 target_id=post.id, target_label=audit.post_label(post), reason=reason)
    tell_author(post, "hidden", reason, by=by)
    return Outcome(True, "The post is hidden.")


def restore_post(post, *, by, reason: str = "") -> Outcome:
    if post.status != PostStatus.HIDDEN:
        return Outcome(False, "That post is not hidden.")
    post.status = PostStatus.PUBLISHED
    db.session.flush()
    recount_thread(post.thread_id)
    close_flags(post, by=by, status=FlagStatus.DISMISSED)
    audit.record("restore_post", actor=by, group_id=post.thread.group_id, target_type="post",
                 target_id=post.id, target_label=audit.post_label(post), reason=reason)
    tell_author(post, "restored", reason, by=by)
    return Outcome(True, "The post is visible again.")


def edit_post(post, *, by, source: str, reason: str = "") -> Outcome:
    """Replace the text; the old text becomes a revision carrying the moderator's name."""
    source = (source or "").strip()
    if not source:
        raise ModerationError("A post cannot be empty: hide it instead.")
    if len(source) > BODY_MAX:
        raise ModerationError(f"A post holds {BODY_MAX:,} characters at most.")
    if source == post.source:
        return Outcome(False, "Nothing changed: the text is the same.")
    db.session.add(PostRevision(post_id=post.id, source=post.source, html=post.html,
                                edited_by_id=by.id))
    post.source = source
    post.html = render_body(source)  # links @mentions, as the author's own edit does
    post.edited_at = utcnow()
    post.edited_by_id = by.id
    db.session.flush()
    audit.record("edit_post", actor=by, group_id=post.thread.group_id, target_type="post",
                 target_id=post.id, target_label=audit.post_label(post), reason=reason)
    tell_author(post, "edited", reason, by=by)
    return Outcome(True, "The post is edited; its earlier text is kept in its history.")


def approve_post(post, *, by) -> Outcome:
    if post.status != PostStatus.PENDING:
        return Outcome(False, "That post is not waiting for approval.")
    publish_post(post)  # counters and notifications, as for any post becoming visible
    db.session.flush()
    audit.record("approve_post", actor=by, group_id=post.thread.group_id, target_type="post",
                 target_id=post.id, target_label=audit.post_label(post))
    tell_author(post, "approved", by=by)
    return Outcome(True, "The post is approved and published.")


def warn_author(post, *, by, reason: str) -> Outcome:
    reason = (reason or "").strip()
    if not reason:
        raise ModerationError("Say what the warning is about: the author will read it.")
    if post.author is None:
        raise ModerationError("That post's author no longer has an account.")
    close_flags(post, by=by, status=FlagStatus.RESOLVED)
    audit.record("warn", actor=by, group_id=post.thread.group_id, target_type="user",
                 target_id=post.author_id, target_label=post.author.username,
                 reason=reason, details=audit.post_label(post))
    tell_author(post, "warned", reason, by=by)
    return Outcome(True, f"{post.author.display_name} has been warned.")
