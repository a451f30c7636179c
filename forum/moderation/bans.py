"""Banning a member from a group (for a period or for good) and lifting it.

The ban is the membership's status (``banned``, ``banned_until``): the permission model reads it
with the memberships it loads anyway. Its history is the moderation log.
"""

from __future__ import annotations

from sqlalchemy import select, update

from forum.db import utcnow
from forum.extensions import db
from forum.groups.models import Group, Membership, MembershipStatus
from forum.jinja import format_datetime
from forum.moderation import audit
from forum.moderation.common import ModerationError, Outcome


def _membership(group, user) -> Membership | None:
    return db.session.scalar(select(Membership).where(
        Membership.group_id == group.id, Membership.user_id == user.id))


def _count(group, delta: int) -> None:
    db.session.execute(update(Group).where(Group.id == group.id)
                       .values(member_count=Group.member_count + delta)
                       .execution_options(synchronize_session=False))
    db.session.expire(group, ["member_count"])


def ban_member(group, user, *, by, until=None, reason: str = "") -> Outcome:
    """``until`` None bans for good. The view has checked ``perms.can_ban(group, user)``."""
    if user.id == by.id:
        raise ModerationError("You cannot ban yourself.")
    if until is not None and until <= utcnow():
        raise ModerationError("A ban must end in the future.")
    m = _membership(group, user)
    if m is not None and m.status == MembershipStatus.BANNED and m.banned_until == until:
        return Outcome(False, f"{user.display_name} was already banned on those terms.")
    if m is None:
        m = Membership(group_id=group.id, user_id=user.id, status=MembershipStatus.BANNED)
        db.session.add(m)
    elif m.status == MembershipStatus.ACTIVE:
        _count(group, -1)
    m.status, m.banned_until = MembershipStatus.BANNED, until
    db.session.flush()
    # The log keeps UTC (a record read by anyone, anywhere); the moderator reads their zone.
    term = f"until {until:%Y-%m-%d %H:%M} UTC" if until else "for good"
    audit.record("ban", actor=by, group_id=group.id, target_type="user", target_id=user.id,
                 target_label=user.username, reason=reason, details=term)
    shown = f"until {format_datetime(until)}" if until else "for good"
    return Outcome(True, f"{user.display_name} is banned from {group.name} {shown}.")


def lift_ban(group, user, *, by, reason: str = "") -> Outcome:
    m = _membership(group, user)
    if m is None or m.status != MembershipStatus.BANNED:
        return Outcome(False, f"{user.display_name} is not banned from this group.")
    if m.joined_at is not None:  # was a member: is one again
        m.status, m.banned_until = MembershipStatus.ACTIVE, None
        _count(group, +1)
    else:
        db.session.delete(m)
    db.session.flush()
    audit.record("unban", actor=by, group_id=group.id, target_type="user", target_id=user.id,
                 target_label=user.username, reason=reason)
    return Outcome(True, f"{user.display_name}'s ban is lifted.")


def banned_members(group):
    """The group's bans (lapsed ones included, marked by their date), for the bans page."""
    return select(Membership).where(
        Membership.group_id == group.id, Membership.status == MembershipStatus.BANNED
    ).order_by(Membership.id.desc())
