"""Who may be told of a post: the group-readability rule over many users at once, and when a
post may be announced at all.

``can_read_clause`` is ``Permissions(user).can_read(group)`` (forum/permissions/groups.py)
written as one SQL filter over many users, so notifying 200 watchers costs one query, not 400
(forum.notifications.services asks it inside its audience query). It must stay in step with
``can_read``; tests/test_notifications_audience.py checks both agree for every role. Only
members in good standing (verified, not suspended) are told anything.

``may_announce(post, thread)`` is the other half: a notification or a mail carries the post's
words, so it is made only for a post that every reader of its group may see at that moment
(``can_see_post``): published, in a thread that is not hidden. Together the two are
``can_see_post`` for each recipient (tests/test_security_post_visibility.py checks it).
"""

from __future__ import annotations

import functools

from sqlalchemy import and_, bindparam, exists, or_, true

from forum.db import utcnow
from forum.groups.models import Appointment, Group, Membership, MembershipStatus, Role, Visibility
from forum.users.models import User


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


def may_announce(post, thread) -> bool:
    """Whether ``post`` may be announced now (in-app or by mail) to its group's readers.

    A held, hidden or removed post, or any post of a hidden thread, shows its words to
    moderators at most (``can_see_post_body``, ``can_read_thread``): nobody is told of it. A
    post held and then approved is announced on approval (discussions.services.publish_post)."""
    status = getattr(post.status, "value", post.status)
    return thread is not None and status == "published" and not thread.hidden
