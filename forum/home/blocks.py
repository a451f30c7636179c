"""Home page blocks: each feature that has ``forum/<feature>/home.py`` fills its own blocks.

``home_blocks(perms) -> list[dict]`` with keys ``key``, ``title``, ``template``, ``items`` and
``login_prompt`` (show "members — log in to view this content" instead of the items). A feature
that has not landed simply has no module, and its block does not appear.
"""

from __future__ import annotations

import importlib
from functools import cache

from sqlalchemy import Integer, bindparam, func, select

from forum.db import run_columns, sql_int
from forum.extensions import db
from forum.groups.models import Group, GroupKind
from forum.permissions import visible_groups_clause

FEATURES = ("discussions", "files", "volunteering")
# Blocks the design promises whose features do not exist yet: shown as a quiet empty state.
NOT_YET = (
    ("events", "Upcoming events"),
    ("recordings", "New recordings"),
    ("articles", "Latest articles"),
)
REQUIRED_KEYS = {"key", "title", "template", "items", "login_prompt"}


def feature_blocks(perms) -> list[dict]:
    blocks: list[dict] = []
    for feature in FEATURES:
        module = _home_module(feature)
        if module is None or not hasattr(module, "home_blocks"):
            continue
        for block in module.home_blocks(perms) or []:
            if REQUIRED_KEYS <= set(block):
                blocks.append(block)
    return blocks


def _home_module(feature: str):
    name = f"forum.{feature}.home"
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name != name:
            raise
        return None


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
    return (select(Group.id, Group.slug, Group.name, Group.purpose, Group.purpose_html)
            .where(*where).order_by(Group.id).offset(offset).limit(sql_int(1)))


@cache
def _visitor_spotlight_statement():
    """Every visitor may know of the same groups: built once per process (building it cost
    more than running it)."""
    from forum.permissions import Permissions

    return _spotlight_statement(visible_groups_clause(Permissions()))
