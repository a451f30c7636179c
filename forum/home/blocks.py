"""Home page blocks: each feature listed in ``FEATURES`` fills its own blocks from its
``forum/<feature>/home.py``.

``home_blocks(perms) -> list[HomeBlock]`` (``forum.home_block``): the card's key, title, the
template that prints its items, and ``login_prompt`` (show "members — log in to view this
content" instead of the items). A new feature with blocks adds its home module to ``FEATURES``.
"""

from __future__ import annotations

from functools import cache

from sqlalchemy import Integer, bindparam, func, select

from forum.articles import home as articles_home
from forum.db import run_columns, sql_int
from forum.discussions import home as discussions_home
from forum.events import home as events_home
from forum.extensions import db
from forum.files import home as files_home
from forum.groups.models import Group, GroupKind
from forum.home_block import HomeBlock
from forum.permissions import Permissions, visible_groups_clause
from forum.volunteering import home as volunteering_home

# The features with blocks on the home page, in the page's order: each offers
# ``home_blocks(perms)`` in its home module.
FEATURES = (events_home, discussions_home, files_home, articles_home, volunteering_home)


def feature_blocks(perms) -> list[HomeBlock]:
    return [block for module in FEATURES for block in module.home_blocks(perms)]


def spotlight(perms, today):
    """One interest group the viewer may know of, rotating by day: deterministic, no writes.

    One statement: the day's offset is taken modulo a count subquery, so the page does not ask
    for the count first (NULLIF: no such group is no row, not a division by zero)."""
    if perms.is_authenticated:  # what a member may know of depends on their memberships
        stmt = _spotlight_statement(visible_groups_clause(perms))
    else:
        stmt = _visitor_spotlight_statement()
    return run_columns(db.session, stmt, {"day": today.toordinal()}).first()


def _spotlight_statement(visible):
    where = (visible, Group.archived_at.is_(None), Group.kind == GroupKind.INTEREST_GROUP)
    count = select(func.count()).where(*where).scalar_subquery()
    offset = func.coalesce(bindparam("day", type_=Integer) % func.nullif(count, 0), 0)
    return (select(Group.id, Group.slug, Group.name, Group.purpose, Group.purpose_html,
                   Group.picture_sha256, Group.picture_alt)
            .where(*where).order_by(Group.id).offset(offset).limit(sql_int(1)))


@cache
def _visitor_spotlight_statement():
    """Every visitor may know of the same groups: built once per process (building it cost
    more than running it)."""
    return _spotlight_statement(visible_groups_clause(Permissions()))
