"""Membership verbs: join, ask, invite, accept, approve, decline, leave, remove, ban.

Every verb is idempotent and says what happened (a ``Result``). A status change is one
conditional UPDATE (``WHERE status = <expected>``), and ``Group.member_count`` moves in SQL only
when that UPDATE (or INSERT/DELETE) really changed a row, so two clicks never count twice.
Services flush; the view commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app, url_for
from sqlalchemy import delete, or_, select, update
from sqlalchemy.exc import IntegrityError

from forum.db import utcnow
from forum.extensions import db
from forum.groups.models import (
    Appointment,
    Group,
    JoinPolicy,
    Membership,
    MembershipStatus,
    Role,
)
from forum.mail import queue_template


@dataclass(frozen=True)
class Result:
    changed: bool
    message: str


def _absolute(endpoint: str, **values) -> str:
    return current_app.config["SITE_URL"].rstrip("/") + url_for(endpoint, **values)


def _bump(group_id: int, delta: int) -> None:
    db.session.execute(
        update(Group).where(Group.id == group_id)
        .values(member_count=Group.member_count + delta)
        .execution_options(synchronize_session=False)
    )


def _membership(group: Group, user) -> Membership | None:
    return db.session.scalar(
        select(Membership).where(Membership.group_id == group.id, Membership.user_id == user.id)
    )


def _move(membership_id: int, expected: MembershipStatus, new: MembershipStatus, **values) -> bool:
    """Change one membership's status only if it still has the expected one."""
    result = db.session.execute(
        update(Membership)
        .where(Membership.id == membership_id, Membership.status == expected)
        .values(status=new, **values)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _insert(group: Group, user, status: MembershipStatus, **values) -> bool:
    """Insert a membership; False if one already exists (a double click or a race)."""
    try:
        with db.session.begin_nested():
            db.session.add(Membership(group_id=group.id, user_id=user.id, status=status,
                                      **values))
    except IntegrityError:
        return False
    return True


def current_leaders(group: Group) -> list:
    today = utcnow().date()
    return list(db.session.scalars(
        select(Appointment).where(
            Appointment.group_id == group.id, Appointment.role == Role.LEADER,
            Appointment.in_force_clause(today),
        )
    ))


def leaders_by_group(group_ids) -> set[tuple[int, int]]:
    """(group id, member id) of every leader in office today of these groups, in one
    statement (the digest's "From your groups' leaders")."""
    ids = sorted(set(group_ids))
    if not ids:
        return set()
    today = utcnow().date()
    rows = db.session.execute(select(Appointment.group_id, Appointment.user_id).where(
        Appointment.group_id.in_(ids), Appointment.role == Role.LEADER,
        Appointment.in_force_clause(today)))
    return {(group_id, user_id) for group_id, user_id in rows}


# --- a member's own verbs ---------------------------------------------------------------------

def join(group: Group, user) -> Result:
    """Join an open group, ask to join an approval-only one, or accept an invitation."""
    existing = _membership(group, user)
    if existing is not None:
        if existing.status == MembershipStatus.INVITED:
            return accept_invitation(group, user, existing)
        if existing.status == MembershipStatus.PENDING:
            return Result(False, "Your request to join is already waiting for the leaders.")
        return Result(False, f"You are already a member of {group.name}.")
    if group.join_policy == JoinPolicy.APPROVAL:
        if not _insert(group, user, MembershipStatus.PENDING):
            return Result(False, "Your request to join is already waiting for the leaders.")
        db.session.flush()
        _notify_leaders_of_request(group, user)
        return Result(True, f"Your request to join {group.name} was sent to its leaders.")
    if not _insert(group, user, MembershipStatus.ACTIVE, joined_at=utcnow()):
        return Result(False, f"You are already a member of {group.name}.")
    _bump(group.id, +1)
    db.session.flush()
    return Result(True, f"Welcome to {group.name}.")


def accept_invitation(group: Group, user, membership: Membership | None = None) -> Result:
    membership = membership or _membership(group, user)
    if membership is None or not _move(membership.id, MembershipStatus.INVITED,
                                       MembershipStatus.ACTIVE, joined_at=utcnow()):
        return Result(False, "There is no invitation waiting for you in this group.")
    _bump(group.id, +1)
    db.session.flush()
    return Result(True, f"You have joined {group.name}.")


def _delete_membership(membership: Membership) -> bool:
    """Delete the row only if its status is still the one we read (a double click, or a leader
    acting at the same moment, changes nothing); an active member leaving lowers the count."""
    deleted = db.session.execute(
        delete(Membership).where(Membership.id == membership.id,
                                 Membership.status == membership.status)
        .execution_options(synchronize_session=False)
    ).rowcount
    if deleted and membership.status == MembershipStatus.ACTIVE:
        _bump(membership.group_id, -1)
    return bool(deleted)


def leave(group: Group, user) -> Result:
    """Leave (active), withdraw a request (pending) or decline an invitation (invited)."""
    membership = _membership(group, user)
    if membership is None or membership.status == MembershipStatus.BANNED:
        return Result(False, f"You are not a member of {group.name}.")
    was_active = membership.status == MembershipStatus.ACTIVE
    if not _delete_membership(membership):
        return Result(False, f"You are not a member of {group.name}.")
    if was_active:
        message = f"You have left {group.name}."
        if _end_terms_on_leaving(group, user.id):
            message += " Your roles in the group ended today."
    elif membership.status == MembershipStatus.INVITED:
        message = "You declined the invitation."
    else:
        message = "You withdrew your request to join."
    db.session.expunge(membership)
    db.session.flush()
    return Result(True, message)


def _end_terms_on_leaving(group: Group, user_id: int) -> int:
    """Someone who leaves a group gives up its roles: terms in force end today (the history
    stays), terms not yet begun are withdrawn. Returns how many terms were affected."""
    today = utcnow().date()
    mine = (Appointment.group_id == group.id) & (Appointment.user_id == user_id)
    ended = db.session.execute(
        update(Appointment)
        .where(mine, Appointment.starts_on < today,
               or_(Appointment.ends_on.is_(None), Appointment.ends_on > today))
        .values(ends_on=today).execution_options(synchronize_session=False)
    ).rowcount
    withdrawn = db.session.execute(
        delete(Appointment).where(mine, Appointment.starts_on >= today)
        .execution_options(synchronize_session=False)
    ).rowcount
    return ended + withdrawn


# --- leaders' verbs ---------------------------------------------------------------------------

def approve_request(group: Group, membership: Membership) -> Result:
    if not _move(membership.id, MembershipStatus.PENDING, MembershipStatus.ACTIVE,
                 joined_at=utcnow()):
        return Result(False, "That request has already been dealt with.")
    _bump(group.id, +1)
    queue_template(membership.user.email, f"You have joined {group.name}", "group_join_approved",
                   group=group, user=membership.user,
                   group_url=_absolute("groups.show", slug=group.slug))
    db.session.flush()
    return Result(True, f"{membership.user.display_name} is now a member.")


def decline_request(group: Group, membership: Membership) -> Result:
    user = membership.user
    deleted = db.session.execute(
        delete(Membership).where(Membership.id == membership.id,
                                 Membership.status == MembershipStatus.PENDING)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not deleted:
        return Result(False, "That request has already been dealt with.")
    queue_template(user.email, f"Your request to join {group.name}", "group_join_declined",
                   group=group, user=user)
    db.session.flush()
    return Result(True, f"The request from {user.display_name} was declined.")


def invite(group: Group, user, invited_by) -> Result:
    existing = _membership(group, user)
    if existing is not None:
        if existing.status == MembershipStatus.PENDING:
            return approve_request(group, existing)
        if existing.status == MembershipStatus.BANNED:
            return Result(False, f"{user.display_name} is banned from this group.")
        if existing.status == MembershipStatus.INVITED:
            return Result(False, f"{user.display_name} has already been invited.")
        return Result(False, f"{user.display_name} is already a member.")
    if not _insert(group, user, MembershipStatus.INVITED, invited_by_id=invited_by.id):
        return Result(False, f"{user.display_name} has already been invited.")
    queue_template(user.email, f"Invitation to join {group.name}", "group_invitation",
                   group=group, user=user, invited_by=invited_by,
                   group_url=_absolute("groups.show", slug=group.slug),
                   mine_url=_absolute("groups.mine"))
    db.session.flush()
    return Result(True, f"{user.display_name} has been invited.")


def remove_member(group: Group, membership: Membership) -> Result:
    if not _delete_membership(membership):
        return Result(False, "That person is no longer in the group.")
    name = membership.user.display_name
    db.session.expunge(membership)
    db.session.flush()
    return Result(True, f"{name} was removed from the group.")


def ban(group: Group, user, until: datetime | None = None) -> Result:
    """Ban from a group (for moderation): an active member stops counting as a member."""
    membership = _membership(group, user)
    if membership is None:
        _insert(group, user, MembershipStatus.BANNED, banned_until=until)
        db.session.flush()
        return Result(True, f"{user.display_name} is banned from {group.name}.")
    if membership.status == MembershipStatus.BANNED:
        return Result(False, f"{user.display_name} is already banned.")
    previous = membership.status
    if _move(membership.id, previous, MembershipStatus.BANNED, banned_until=until):
        if previous == MembershipStatus.ACTIVE:
            _bump(group.id, -1)
    db.session.flush()
    return Result(True, f"{user.display_name} is banned from {group.name}.")


def _notify_leaders_of_request(group: Group, user) -> None:
    review_url = _absolute("groups.manage", slug=group.slug)
    for appointment in current_leaders(group):
        leader = appointment.user
        queue_template(leader.email, f"{user.display_name} asks to join {group.name}",
                       "group_join_request", group=group, requester=user, leader=leader,
                       review_url=review_url)
