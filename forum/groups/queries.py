"""Loading groups for pages: load-or-404-then-authorise, the directory, "my groups".

Each function runs a fixed number of queries whatever the number of groups, members or leaders.
"""

from __future__ import annotations

from flask import abort, g
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from forum.extensions import db
from forum.groups.models import Group, GroupKind, Membership, MembershipStatus, Section
from forum.permissions import visible_groups_clause

DIRECTORY_PAGE_SIZE = 20


def get_group(slug: str, *, lead: bool = False, manage: bool = False) -> Group:
    """The group, or 404 if it does not exist for this user; then the role check asked for."""
    group = db.session.scalar(
        select(Group).options(joinedload(Group.section)).where(Group.slug == slug)
    )
    if group is None:
        abort(404)
    perms = g.perms
    perms.ensure(perms.can_view(group), hide=True)
    if lead:
        perms.ensure(perms.can_lead(group))
    if manage:
        perms.ensure(perms.can_manage_group(group))
    return group


def get_section(slug: str) -> Section:
    section = db.session.scalar(select(Section).where(Section.slug == slug))
    if section is None:
        abort(404)
    g.perms.ensure(g.perms.can_admin_section(section.id))
    return section


def get_membership(group: Group, user_id: int, status: MembershipStatus | None = None):
    """A membership of *this* group (a user id from another group's form is simply not here)."""
    query = select(Membership).options(joinedload(Membership.user)).where(
        Membership.group_id == group.id, Membership.user_id == user_id)
    if status is not None:
        query = query.where(Membership.status == status)
    membership = db.session.scalar(query)
    if membership is None:
        abort(404)
    return membership


def find_person(who: str):
    """A verified, existing account by e-mail address or username, or None."""
    from forum.users.services import find_by_email, find_by_username  # no import cycle

    who = (who or "").strip()
    user = find_by_email(who) if "@" in who else find_by_username(who.lstrip("@"))
    if user is None or not user.is_verified:
        return None
    return user


def directory_query(perms, kind: str | None, search: str | None):
    query = select(Group).options(joinedload(Group.section)).where(
        visible_groups_clause(perms), Group.archived_at.is_(None))
    if kind in {k.value for k in GroupKind}:
        query = query.where(Group.kind == GroupKind(kind))
    if search:
        escaped = search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(func.lower(Group.name).like(f"%{escaped.lower()}%", escape="\\"))
    return query.order_by(Group.name, Group.id)


def my_groups(perms) -> list[Membership]:
    if not perms.is_authenticated:
        return []
    return list(db.session.scalars(
        select(Membership).join(Membership.group)
        .options(joinedload(Membership.group))
        .where(Membership.user_id == perms.user_id,
               Membership.status != MembershipStatus.BANNED)
        .order_by(Group.name)
    ))


def pending_count(group: Group) -> int:
    return db.session.scalar(select(func.count(Membership.id)).where(
        Membership.group_id == group.id, Membership.status == MembershipStatus.PENDING)) or 0
