"""Which generations a transaction bumps: one listener on every SQLAlchemy session.

While a transaction runs, every row it writes is noted — rows the unit of work flushes
(``after_flush``: new, changed and deleted objects, with the old values of a moved row) and rows
that bulk statements write (``do_orm_execute``: ``update()``, ``delete()``, ``insert()``, read
from the statement's WHERE and VALUES). When the outermost transaction commits, the noted
generations are bumped, once (``after_commit``); a rollback forgets them. Bumping after the
commit, never before, is what makes it safe: a page rendered from data older than the write was
keyed on a generation older than the bump.

Each table says how its rows name a group and a user (``GROUP_VIA``, ``USER_VIA``). A table
listed nowhere, or a statement whose rows cannot be told from its text (a subquery in the WHERE,
an INSERT … SELECT, raw SQL), bumps the epoch: every page's key changes. That is always right,
only slower, so a new table is safe before anyone lists it here.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from flask import current_app, has_app_context
from sqlalchemy import event, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key
from sqlalchemy.sql.elements import TextClause

from forum.db import Base
from forum.pagecache.statements import where_values, written_values

log = logging.getLogger(__name__)

# Rows no page shows (or only their owner's private pages, never cached nor tagged). The
# search index and the words read from files are shown by the search page only, which is
# never cached (it is always searched afresh).
IGNORED = frozenset({"auth_sessions", "calendar_feeds", "deliveries", "digest_cursors",
                     "file_texts", "mail_bounces", "search_entries", "submissions",
                     "throttle_counters"})
# Columns no tagged page shows: a download's count is on the library and file pages only.
QUIET = {"shared_files": frozenset({"download_count"})}
# How a row names its group: a column holding the group's id, or (column, parent table).
GROUP_VIA: dict[str, str | tuple[str, str]] = {
    "groups": "id", "threads": "group_id", "shared_files": "group_id", "folders": "group_id",
    "library_settings": "group_id", "group_moderation_settings": "group_id",
    "moderation_log": "group_id", "opportunities": "group_id", "flags": "group_id",
    "memberships": "group_id", "appointments": "group_id",
    "posts": ("thread_id", "threads"), "post_revisions": ("post_id", "posts"),
    "attachments": ("post_id", "posts"), "recommendations": ("post_id", "posts"),
    "file_versions": ("file_id", "shared_files"),
    # A section-wide event (no group) names none: its writes bump every page, as they should.
    "events": "group_id", "rsvps": ("event_id", "events"),
    "recordings": ("event_id", "events"),
}
# How a row names the one member whose own pages it changes (read marks, the bell, rights).
USER_VIA = {
    "users": "id", "memberships": "user_id", "appointments": "user_id",
    "recommendations": "user_id", "thread_reads": "user_id", "notifications": "user_id",
    "subscriptions": "user_id", "notification_settings": "user_id",
    "rsvps": "user_id",
}
# A member's name and time zone appear on every page they wrote on: their row bumps everything.
EPOCH_TOO = frozenset({"users"})
# A new row of these shows nowhere until a group, post or membership names it (and bumps).
NEW_SHOWS_NOWHERE = frozenset({"users", "sections"})
# Which groups the cache serves, and under which slug, hangs on these (the slug map).
GROUP_IDENTITY = frozenset({"slug", "visibility", "section_id"})

_INFO = "pagecache_pending"
_MISSING = object()


@dataclass
class Pending:
    groups: set = field(default_factory=set)
    users: set = field(default_factory=set)
    epoch: bool = False
    slugs: bool = False  # a group was added, removed, renamed or changed visibility
    named: dict = field(default_factory=dict)  # group id → (slug, visibility) as committed
    seen: dict = field(default_factory=dict)  # (table, id, column) → value, per transaction


def pending(session: Session) -> Pending:
    found = session.info.get(_INFO)
    if found is None:
        found = session.info[_INFO] = Pending()
    return found


def note_row(session: Session, table: str, values: dict[str, set], *, new: bool = False) -> None:
    """Note a written row of ``table``; ``values``: column → the values it had and has."""
    if table in IGNORED:
        return
    todo = pending(session)
    if new and table in NEW_SHOWS_NOWHERE:
        pass  # only a new member's own generation, below
    elif table in EPOCH_TOO or (table not in GROUP_VIA and table not in USER_VIA):
        todo.epoch = True
    if table in USER_VIA:
        users = _column(session, table, USER_VIA[table], values)
        if users is None or None in users:
            todo.epoch = True
        else:
            todo.users |= users
    if table in GROUP_VIA:
        groups = _groups(session, table, values)
        if groups is None or None in groups:  # a section's appointment, an unknown row
            todo.epoch = True
        else:
            todo.groups |= groups


def _groups(session: Session, table: str, values: dict[str, set]) -> set | None:
    via = GROUP_VIA[table]
    if isinstance(via, str):
        return _column(session, table, via, values)
    column, parent = via
    parent_ids = _column(session, table, column, values)
    if parent_ids is None or None in parent_ids:
        return None
    return _groups(session, parent, {"id": parent_ids})


def _column(session: Session, table: str, column: str, values: dict[str, set]) -> set | None:
    """The values ``column`` has in the rows described: given, or read by the rows' ids —
    from the objects the session holds, else in one statement (before a bulk write runs)."""
    if column in values:
        return values[column]
    ids = values.get("id")
    if not ids or None in ids:
        return None
    seen = pending(session).seen
    found, missing = set(), []
    cls = _classes().get(table)
    for row_id in ids:
        value = seen.get((table, row_id, column), _MISSING)
        if value is _MISSING and cls is not None:
            obj = session.identity_map.get(identity_key(cls, row_id))
            if obj is not None:
                value = sa_inspect(obj).dict.get(column, _MISSING)
        if value is _MISSING:
            missing.append(row_id)
        else:
            found.add(value)
    if missing:
        t = Base.metadata.tables[table]
        rows = session.connection().execute(
            select(t.c.id, t.c[column]).where(t.c.id.in_(missing)))
        for row_id, value in rows:
            seen[(table, row_id, column)] = value
            found.add(value)
    return found


_CLASSES: dict[str, type] = {}


def _classes() -> dict[str, type]:
    if not _CLASSES:
        for mapper in Base.registry.mappers:
            _CLASSES.setdefault(mapper.local_table.name, mapper.class_)
    return _CLASSES


# --- the unit of work -----------------------------------------------------------------------

@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, context) -> None:
    # Still the flush's "before" picture here: new/dirty/deleted and attribute history.
    for obj, kind in ([(o, "new") for o in session.new] + [(o, "dirty") for o in session.dirty]
                      + [(o, "deleted") for o in session.deleted]):
        _note_object(session, obj, kind)


def _note_object(session: Session, obj, kind: str) -> None:
    state = sa_inspect(obj)
    mapper = state.mapper
    table = mapper.local_table.name
    if table in IGNORED:
        return
    values: dict[str, set] = {}
    changed = set()
    for prop in mapper.column_attrs:
        name = prop.columns[0].name
        history = state.attrs[prop.key].history
        if history.added or history.deleted:
            changed.add(name)
        current = state.dict.get(prop.key, _MISSING)
        now = {current} if current is not _MISSING else set()
        values[name] = now | {v for v in history.deleted if v is not None}
        if not values[name]:
            del values[name]  # expired and unchanged: _column reads it by the row's id
    if kind == "dirty" and (not changed or changed <= QUIET.get(table, frozenset())):
        return
    if table == "groups":
        _note_group(session, state, kind, changed)
    note_row(session, table, values, new=kind == "new")


def _note_group(session: Session, state, kind: str, changed: set) -> None:
    todo = pending(session)
    if kind != "dirty" or changed & GROUP_IDENTITY:
        todo.slugs = True  # its own pages and the site's follow from its group generation
    slug, visibility = state.dict.get("slug"), state.dict.get("visibility")
    if kind != "deleted" and slug is not None and visibility is not None:
        # Handed to the slug map after the commit, so a new group's first page needs no lookup.
        todo.named[state.dict["id"]] = (slug, str(getattr(visibility, "value", visibility)))


# --- bulk statements ------------------------------------------------------------------------

@event.listens_for(Session, "do_orm_execute")
def _on_execute(state) -> None:
    stmt = state.statement
    if isinstance(stmt, TextClause):  # raw SQL: cannot tell what it writes
        if stmt.text.lstrip()[:6].lower() not in ("select", "pragma"):
            pending(state.session).epoch = True
        return
    if not (state.is_update or state.is_delete or state.is_insert):
        return
    table = stmt.table.name
    if table in IGNORED:
        return
    written = written_values(state, stmt)
    if state.is_update and set(written) <= QUIET.get(table, frozenset()):
        return
    if table == "groups" and (not state.is_update or set(written) & GROUP_IDENTITY):
        pending(state.session).slugs = True
    values = {} if state.is_insert else where_values(stmt, table)
    for column in _naming_columns(table) & set(written):
        new = written[column]
        if state.is_update and column not in values:
            old = _column(state.session, table, column, values)
            if old is None:  # a moved row whose old home is unknown
                pending(state.session).epoch = True
                return
            new = new | old
        values[column] = new
    note_row(state.session, table, values)


def _naming_columns(table: str) -> set[str]:
    via = GROUP_VIA.get(table)
    return {c for c in ("id", USER_VIA.get(table), via if isinstance(via, str) else
                        via[0] if via else None) if c}


# --- the end of the transaction -------------------------------------------------------------

@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    # Also called when a SAVEPOINT is released: only the outermost commit makes rows visible.
    if session.in_nested_transaction():
        return
    todo = session.info.pop(_INFO, None)
    if todo is None or not (todo.groups or todo.users or todo.epoch or todo.slugs):
        return
    if not has_app_context():
        return
    cache = current_app.extensions.get("pagecache")
    if cache is not None:
        cache.bump(todo)


@event.listens_for(Session, "after_transaction_end")
def _after_transaction_end(session: Session, transaction) -> None:
    if transaction.parent is None:  # the outermost ended (committed above, or rolled back)
        session.info.pop(_INFO, None)
