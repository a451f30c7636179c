"""Site-wide suspension by a site admin: the account's sessions end at once
(``forum.auth.suspension``); this adds the checks and the audit entry."""

from __future__ import annotations

from forum.auth.suspension import SUSPENDED_FOREVER, suspend_user, unsuspend_user
from forum.db import utcnow
from forum.extensions import db
from forum.jinja import format_datetime
from forum.moderation import audit
from forum.moderation.common import ModerationError, Outcome

FOR_GOOD = SUSPENDED_FOREVER  # "for good" is a date far away


def suspend_account(user, *, by, until=None, reason: str = "") -> Outcome:
    if user.id == by.id:
        raise ModerationError("You cannot suspend your own account.")
    until = until or FOR_GOOD
    if until <= utcnow():
        raise ModerationError("A suspension must end in the future.")
    if user.suspended_until == until:
        return Outcome(False, f"{user.username} was already suspended on those terms.")
    suspend_user(user, until, by)
    db.session.flush()
    term = "for good" if until == FOR_GOOD else f"until {until:%Y-%m-%d %H:%M} UTC"
    audit.record("suspend", actor=by, group_id=None, target_type="user", target_id=user.id,
                 target_label=user.username, reason=reason, details=term)
    shown = "for good" if until == FOR_GOOD else f"until {format_datetime(until)}"
    return Outcome(True, f"{user.username} is suspended {shown}; their sessions have ended.")


def unsuspend_account(user, *, by, reason: str = "") -> Outcome:
    if not user.is_suspended:
        return Outcome(False, f"{user.username} is not suspended.")
    unsuspend_user(user, by)
    db.session.flush()
    audit.record("unsuspend", actor=by, group_id=None, target_type="user", target_id=user.id,
                 target_label=user.username, reason=reason)
    return Outcome(True, f"{user.username} may sign in again.")
