"""Site-wide suspension by a site admin: the account's sessions end at once.

Uses the accounts feature's ``suspend_user``/``unsuspend_user`` when it offers them; otherwise
sets ``suspended_until`` and ends the sessions here.
"""

from __future__ import annotations

from datetime import UTC, datetime

from forum.auth.sessions import end_all_sessions
from forum.db import utcnow
from forum.extensions import db
from forum.moderation import audit
from forum.moderation.common import ModerationError, Outcome
from forum.users import services as _users

# "For good" is a date far away; the accounts feature's own constant when it has one.
FOR_GOOD = getattr(_users, "SUSPENDED_FOREVER", datetime(9999, 1, 1, tzinfo=UTC))


def suspend_account(user, *, by, until=None, reason: str = "") -> Outcome:
    if user.id == by.id:
        raise ModerationError("You cannot suspend your own account.")
    until = until or FOR_GOOD
    if until <= utcnow():
        raise ModerationError("A suspension must end in the future.")
    if user.suspended_until == until:
        return Outcome(False, f"{user.username} was already suspended on those terms.")
    if hasattr(_users, "suspend_user"):
        _users.suspend_user(user, until, by)
    else:
        user.suspended_until = until
        end_all_sessions(user.id)
    db.session.flush()
    term = "for good" if until == FOR_GOOD else f"until {until:%Y-%m-%d %H:%M} UTC"
    audit.record("suspend", actor=by, group_id=None, target_type="user", target_id=user.id,
                 target_label=user.username, reason=reason, details=term)
    return Outcome(True, f"{user.username} is suspended {term}; their sessions have ended.")


def unsuspend_account(user, *, by, reason: str = "") -> Outcome:
    if not user.is_suspended:
        return Outcome(False, f"{user.username} is not suspended.")
    if hasattr(_users, "unsuspend_user"):
        _users.unsuspend_user(user, by)
    else:
        user.suspended_until = None
    db.session.flush()
    audit.record("unsuspend", actor=by, group_id=None, target_type="user", target_id=user.id,
                 target_label=user.username, reason=reason)
    return Outcome(True, f"{user.username} may sign in again.")
