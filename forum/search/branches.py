"""One statement per kind of hit: the index's matches joined to their live rows, filtered by
the kind's rule from ``forum.permissions.search`` and by the reader's filters.

Every branch yields the same columns (entry id, kind, ref id, score, date), so a search of all
kinds is their ``UNION ALL`` under one ORDER BY and LIMIT — permission filtering happens in
the SQL, before any limit, never by dropping rows afterwards."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import literal, select

from forum.articles.models import Article
from forum.discussions.models import Post, Thread
from forum.events.models import Event
from forum.files.models import SharedFile
from forum.groups.models import Group
from forum.permissions import search as rules
from forum.search.engines import ENTRY, Engine
from forum.search.models import SearchKind
from forum.users.models import User


@dataclass(frozen=True)
class Filters:
    group_id: int | None = None
    author_id: int | None = None
    since: datetime | None = None  # inclusive, UTC
    until: datetime | None = None  # exclusive, UTC


def _joined(engine: Engine, kind: SearchKind, base):
    """The live rows of ``kind`` joined to the index, and (group column, author column).

    SQLite, ``ref_id + 0``: the index's rows are reached from the engine's matches only, never
    from a live table through the (kind, ref_id) index — SQLite's planner, left to choose,
    starts a small table (the published articles) and looks every match up for each of its
    rows. PostgreSQL estimates a word's matches from its statistics and chooses well when the
    join is plain (the disguise hid the estimate: a common word's window took 80 ms, not 15)."""
    ref = ENTRY.c.ref_id + 0 if engine.name == "sqlite" else ENTRY.c.ref_id
    if kind == SearchKind.POST:
        return (base.join(Post, Post.id == ref).join(Thread, Thread.id == Post.thread_id)
                .join(Group, Group.id == Thread.group_id), Thread.group_id, Post.author_id)
    if kind == SearchKind.FILE:
        return (base.join(SharedFile, SharedFile.id == ref)
                .join(Group, Group.id == SharedFile.group_id),
                SharedFile.group_id, SharedFile.uploader_id)
    if kind == SearchKind.EVENT:
        return base.join(Event, Event.id == ref), Event.group_id, Event.created_by_id
    if kind == SearchKind.ARTICLE:
        return base.join(Article, Article.id == ref), None, Article.author_id
    if kind == SearchKind.GROUP:
        return base.join(Group, Group.id == ref), None, None
    return base.join(User, User.id == ref), None, None


def _kind_is(engine: Engine, kind: SearchKind):
    """SQLite: FTS5's matches lead (``Engine.matches``); ``kind || ''`` is no index lookup,
    so the planner cannot start from a kind's entries instead. PostgreSQL: plain, so its
    estimate of the kind's share holds (see ``_joined``)."""
    if engine.name == "sqlite":
        return ENTRY.c.kind.concat("") == kind.value
    return ENTRY.c.kind == kind.value


_RULES = {
    SearchKind.POST: rules.searchable_posts_clause,
    SearchKind.FILE: rules.searchable_files_clause,
    SearchKind.EVENT: rules.searchable_events_clause,
    SearchKind.ARTICLE: rules.searchable_articles_clause,
    SearchKind.GROUP: rules.searchable_groups_clause,
    SearchKind.PERSON: rules.searchable_people_clause,
}


def branch(engine: Engine, perms, kind: SearchKind, filters: Filters):
    """The statement of one kind's visible matches (entry id, kind, ref id, date), or None
    when a filter rules the kind out (a group filter leaves no groups, people or articles; an
    author filter no groups or people)."""
    base, condition, entry_id = engine.matches(kind.value)
    joined, group_column, author_column = _joined(engine, kind, base)
    if filters.group_id is not None and group_column is None:
        return None
    if filters.author_id is not None and author_column is None:
        return None
    columns = [entry_id.label("entry_id"), literal(kind.value).label("kind"),
               ENTRY.c.ref_id.label("ref_id"), ENTRY.c.created_at.label("created_at")]
    stmt = (select(*columns).select_from(joined)
            .where(condition, _kind_is(engine, kind), _RULES[kind](perms)))
    if filters.group_id is not None:
        stmt = stmt.where(group_column == filters.group_id)
    if filters.author_id is not None:
        stmt = stmt.where(author_column == filters.author_id)
    if filters.since is not None:
        stmt = stmt.where(ENTRY.c.created_at >= filters.since)
    if filters.until is not None:
        stmt = stmt.where(ENTRY.c.created_at < filters.until)
    return stmt
