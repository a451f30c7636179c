"""Loading groups for pages: load-or-404-then-authorise, the group page, the directory, "my
groups", the member list.

Each function runs a fixed number of queries whatever the number of groups, members or leaders.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, NamedTuple

from flask import abort
from sqlalchemy import ColumnElement, bindparam, func, or_, select
from sqlalchemy.orm import contains_eager, joinedload

from forum.db import contains_pattern, utcnow
from forum.extensions import db
from forum.groups.appointments import (
    StaffRow,
    current_staff,
    leader_names,
    leaders_column,
    staff_column,
)
from forum.groups.models import (
    Group,
    GroupKind,
    Membership,
    MembershipStatus,
    Section,
    Visibility,
)
from forum.markup import plain_text, render
from forum.pagination import Page, paged, paginate, paginate_entities, with_total
from forum.permissions import Permissions, visible_groups_clause
from forum.users.models import User
from forum.users.services import find_by_email, find_by_username

# A directory page holds 30 groups: enough to scan by eye, and the page stays cheap to build
# whatever the number of groups (filters and search narrow it across pages).
DIRECTORY_PAGE_SIZE = 30


# Statements every group page runs, built once per process (building one costs more than the
# database takes to answer it); values are bound per call.
@cache
def _group_by_slug():
    # Built on first use: a loader option configures the mappers, which must all be imported.
    return select(Group).options(joinedload(Group.section)).where(Group.slug == bindparam("slug"))


@cache
def _group_page_by_slug(signed_in: bool, extra_columns: tuple):
    """The group page's statement: the group with its section (one join), its staff in force
    (JSON), the columns the view asked for and, for a signed-in reader (who may lead it), the
    requests to join waiting. The count is indexed (group, status), cheap for those who do not
    lead. Built once per (reader kind, extra columns): the column makers are module-level
    functions, so the key is stable."""
    stmt = (select(Group, staff_column().label("staff"),
                   *(make().label(name) for name, make in extra_columns))
            .join(Group.section).options(contains_eager(Group.section))
            .where(Group.slug == bindparam("slug")))
    if not signed_in:
        return stmt
    waiting = (select(func.count())
               .where(Membership.group_id == Group.id,
                      Membership.status == MembershipStatus.PENDING)
               .scalar_subquery())
    return stmt.add_columns(waiting.label("waiting"))


@dataclass(frozen=True)
class GroupPage:
    """What the group page prints beside the group: its staff in force, the requests to join
    waiting (None for visitors, who cannot lead) and the values of the extra columns the view
    asked for, by name (their feature reads them)."""

    group: Group
    leaders: list[StaffRow]
    moderators: list[StaffRow]
    waiting: int | None
    extras: dict[str, Any]


def get_group_page(perms, slug: str, *,
                   extra_columns: Mapping[str, Callable[[], ColumnElement]] | None = None
                   ) -> GroupPage:
    """get_group for the group page, or 404: one statement, the group with its section and
    what the page prints beside it. ``extra_columns`` are other features' values the view
    wants with the group (name → a module-level function making a column correlated to
    ``Group``; ``:today`` may be bound): the page spends no statement of its own on them, and
    groups imports no feature above it."""
    signed_in = perms.is_authenticated
    extra = tuple((extra_columns or {}).items())
    row = db.session.execute(_group_page_by_slug(signed_in, extra),
                             {"slug": slug, "today": perms.today}).first()
    if row is None:
        _checked(perms, None)
    values = row._mapping
    leaders, moderators = current_staff(values["staff"])
    return GroupPage(group=_checked(perms, row[0]), leaders=leaders, moderators=moderators,
                     waiting=values["waiting"] if signed_in else None,
                     extras={name: values[name] for name, _make in extra})


def get_group(perms, slug: str, *, lead: bool = False, manage: bool = False) -> Group:
    """The group, or 404 if it does not exist for this reader; then the role check asked for."""
    group = db.session.scalar(_group_by_slug(), {"slug": slug})
    return _checked(perms, group, lead=lead, manage=manage)


def _checked(perms, group: Group | None, *, lead: bool = False,
             manage: bool = False) -> Group:
    if group is None:
        abort(404)
    perms.ensure(perms.can_view(group), hide=True)
    if lead:
        perms.ensure(perms.can_lead(group))
    if manage:
        perms.ensure(perms.can_manage_group(group))
    return group


def get_section(perms, slug: str) -> Section:
    section = db.session.scalar(select(Section).where(Section.slug == slug))
    if section is None:
        abort(404)
    perms.ensure(perms.can_admin_section(section.id))
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
    who = (who or "").strip()
    user = find_by_email(who) if "@" in who else find_by_username(who.lstrip("@"))
    if user is None or not user.is_verified:
        return None
    return user


class DirectoryRow(NamedTuple):
    """A row of the group directory: only what it prints."""

    id: int
    slug: str
    name: str
    kind: GroupKind
    visibility: Visibility
    member_count: int
    last_activity_at: datetime | None
    purpose: str  # plain text of the rendered purpose (never Markdown); the template cuts it
    leaders: str  # "Name (Title), Name", longest-serving first; "" when nobody leads it
    picture_sha256: str | None  # the group's picture (the _macros/groups.html mark), if any
    picture_alt: str


def directory_page(perms, kind: str | None, search: str | None,
                   page: int) -> Page[DirectoryRow]:
    """One page of the directory (only the columns a row prints) with its total: one statement
    (a count of its own only for a page past the end)."""
    kind = kind if kind in _KINDS else None
    params = {"kind": GroupKind(kind) if kind else None, "pattern": None,
              "today": utcnow().date()}
    if search:
        params["pattern"] = contains_pattern(search)
    if perms.is_authenticated:  # what a member sees depends on their memberships
        rows, count = _directory_statements(visible_groups_clause(perms), kind, bool(search))
    else:  # every visitor sees the same groups: statements built once per process
        rows, count = _visitor_directory_statements(kind, bool(search))
    found = paginate(rows, count=count, params=params, page=page, per_page=DIRECTORY_PAGE_SIZE)
    found.items = [
        DirectoryRow(id=r.id, slug=r.slug, name=r.name, kind=r.kind, visibility=r.visibility,
                     member_count=r.member_count, last_activity_at=r.last_activity_at,
                     purpose=purpose_excerpt(r.purpose_html, r.purpose),
                     leaders=leader_names(r.leaders), picture_sha256=r.picture_sha256,
                     picture_alt=r.picture_alt)
        for r in found.items]
    return found


def purpose_excerpt(html: str | None, source: str | None) -> str:
    """The purpose as the directory prints it: the text of the HTML rendered when it was
    written (``markup.render``, sanitized), so no Markdown syntax shows. A row written
    without its HTML (none of the site's forms does that) is rendered here rather than shown
    raw."""
    if not html and source:
        html = render(source)
    return plain_text(html or "")


_KINDS = frozenset(k.value for k in GroupKind.listed())


def _directory_statements(visible, kind: str | None, searching: bool) -> tuple:
    """(rows, count) of the directory; :kind, :pattern and :today are bound per call. The
    rows carry the total (with_total) and each group's leaders (JSON, read with
    ``appointments.leader_names``): one statement, not three."""
    # A section's articles group carries comment threads: never listed.
    where = [visible, Group.archived_at.is_(None), Group.kind != GroupKind.ARTICLES]
    if kind:
        where.append(Group.kind == bindparam("kind"))
    if searching:
        where.append(func.lower(Group.name).like(bindparam("pattern"), escape="\\"))
    count = select(func.count()).where(*where)
    rows = (select(Group.id, Group.slug, Group.name, Group.kind, Group.visibility,
                   Group.member_count, Group.last_activity_at, Group.purpose_html,
                   Group.purpose, Group.picture_sha256, Group.picture_alt,
                   leaders_column().label("leaders"))
            .where(*where).order_by(Group.name, Group.id))
    return with_total(rows, count), count


@cache
def _visitor_directory_statements(kind: str | None, searching: bool) -> tuple:
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


def active_members_page(group_id: int, search: str, page: int) -> Page[Membership]:
    """One page of the group's active members, by display name (two queries: rows, count)."""

    stmt = (select(Membership).join(Membership.user).options(contains_eager(Membership.user))
            .where(Membership.group_id == group_id,
                   Membership.status == MembershipStatus.ACTIVE))
    if search:
        pattern = contains_pattern(search)
        stmt = stmt.where(or_(func.lower(User.display_name).like(pattern, escape="\\"),
                              func.lower(User.username).like(pattern, escape="\\")))
    return paginate_entities(stmt.order_by(func.lower(User.display_name), User.id),
                             page=page, per_page=MEMBERS_PAGE_SIZE)


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


def site_zone(perms) -> str | None:
    """The time zone a visitor reads the site-wide pages in (home, calendar, articles): the
    first section's, where the association meets. None for a member (their own zone wins, so
    it is not asked)."""
    if perms.is_authenticated:
        return None
    return db.session.scalar(select(Section.timezone).order_by(Section.id).limit(1))
