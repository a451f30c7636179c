"""Who may hear about a post: the readers of its group, decided for many users in one query.

``can_read_clause`` is ``Permissions(user).can_read(group)`` (forum/permissions/groups.py)
written as one SQL filter over many users, so notifying 200 watchers costs one query, not 400
(forum.notifications.services asks it inside the audience query). It must stay in step
with ``can_read``; tests/test_notifications_audience.py checks both agree for every role.
Only members in good standing (verified, not suspended) are told anything.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from sqlalchemy import and_, bindparam, exists, or_, select, true

from forum.db import utcnow
from forum.extensions import db
from forum.groups.models import Appointment, Group, Membership, MembershipStatus, Role, Visibility
from forum.markup import mention_candidates
from forum.users.models import User
from forum.users.names import NameError_, username_key

MAX_MENTIONS = 50
IN_LIMIT = 900
_CODE = re.compile(r"```.*?```|~~~.*?~~~|`[^`\n]*`|^(?: {4}|\t)[^\n]*$", re.S | re.M)


def mentioned_keys(source: str) -> set[str]:
    """The username keys @mentioned in Markdown source (code spans and blocks excluded)."""
    keys: set[str] = set()
    for name in sorted(mention_candidates(_CODE.sub(" ", source or ""))):
        try:
            keys.add(username_key(name))
        except NameError_:
            continue
        if len(keys) >= MAX_MENTIONS:
            break
    return keys


@functools.cache
def can_read_clause(private: bool):
    """SQL over ``User``: this user may read the group's content (and is in good standing).

    Built once per kind of group (private, or not); its values are bound parameters —
    ``group_id``, ``section_id``, ``now``, ``today`` — given by ``can_read_params(group)``."""
    now = bindparam("now")
    good_standing = and_(
        User.verified_at.is_not(None),
        or_(User.suspended_until.is_(None), User.suspended_until <= now),
    )
    section_admin = exists().where(
        Appointment.user_id == User.id, Appointment.section_id == bindparam("section_id"),
        Appointment.role == Role.SECTION_ADMIN, Appointment.in_force_clause(bindparam("today")),
    )
    banned = exists().where(
        Membership.user_id == User.id, Membership.group_id == bindparam("group_id"),
        Membership.status == MembershipStatus.BANNED,
        or_(Membership.banned_until.is_(None), Membership.banned_until > now),
    )
    if private:
        belongs = or_(
            exists().where(Membership.user_id == User.id,
                           Membership.group_id == bindparam("group_id"),
                           Membership.status == MembershipStatus.ACTIVE),
            exists().where(Appointment.user_id == User.id,
                           Appointment.group_id == bindparam("group_id"),
                           Appointment.in_force_clause(bindparam("today"))),
        )
    else:
        belongs = true()  # public and members-only: any member in good standing
    return and_(good_standing,
                or_(User.is_site_admin, section_admin, and_(~banned, belongs)))


def can_read_params(group: Group) -> dict:
    now = utcnow()
    return {"group_id": group.id, "section_id": group.section_id, "now": now,
            "today": now.date()}


def is_private(group: Group) -> bool:
    return group.visibility == Visibility.PRIVATE


def chunks(items: Iterable, size: int = IN_LIMIT) -> list[list]:
    """Split a long IN list: SQLite caps bound parameters (32766, or 999 when built old)."""
    items = sorted(items)
    return [items[i:i + size] for i in range(0, len(items), size)]


def user_ids_for_keys(keys: set[str]) -> dict[str, int]:
    if not keys:
        return {}
    rows = db.session.execute(select(User.username_key, User.id)
                              .where(User.username_key.in_(keys)))
    return {k: i for k, i in rows}
