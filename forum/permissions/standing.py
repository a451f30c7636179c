"""Why a member in poor standing is refused: a ban from the group, or a suspended account.

A bare 403 told a banned member nothing. When ``ensure`` refuses a signed-in account that is
suspended, or banned from the group the request is about, it raises ``StandingRefused`` (a 403)
carrying a ``Standing``: what happened, until when, the reason the moderator gave (from the
moderation log, where every ban and suspension is recorded) and whom to write to about it.
``forum.errors`` prints it with templates/errors/standing.html. Asked only on refusal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import request
from sqlalchemy import select
from werkzeug.exceptions import Forbidden

from forum.db import utcnow
from forum.extensions import db
from forum.groups.models import Appointment, Group, MembershipStatus, Role
from forum.moderation.models import ModerationLogEntry
from forum.users.models import User

FOREVER_YEAR = 9999  # forum.auth.suspension.SUSPENDED_FOREVER: "until further notice"


@dataclass(frozen=True, slots=True)
class Contact:
    display_name: str
    username: str


@dataclass(frozen=True, slots=True)
class Standing:
    kind: str  # "banned" (from ``group_name``) or "suspended" (the whole account)
    until: datetime | None  # None: for good / until further notice
    reason: str  # as the moderator gave it; "" when they gave none
    group_name: str | None
    group_slug: str | None
    contacts: list[Contact]  # whom to write to: the group's leaders, or the site's admins


class StandingRefused(Forbidden):
    def __init__(self, standing: Standing) -> None:
        super().__init__()
        self.standing = standing


def standing_refusal(perms, group: Group | None) -> Standing | None:
    """The reader's standing where it explains a refusal, else None (a plain 403)."""
    user = perms.user
    if user.is_suspended:
        until = user.suspended_until
        return Standing("suspended", None if until.year >= FOREVER_YEAR else until,
                        _reason("suspend", None, user.id), None, None, _site_admins())
    now = utcnow()
    banned = [m for m in perms.memberships.values() if m.status == MembershipStatus.BANNED
              and (m.banned_until is None or m.banned_until > now)]
    if not banned:
        return None
    if group is None:
        slug = (request.view_args or {}).get("slug") if request else None
        if not isinstance(slug, str):
            return None
        group = db.session.scalar(select(Group).where(Group.slug == slug))
    held = next((m for m in banned if group is not None and m.group_id == group.id), None)
    if held is None:
        return None
    return Standing("banned", held.banned_until, _reason("ban", group.id, user.id),
                    group.name, group.slug, _leaders(group, perms.today))


def _reason(action: str, group_id: int | None, user_id: int) -> str:
    return db.session.scalar(
        select(ModerationLogEntry.reason).where(
            ModerationLogEntry.action == action, ModerationLogEntry.target_type == "user",
            ModerationLogEntry.target_id == user_id, ModerationLogEntry.group_id.is_(None)
            if group_id is None else ModerationLogEntry.group_id == group_id)
        .order_by(ModerationLogEntry.created_at.desc(), ModerationLogEntry.id.desc())
        .limit(1)) or ""


def _leaders(group: Group, today) -> list[Contact]:
    rows = db.session.execute(
        select(User.display_name, User.username).join(Appointment, Appointment.user_id == User.id)
        .where(Appointment.group_id == group.id, Appointment.role == Role.LEADER,
               Appointment.in_force_clause(today))
        .order_by(User.display_name)).all()
    return [Contact(*row) for row in rows] or _section_admins(group, today)


def _section_admins(group: Group, today) -> list[Contact]:
    rows = db.session.execute(
        select(User.display_name, User.username).join(Appointment, Appointment.user_id == User.id)
        .where(Appointment.section_id == group.section_id,
               Appointment.role == Role.SECTION_ADMIN, Appointment.in_force_clause(today))
        .order_by(User.display_name)).all()
    return [Contact(*row) for row in rows] or _site_admins()


def _site_admins() -> list[Contact]:
    rows = db.session.execute(
        select(User.display_name, User.username).where(User.is_site_admin.is_(True))
        .order_by(User.display_name).limit(5)).all()
    return [Contact(*row) for row in rows]
