"""Who the user is, what they hold today, and how a refusal is answered."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime

from flask import abort
from flask_login import AnonymousUserMixin
from sqlalchemy import Integer, String, bindparam, literal, select, type_coerce, union_all

from forum.db import UTCDateTime, json_datetime, json_rows, json_rows_value, utcnow
from forum.extensions import db, login_manager
from forum.groups.models import Appointment, Membership, MembershipStatus, Role
from forum.permissions.standing import StandingRefused, standing_refusal
from forum.users.models import User


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


@dataclass(frozen=True, slots=True)
class HeldMembership:
    """What the rules need of a membership (the row itself stays in forum.groups)."""

    group_id: int
    status: MembershipStatus
    banned_until: datetime | None


@dataclass(frozen=True, slots=True)
class HeldAppointment:
    """What the rules need of an appointment in force today."""

    group_id: int | None
    section_id: int | None
    role: Role


# Every signed-in request asks both, so they come in one statement: the memberships and the
# appointments in force today, as rows of one shape ("kind" says which). Built once: building
# a statement costs more than SQLite takes to answer it. Parameters are bound per call.
_STANDING = union_all(
    select(literal("m").label("kind"), Membership.group_id,
           literal(None, Integer).label("section_id"),
           type_coerce(Membership.status, String).label("value"), Membership.banned_until)
    .where(Membership.user_id == bindparam("user_id")),
    select(literal("a"), Appointment.group_id, Appointment.section_id,
           type_coerce(Appointment.role, String), literal(None, UTCDateTime()))
    .where(Appointment.user_id == bindparam("user_id"),
           Appointment.in_force_clause(bindparam("today"))),
)


# The signed-in user's memberships and appointments also ride in the statement that loads them
# from their session (forum.auth.sessions.load_user), as JSON: a signed-in request then spends
# no statement of its own on them. _STANDING stays for anyone else.
def held_memberships_column():
    return (select(json_rows(Membership.group_id, Membership.status, Membership.banned_until))
            .where(Membership.user_id == User.id).scalar_subquery())


def held_appointments_column():
    return (select(json_rows(Appointment.group_id, Appointment.section_id, Appointment.role))
            .where(Appointment.user_id == User.id,
                   Appointment.in_force_clause(bindparam("today")))
            .scalar_subquery())


class PermissionsBase:
    def __init__(self, user=None, today: date | None = None) -> None:
        # ``current_user`` arrives as a proxy: resolved on first use (a request that never asks
        # loads no user), then kept, because a page asks hundreds of times and every proxy
        # look-up costs a context-variable walk.
        self._user_source = user if user is not None else AnonymousUserMixin()
        self._user = None
        self.today = today or utcnow().date()
        self._memberships: dict[int, HeldMembership] | None = None
        self._appointments: list[HeldAppointment] | None = None
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

    # --- what they hold (one query for both, on first use) -------------------------------------
    @property
    def memberships(self) -> dict[int, HeldMembership]:
        if self._memberships is None:
            self._load_standing()
        return self._memberships

    @property
    def appointments(self) -> list[HeldAppointment]:
        """Appointments in force today; an ended term is simply not here."""
        if self._appointments is None:
            self._load_standing()
        return self._appointments

    def _load_standing(self) -> None:
        self._memberships, self._appointments = {}, []
        if not self.is_authenticated:
            return
        # Loaded with the signed-in user from their session (forum.auth.sessions.load_user).
        preloaded = getattr(self.user, "loaded_with_session", None)
        if preloaded is not None and preloaded.on == self.today:
            rows = [("m", gid, None, status, json_datetime(until))
                    for gid, status, until in json_rows_value(preloaded.held_memberships)]
            rows += [("a", gid, sid, role, None) for gid, sid, role
                     in json_rows_value(preloaded.held_appointments)]
        else:  # not the signed-in user of this request (or not loaded with them)
            rows = db.session.execute(_STANDING, {"user_id": self.user.id, "today": self.today})
        for kind, group_id, section_id, value, banned_until in rows:
            if kind == "m":
                self._memberships[group_id] = HeldMembership(
                    group_id, MembershipStatus(value), banned_until)
            elif self.is_member:  # a suspended or unverified account holds no office
                self._appointments.append(HeldAppointment(group_id, section_id, Role(value)))

    # --- answering -----------------------------------------------------------------------------
    def ensure(self, ok: bool, hide: bool = False, group=None) -> None:
        """Abort unless ``ok``: 404 where existence must not leak, else sign-in or 403. A
        suspended account, or one banned from ``group`` (default: the group the URL's
        ``slug`` names), is told why, until when and whom to write to (``standing``)."""
        if ok:
            return
        if hide:
            abort(404)
        if not self.is_authenticated:
            abort(login_manager.unauthorized())
        standing = standing_refusal(self, group)
        if standing is not None:
            raise StandingRefused(standing)
        abort(403)
