"""Watching groups and threads, and choosing how a group's posts arrive by e-mail.

Every verb is idempotent and says whether it changed anything. Services flush; views commit.
"""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from forum.extensions import db
from forum.groups.models import Group, Membership, MembershipStatus
from forum.notifications.models import (
    DEFAULT_MODE,
    MailMode,
    NotificationSettings,
    Subscription,
)


def _row(user_id: int, *, group_id: int | None = None,
         thread_id: int | None = None) -> Subscription | None:
    return db.session.scalar(select(Subscription).where(
        Subscription.user_id == user_id,
        Subscription.group_id == group_id if group_id is not None else
        Subscription.thread_id == thread_id,
    ))


def _get_or_create(user_id: int, *, group_id: int | None = None,
                   thread_id: int | None = None, mode: MailMode) -> Subscription:
    row = _row(user_id, group_id=group_id, thread_id=thread_id)
    if row is not None:
        return row
    try:
        with db.session.begin_nested():  # a concurrent request may have made it first
            row = Subscription(user_id=user_id, group_id=group_id, thread_id=thread_id,
                               mode=mode, watching=False)
            db.session.add(row)
    except IntegrityError:
        row = _row(user_id, group_id=group_id, thread_id=thread_id)
    return row


def is_member_of(user_id: int, group_id: int) -> bool:
    return db.session.scalar(select(Membership.id).where(
        Membership.user_id == user_id, Membership.group_id == group_id,
        Membership.status == MembershipStatus.ACTIVE)) is not None


def implicit_mode(user_id: int, group_id: int) -> MailMode:
    """The e-mail mode of a group with no subscription row: members get the default."""
    return DEFAULT_MODE if is_member_of(user_id, group_id) else MailMode.NONE


def set_watching(user_id: int, *, group_id: int | None = None, thread_id: int | None = None,
                 watching: bool) -> bool:
    """Watch (or stop watching) a group or thread. True if something changed."""
    row = _row(user_id, group_id=group_id, thread_id=thread_id)
    if row is None:
        if not watching and group_id is not None:
            return False  # not watching a group is the state with no row
        mode = implicit_mode(user_id, group_id) if group_id is not None else MailMode.NONE
        row = _get_or_create(user_id, group_id=group_id, thread_id=thread_id, mode=mode)
    elif row.watching == watching:
        return False
    # An unwatched thread keeps its row: it mutes the thread and stops auto-watch re-adding it.
    row.watching = watching
    db.session.flush()
    return True


def set_mode(user_id: int, group_id: int, mode: MailMode) -> bool:
    """Choose how a group's posts arrive by e-mail. True if something changed."""
    row = _row(user_id, group_id=group_id)
    if row is None:
        if implicit_mode(user_id, group_id) == mode:
            return False
        row = _get_or_create(user_id, group_id=group_id, mode=mode)
    elif row.mode == mode:
        return False
    row.mode = mode
    db.session.flush()
    return True


def watch_state(user_id: int | None, *, group_id: int | None = None,
                thread_id: int | None = None) -> bool:
    if user_id is None:
        return False
    row = _row(user_id, group_id=group_id, thread_id=thread_id)
    return bool(row and row.watching)


def group_settings(user_id: int) -> list[tuple[Group, MailMode, bool]]:
    """The member's groups (and any group they set up mail or a watch for), each with its
    e-mail mode and whether they watch it. Two queries."""
    member_of = select(Membership.group_id).where(
        Membership.user_id == user_id, Membership.status == MembershipStatus.ACTIVE)
    rows = {s.group_id: s for s in db.session.scalars(select(Subscription).where(
        Subscription.user_id == user_id, Subscription.group_id.is_not(None)))}
    groups = db.session.scalars(
        select(Group).where(or_(Group.id.in_(member_of), Group.id.in_(list(rows) or [0])))
        .order_by(Group.name)
    )
    result = []
    for group in groups:
        row = rows.get(group.id)
        result.append((group, row.mode if row else DEFAULT_MODE, bool(row and row.watching)))
    return result


def watched_threads(user_id: int, *, watching: bool = True):
    """The threads a member watches, or (``watching=False``) has muted: newest first."""
    return list(db.session.scalars(
        select(Subscription).where(Subscription.user_id == user_id,
                                   Subscription.thread_id.is_not(None),
                                   Subscription.watching.is_(watching))
        .order_by(Subscription.id.desc()).limit(200)
    ))


def set_auto_watch(user_id: int, enabled: bool) -> bool:
    setting = db.session.get(NotificationSettings, user_id)
    if setting is None:
        if enabled:
            return False  # on is the default
        db.session.add(NotificationSettings(user_id=user_id, auto_watch=False))
    elif setting.auto_watch == enabled:
        return False
    else:
        setting.auto_watch = enabled
    db.session.flush()
    return True


def unsubscribe(user_id: int, *, group_id: int | None = None,
                period: str | None = None) -> int:
    """Turn off the mail an unsubscribe link stands for; return how many groups changed."""
    if group_id is not None:
        return int(set_mode(user_id, group_id, MailMode.NONE))
    changed = 0
    for group, mode, _watching in group_settings(user_id):
        if mode.value == period:
            changed += set_mode(user_id, group.id, MailMode.NONE)
    return changed
