"""Who is named by a post (@mentions), and splitting long id lists for SQL.

Who may hear about a post (its group's readers, as one SQL filter over many users) is a
permission rule: ``forum.permissions.audience`` (``can_read_clause``, ``may_announce``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import select

from forum.extensions import db
from forum.markup import mention_candidates
from forum.users.models import User
from forum.users.names import NameError_, username_key

MAX_MENTIONS = 50
IN_LIMIT = 900
_CODE = re.compile(r"```.*?```|~~~.*?~~~|`[^`\n]*`|^(?: {4}|\t)[^\n]*$", re.S | re.M)


def mentioned_keys(source: str) -> set[str]:
    """The username keys @mentioned in Markdown source (code spans and blocks excluded)."""
    keys: set[str] = set()
    for name in sorted(mention_candidates(_CODE.sub(" ", source or ""))):
        try:
            keys.add(username_key(name))
        except NameError_:
            continue
        if len(keys) >= MAX_MENTIONS:
            break
    return keys


def chunks(items: Iterable, size: int = IN_LIMIT) -> list[list]:
    """Split a long IN list: SQLite caps bound parameters (32766, or 999 when built old)."""
    items = sorted(items)
    return [items[i:i + size] for i in range(0, len(items), size)]


def user_ids_for_keys(keys: set[str]) -> dict[str, int]:
    if not keys:
        return {}
    rows = db.session.execute(select(User.username_key, User.id)
                              .where(User.username_key.in_(keys)))
    return {k: i for k, i in rows}
