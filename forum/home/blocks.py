"""Home page blocks: each feature that has ``forum/<feature>/home.py`` fills its own blocks.

``home_blocks(perms) -> list[dict]`` with keys ``key``, ``title``, ``template``, ``items`` and
``login_prompt`` (show "members — log in to view this content" instead of the items). A feature
that has not landed simply has no module, and its block does not appear.
"""

from __future__ import annotations

import importlib

from sqlalchemy import func, literal, select

from forum.db import run_columns
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
    where = (visible_groups_clause(perms), Group.archived_at.is_(None),
             Group.kind == GroupKind.INTEREST_GROUP)
    count = select(func.count()).where(*where).scalar_subquery()
    offset = func.coalesce(literal(today.toordinal()) % func.nullif(count, 0), 0)
    return run_columns(db.session,
        select(Group.id, Group.slug, Group.name, Group.purpose, Group.purpose_html)
        .where(*where).order_by(Group.id).offset(offset).limit(1)
    ).first()
