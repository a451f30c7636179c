"""Who the user is, what they hold today, and how a refusal is answered."""

from __future__ import annotations

import enum
from datetime import date

from flask import abort
from flask_login import AnonymousUserMixin
from sqlalchemy import bindparam, or_, select

from forum.db import utcnow
from forum.extensions import db, login_manager
from forum.groups.models import Appointment, Membership, Role


class Rank(enum.IntEnum):
    """Ranks, low to high. Nobody grants a role at or above their own."""

    ANONYMOUS = 0
    MEMBER = 10  # signed in, verified, not suspended
    GROUP_MEMBER = 20
    MODERATOR = 30
    LEADER = 40
    SECTION_ADMIN = 50
    SITE_ADMIN = 60


ROLE_RANK = {
    Role.EDITOR: Rank.GROUP_MEMBER,
    Role.MODERATOR: Rank.MODERATOR,
    Role.LEADER: Rank.LEADER,
    Role.SECTION_ADMIN: Rank.SECTION_ADMIN,
}


# Built once: every signed-in request runs these, and building a statement costs more than
# SQLite takes to answer it. Parameters are bound per call.
_MEMBERSHIPS = select(Membership).where(Membership.user_id == bindparam("user_id"))
_APPOINTMENTS_IN_FORCE = select(Appointment).where(
    Appointment.user_id == bindparam("user_id"),
    Appointment.starts_on <= bindparam("today"),
    or_(Appointment.ends_on.is_(None), Appointment.ends_on > bindparam("today")),
)


class PermissionsBase:
    def __init__(self, user=None, today: date | None = None) -> None:
        # ``current_user`` arrives as a proxy: resolved on first use (a request that never asks
        # loads no user), then kept, because a page asks hundreds of times and every proxy
        # look-up costs a context-variable walk.
        self._user_source = user if user is not None else AnonymousUserMixin()
        self._user = None
        self.today = today or utcnow().date()
        self._memberships: dict[int, Membership] | None = None
        self._appointments: list[Appointment] | None = None
        self._ranks: dict[int, Rank] = {}  # group id -> rank, from the two above

    @property
    def user(self):
        if self._user is None:
            source = self._user_source
            resolve = getattr(source, "_get_current_object", None)
            self._user = resolve() if resolve is not None else source
        return self._user

    # --- who ---------------------------------------------------------------------------------
    @property
    def is_authenticated(self) -> bool:
        return bool(getattr(self.user, "is_authenticated", False))

    @property
    def user_id(self) -> int | None:
        return self.user.id if self.is_authenticated else None

    @property
    def is_suspended(self) -> bool:
        return self.is_authenticated and self.user.is_suspended

    @property
    def is_member(self) -> bool:
        """A verified account in good standing: the least that may take part at all."""
        return self.is_authenticated and self.user.is_verified and not self.user.is_suspended

    @property
    def is_site_admin(self) -> bool:
        return self.is_member and self.user.is_site_admin

    # --- what they hold (one query each, loaded on first use) ---------------------------------
    @property
    def memberships(self) -> dict[int, Membership]:
        if self._memberships is None:
            self._memberships = {}
            if self.is_authenticated:
                rows = db.session.scalars(_MEMBERSHIPS, {"user_id": self.user.id})
                self._memberships = {m.group_id: m for m in rows}
        return self._memberships

    @property
    def appointments(self) -> list[Appointment]:
        """Appointments in force today; an ended term is simply not here."""
        if self._appointments is None:
            self._appointments = []
            if self.is_member:
                self._appointments = list(db.session.scalars(
                    _APPOINTMENTS_IN_FORCE, {"user_id": self.user.id, "today": self.today}))
        return self._appointments

    # --- answering -----------------------------------------------------------------------------
    def ensure(self, ok: bool, hide: bool = False) -> None:
        """Abort unless ``ok``: 404 where existence must not leak, else sign-in or 403."""
        if ok:
            return
        if hide:
            abort(404)
        if not self.is_authenticated:
            abort(login_manager.unauthorized())
        abort(403)
