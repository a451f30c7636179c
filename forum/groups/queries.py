"""Loading groups for pages: load-or-404-then-authorise, the directory, "my groups".

Each function runs a fixed number of queries whatever the number of groups, members or leaders.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from flask import abort, g
from sqlalchemy import ColumnElement, bindparam, func, or_, select
from sqlalchemy.orm import contains_eager, joinedload
from sqlalchemy.orm.attributes import set_committed_value

from forum.db import contains_pattern, entity_columns, run_columns, split_entities, utcnow
from forum.extensions import db
from forum.groups.appointments import leaders_column
from forum.groups.models import Group, GroupKind, Membership, MembershipStatus, Section
from forum.groups.paging import RowPage, paged, with_total
from forum.permissions import visible_groups_clause

# A directory page holds 30 groups: enough to scan by eye, and the page stays cheap to build
# whatever the number of groups (filters and search narrow it across pages).
DIRECTORY_PAGE_SIZE = 30


# Statements every group page runs, built once per process (building one costs more than the
# database takes to answer it); values are bound per call.
@cache
def _group_by_slug():
    # Built on first use: a loader option configures the mappers, which must all be imported.
    return select(Group).options(joinedload(Group.section)).where(Group.slug == bindparam("slug"))


# What other features print beside the group on its page, as columns of the group's own
# statement (correlated to ``Group``; ``today`` may be bound): the page then spends no
# statement on them. A feature registers its column at import (files: the recent files) and
# reads the value back with ``group_page_value``.
_PAGE_COLUMNS: dict[str, Callable[[], ColumnElement]] = {}
NOT_LOADED = object()  # group_page_value: this request's group page did not load it


def group_page_column(name: str, column: Callable[[], ColumnElement]) -> None:
    _PAGE_COLUMNS[name] = column
    _group_page_by_slug.cache_clear()


def group_page_value(group: Group, name: str):
    """The value of a registered column as the group page loaded it for ``group`` in this
    request, or ``NOT_LOADED`` (another page: ask the database yourself)."""
    loaded = g.get("_group_page_values")
    if loaded is None or loaded[0] != group.id:
        return NOT_LOADED
    return loaded[1].get(name, NOT_LOADED)


@cache
def _group_page_by_slug(signed_in: bool):
    """The group page's statement: the group's and its section's columns (read as detached
    entities: forum.db.detached_entity), its staff in force (JSON), the registered columns
    and, for a signed-in reader (who may lead it), the requests to join waiting. The count is
    indexed (group, status), cheap for those who do not lead."""
    from forum.groups.appointments import staff_column

    stmt = (select(*entity_columns(Group), *entity_columns(Section), staff_column(),
                   *(make().label(name) for name, make in _PAGE_COLUMNS.items()))
            .join(Section, Section.id == Group.section_id)
            .where(Group.slug == bindparam("slug")))
    if not signed_in:
        return stmt
    waiting = (select(func.count())
               .where(Membership.group_id == Group.id,
                      Membership.status == MembershipStatus.PENDING)
               .scalar_subquery())
    return stmt.add_columns(waiting)


def get_group(slug: str, *, lead: bool = False, manage: bool = False) -> Group:
    """The group, or 404 if it does not exist for this user; then the role check asked for."""
    group = db.session.scalar(_group_by_slug(), {"slug": slug})
    return _checked(group, lead=lead, manage=manage)


def get_group_page(slug: str) -> tuple[Group, object, int | None]:
    """get_group for the group page, which only reads it (the group and its section come
    detached), plus what the page prints beside it: ``(group, staff, waiting)`` — staff for
    ``appointments.current_staff``; waiting None for visitors, who cannot lead. The
    registered columns' values are kept for ``group_page_value``."""
    signed_in = g.perms.is_authenticated
    row = run_columns(db.session, _group_page_by_slug(signed_in),
                      {"slug": slug, "today": g.perms.today}).first()
    if row is None:
        _checked(None)
    (group, section), (staff, *rest) = split_entities(row, Group, Section)
    set_committed_value(group, "section", section)
    g._group_page_values = (group.id, dict(zip(_PAGE_COLUMNS, rest, strict=False)))
    waiting = rest[len(_PAGE_COLUMNS)] if signed_in else None
    return _checked(group), staff, waiting


def _checked(group: Group | None, *, lead: bool = False, manage: bool = False) -> Group:
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


def directory_page(perms, kind: str | None, search: str | None, page: int) -> RowPage:
    """One page of the directory as plain rows (only the columns a row prints), + a count."""
    kind = kind if kind in _KINDS else None
    params = {"kind": GroupKind(kind) if kind else None, "pattern": None,
              "today": utcnow().date()}
    if search:
        params["pattern"] = contains_pattern(search)
    if perms.is_authenticated:  # what a member sees depends on their memberships
        rows, count = _directory_statements(visible_groups_clause(perms), kind, bool(search))
    else:  # every visitor sees the same groups: statements built once per process
        rows, count = _visitor_directory_statements(kind, bool(search))
    return RowPage(select=rows, count_select=count, params=params, page=max(page, 1),
                   per_page=DIRECTORY_PAGE_SIZE, max_per_page=DIRECTORY_PAGE_SIZE,
                   error_out=False)


_KINDS = frozenset(k.value for k in GroupKind)


def _directory_statements(visible, kind: str | None, searching: bool) -> tuple:
    """(rows, count) of the directory; :kind, :pattern and :today are bound per call. The
    rows carry the total (with_total) and each group's leaders (JSON, read with
    ``appointments.leader_names``): one statement, not three."""
    where = [visible, Group.archived_at.is_(None)]
    if kind:
        where.append(Group.kind == bindparam("kind"))
    if searching:
        where.append(func.lower(Group.name).like(bindparam("pattern"), escape="\\"))
    count = select(func.count()).where(*where)
    rows = (select(Group.id, Group.slug, Group.name, Group.kind, Group.visibility,
                   Group.member_count, Group.last_activity_at, Group.purpose,
                   leaders_column().label("leaders"))
            .where(*where).order_by(Group.name, Group.id))
    return with_total(rows, count), count


@cache
def _visitor_directory_statements(kind: str | None, searching: bool) -> tuple:
    from forum.permissions import Permissions

    rows, count = _directory_statements(visible_groups_clause(Permissions()), kind, searching)
    return paged(rows), count


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


# The leaders' member list: 50 a page, so a group of thousands stays one quick page to scan,
# with a search by name or username to find the one to remove.
MEMBERS_PAGE_SIZE = 50


def active_members_page(group_id: int, search: str, page: int):
    """One page of the group's active members, by display name (two queries: rows, count)."""
    from forum.users.models import User

    stmt = (select(Membership).join(Membership.user).options(contains_eager(Membership.user))
            .where(Membership.group_id == group_id,
                   Membership.status == MembershipStatus.ACTIVE))
    if search:
        pattern = contains_pattern(search)
        stmt = stmt.where(or_(func.lower(User.display_name).like(pattern, escape="\\"),
                              func.lower(User.username).like(pattern, escape="\\")))
    return db.paginate(stmt.order_by(func.lower(User.display_name), User.id),
                       page=max(page, 1), per_page=MEMBERS_PAGE_SIZE,
                       max_per_page=MEMBERS_PAGE_SIZE, error_out=False, count=True)


def waiting_memberships(group_id: int) -> dict[str, list[Membership]]:
    """Requests to join and unanswered invitations, oldest first, by status."""
    rows = db.session.scalars(
        select(Membership).options(joinedload(Membership.user))
        .where(Membership.group_id == group_id,
               Membership.status.in_((MembershipStatus.PENDING, MembershipStatus.INVITED)))
        .order_by(Membership.id))
    by_status = {"pending": [], "invited": []}
    for m in rows:
        by_status[m.status.value].append(m)
    return by_status
