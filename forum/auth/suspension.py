"""Suspending an account site-wide: the account holds no rights while suspended, and every
session it has ends at once (so a suspension takes effect on the next click, not the next
sign-in). Moderation builds its admin page and audit entry on these; they record no audit."""

from __future__ import annotations

from datetime import UTC, datetime

from forum.auth.sessions import end_all_sessions
from forum.extensions import db
from forum.users.models import User

# "Suspended indefinitely" is a date far away, so every check stays one comparison.
SUSPENDED_FOREVER = datetime(9999, 1, 1, tzinfo=UTC)


def suspend_user(user: User, until: datetime | None, by: User | None = None) -> bool:
    """Suspend ``user`` until ``until`` (None: indefinitely) and end every session they have.

    ``by`` is accepted for the caller's audit trail. Returns whether anything changed
    (suspending again to the same date changes nothing).
    """
    until = until or SUSPENDED_FOREVER
    ended = end_all_sessions(user.id)
    changed = user.suspended_until != until or ended > 0
    user.suspended_until = until
    db.session.flush()
    return changed


def unsuspend_user(user: User, by: User | None = None) -> bool:
    if user.suspended_until is None:
        return False
    user.suspended_until = None
    db.session.flush()
    return True
