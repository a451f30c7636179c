"""Appointments: leaders, moderators and section admins, each with a term.

A term is ``[starts_on, ends_on)``: it grants rights from its first day and none on ``ends_on``.
Rows are never deleted; ending a term early sets ``ends_on`` to today, so rights stop today and
the leadership history keeps the term.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple

from flask import current_app
from sqlalchemy import Date, bindparam, or_, select
from sqlalchemy.orm import joinedload

from forum.db import json_rows, json_rows_value, utcnow
from forum.extensions import db
from forum.groups.models import Appointment, Group, Role, Section
from forum.groups.services import Result
from forum.users.models import User

SUGGESTED_TITLES = ("Chair", "Co-chair", "Vice-chair", "Chair-elect", "Convener", "Co-convener",
                    "Past chair", "Secretary", "Moderator", "Team lead")
RENEWAL_WINDOW_DAYS = 60


def association_year(today: date | None = None) -> tuple[date, date]:
    """The association's year containing ``today``: (first day, first day of the next year)."""
    today = today or utcnow().date()
    raw = str(current_app.config.get("ASSOCIATION_YEAR_START") or "07-01")
    try:
        month, day = (int(part) for part in raw.split("-"))
        start = date(today.year, month, day)
    except ValueError:
        month, day, start = 7, 1, date(today.year, 7, 1)
    if start > today:
        start = date(today.year - 1, month, day)
    return start, date(start.year + 1, month, day)


def appoint(*, user, role: Role, starts_on: date, ends_on: date | None, title: str,
            appointed_by, group: Group | None = None, section: Section | None = None) -> Result:
    """Record a term; the same person, role, scope and start twice is one term."""
    if ends_on is not None and ends_on <= starts_on:
        raise ValueError("The term must end after it starts.")
    scope = (Appointment.group_id == group.id) if group is not None else \
        (Appointment.section_id == section.id)
    duplicate = db.session.scalar(select(Appointment.id).where(
        scope, Appointment.user_id == user.id, Appointment.role == role,
        Appointment.starts_on == starts_on,
    ))
    if duplicate is not None:
        return Result(False, f"{user.display_name} already holds that term.")
    db.session.add(Appointment(
        user_id=user.id, role=role, title=title.strip()[:80], starts_on=starts_on,
        ends_on=ends_on, appointed_by_id=appointed_by.id,
        group_id=group.id if group is not None else None,
        section_id=section.id if section is not None else None,
    ))
    db.session.flush()
    label = title or role.value.replace("_", " ")
    return Result(True, f"{user.display_name} appointed {label}.")


def end_term(appointment: Appointment, today: date | None = None) -> Result:
    """End a term today (rights stop today). A term that has not begun ends by vanishing."""
    today = today or utcnow().date()
    if appointment.ends_on is not None and appointment.ends_on <= today:
        return Result(False, "That term has already ended.")
    if appointment.starts_on >= today:
        # A future term cannot end before it starts (term_order); it never happened.
        db.session.delete(appointment)
        db.session.flush()
        return Result(True, "The term that had not yet begun was withdrawn.")
    appointment.ends_on = today
    db.session.flush()
    return Result(True, f"The term of {appointment.user.display_name} ended today.")


def group_staff(group: Group, today: date | None = None) -> list[Appointment]:
    """Leaders, moderators and volunteers' seats (role editor: "Coordinator") in force: one
    query, people loaded with them."""
    today = today or utcnow().date()
    return list(db.session.scalars(
        select(Appointment).options(joinedload(Appointment.user))
        .where(Appointment.group_id == group.id, Appointment.in_force_clause(today),
               Appointment.role.in_((Role.LEADER, Role.MODERATOR, Role.EDITOR)))
        .order_by(Appointment.role.desc(), Appointment.starts_on, Appointment.id)
    ))


class StaffRow(NamedTuple):
    """A leader or moderator in force, as the group page prints them."""

    title: str
    display_name: str
    starts_on: date
    last_day: date | None  # the last day of the term (ends_on is exclusive); None: open


def staff_column():
    """The group's leaders and moderators in force, as one JSON value (read with
    ``current_staff``), for the statement that loads the group (``Group`` correlated, ``today``
    bound): the group page spends no statement of its own on them."""
    return (select(json_rows(Appointment.role, Appointment.title, User.display_name,
                             Appointment.starts_on, Appointment.ends_on, Appointment.id))
            .join(User, User.id == Appointment.user_id)
            .where(Appointment.group_id == Group.id,
                   Appointment.in_force_clause(bindparam("today", type_=Date)),
                   Appointment.role.in_((Role.LEADER, Role.MODERATOR)))
            .scalar_subquery())


def leaders_column():
    """A group's leaders in force as one JSON value (read with ``leader_names``), for the
    statement that lists groups (``Group`` correlated, ``today`` bound): the directory's page
    of groups brings its leaders in the same statement."""
    return (select(json_rows(User.display_name, Appointment.title, Appointment.starts_on,
                             Appointment.id))
            .select_from(Appointment).join(User, User.id == Appointment.user_id)
            .where(Appointment.group_id == Group.id, Appointment.role == Role.LEADER,
                   Appointment.in_force_clause(bindparam("today", type_=Date)))
            .scalar_subquery())


def current_staff(value) -> tuple[list[StaffRow], list[StaffRow]]:
    """(leaders, moderators) from a ``staff_column`` value, longest-serving first."""
    leaders, moderators = [], []
    rows = sorted(json_rows_value(value), key=lambda row: (row[3], row[5]))  # starts_on, id
    for role, title, name, starts_on, ends_on, _id in rows:
        last_day = date.fromisoformat(ends_on) - timedelta(days=1) if ends_on else None
        row = StaffRow(title, name, date.fromisoformat(starts_on), last_day)
        (leaders if role == Role.LEADER else moderators).append(row)
    return leaders, moderators


def leader_names(value) -> str:
    """"Name (Title), Name" from a ``leaders_column`` value, longest-serving first."""
    rows = sorted(json_rows_value(value), key=lambda row: (row[2], row[3]))  # starts_on, id
    return ", ".join(f"{name} ({title})" if title else name for name, title, _s, _i in rows)


def history(group: Group, roles: tuple[Role, ...] = (Role.LEADER,)) -> list[Appointment]:
    """Every term in these roles, newest first (past, current and future). The public
    history adds the seats volunteers are accepted to (role editor: "Coordinator"); the
    leaders' admin page, which appoints leaders only, keeps to leaders."""
    return list(db.session.scalars(
        select(Appointment).options(joinedload(Appointment.user), joinedload(
            Appointment.appointed_by))
        .where(Appointment.group_id == group.id, Appointment.role.in_(roles))
        .order_by(Appointment.starts_on.desc(), Appointment.id.desc())
    ))


def ending_soon(section: Section, today: date | None = None) -> list[Appointment]:
    """Terms in the section (its groups and its admins) that end in the next 60 days."""
    today = today or utcnow().date()
    horizon = today + timedelta(days=RENEWAL_WINDOW_DAYS)
    group_ids = select(Group.id).where(Group.section_id == section.id).scalar_subquery()
    return list(db.session.scalars(
        select(Appointment).options(joinedload(Appointment.user), joinedload(Appointment.group))
        .where(or_(Appointment.group_id.in_(group_ids), Appointment.section_id == section.id),
               Appointment.starts_on <= today, Appointment.ends_on > today,
               Appointment.ends_on <= horizon)
        .order_by(Appointment.ends_on, Appointment.id)
    ))


def section_admins(section: Section, today: date | None = None,
                   role: Role = Role.SECTION_ADMIN) -> list[Appointment]:
    """The section's admins (or, with ``role``, its editors) in force today."""
    today = today or utcnow().date()
    return list(db.session.scalars(
        select(Appointment).options(joinedload(Appointment.user))
        .where(Appointment.section_id == section.id, Appointment.role == role,
               Appointment.in_force_clause(today))
        .order_by(Appointment.starts_on, Appointment.id)
    ))


def section_editors(section: Section, today: date | None = None) -> list[Appointment]:
    """The section's editors in force today (they write its articles)."""
    return section_admins(section, today, role=Role.EDITOR)
