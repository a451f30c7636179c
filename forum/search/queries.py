"""The search page's read function: ``search(perms, request)`` → ``SearchResults``.

Four statements and one per kind on the page, whatever the index's size: the counts per kind
(each capped at ``COUNT_CAP``: "1,000+" is as useful as an exact number and far cheaper for a
common word), the hits (newest first: one page of them; best match: the window and its
scores), their marked passages, and their links."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import func, literal_column, select, union_all

from forum.extensions import db
from forum.pagination import Page
from forum.search.branches import Filters, branch
from forum.search.documents import MARK_END, MARK_START
from forum.search.engines import engine_for
from forum.search.hits import load_links
from forum.search.models import SearchKind
from forum.search.parsing import ParsedQuery

PER_PAGE = 20
COUNT_CAP = 1000  # counts stop here; pages go no further than its last page
RANK_WINDOW = 2000  # both sorts order at most the newest this many visible matches per kind
KINDS = tuple(SearchKind)
KIND_LABELS = {
    SearchKind.POST: "Discussions", SearchKind.FILE: "Files", SearchKind.EVENT: "Events",
    SearchKind.ARTICLE: "Articles", SearchKind.GROUP: "Groups", SearchKind.PERSON: "People",
}


class Segment(NamedTuple):
    text: str
    marked: bool


@dataclass(frozen=True)
class SearchRequest:
    parsed: ParsedQuery
    kind: SearchKind | None = None  # None: every kind
    filters: Filters = field(default_factory=Filters)
    by_date: bool = False
    page: int = 1


@dataclass(frozen=True)
class KindCount:
    kind: SearchKind | None
    label: str
    count: int
    capped: bool


@dataclass(frozen=True)
class Hit:
    kind: SearchKind
    title: list[Segment]
    passage: list[Segment]
    endpoint: str
    args: dict
    where: str
    author: str | None
    when: datetime | None


@dataclass(frozen=True)
class SearchResults:
    counts: list[KindCount]  # "All" first, then each kind with hits
    hits: Page[Hit]


def marked(text: str) -> list[Segment]:
    """Text with the engine's marks → segments the template wraps in <mark>."""
    segments, marked_now = [], False
    for index, piece in enumerate(text.replace(MARK_END, MARK_START).split(MARK_START)):
        marked_now = index % 2 == 1
        if piece:
            segments.append(Segment(piece, marked_now))
    return segments


def search(perms, request: SearchRequest) -> SearchResults:
    session = db.session
    engine = engine_for(session)
    with engine.custom_plans(session):
        return _search(session, engine, perms, request)


def _search(session, engine, perms, request: SearchRequest) -> SearchResults:
    params = {"q": engine.query_value(request.parsed)}
    counts = _counts(session, engine, perms, request, params)
    total = next((c.count for c in counts if c.kind == request.kind), 0)
    page = max(1, request.page)
    rows = []
    if total and (page - 1) * PER_PAGE < total:
        # Only the kinds that matched: the counts have just said which.
        kinds = [c.kind for c in counts[1:] if c.count and request.kind in (None, c.kind)]
        if request.by_date:
            # The same window as "best match" (each kind's newest entries in the index), by
            # date. Entries are written as their objects are, so the index's order is their
            # dates' order unless dates were set by hand (an import); ordering every match of
            # a common word by its date instead took 600 ms at 1M posts on SQLite.
            every = _every(_windows(engine, perms, request, kinds))
            rows = session.execute(
                select(every).order_by(every.c.created_at.desc(), every.c.entry_id.desc())
                .limit(PER_PAGE).offset((page - 1) * PER_PAGE), params).all()
        else:
            every = _every(_windows(engine, perms, request, kinds, scored=True))
            rows = _best(session, engine, every, params)[(page - 1) * PER_PAGE:][:PER_PAGE]
    marks = engine.highlights(session, request.parsed, [r.entry_id for r in rows])
    links = load_links(session, [(r.kind, r.ref_id) for r in rows])
    hits = []
    for r in rows:
        link = links.get((r.kind, r.ref_id))
        if link is None:  # deleted between the two statements
            continue
        title, passage = marks.get(r.entry_id, ("", ""))
        hits.append(Hit(SearchKind(r.kind), marked(title) or [Segment(link.title, False)],
                        marked(passage), link.endpoint, link.args, link.where, link.author,
                        link.when))
    return SearchResults(counts, Page(items=hits, page=page, per_page=PER_PAGE, total=total))


def _branches(engine, perms, request, kinds) -> list:
    out = (branch(engine, perms, kind, request.filters) for kind in kinds)
    return [stmt for stmt in out if stmt is not None]


def _windows(engine, perms, request, kinds, scored: bool = False) -> list:
    """Each kind's newest ``RANK_WINDOW`` visible matches (newest in the index: the engines
    walk their matches from the newest and stop at the window's size)."""
    out = []
    for stmt in _branches(engine, perms, request, kinds):
        stmt = engine.with_score(stmt) if scored else stmt
        out.append(select(stmt.order_by(literal_column("entry_id").desc())
                          .limit(RANK_WINDOW).subquery()))
    return out


def _every(branches: list):
    return (branches[0] if len(branches) == 1 else union_all(*branches)).subquery("hits")


def _counts(session, engine, perms, request, params) -> list[KindCount]:
    # Each kind's matches stop at one past the cap: a common word is not counted to the end.
    capped = [select(sub.c.kind) for sub in (
        stmt.limit(COUNT_CAP + 1).subquery() for stmt in _branches(engine, perms, request, KINDS))]
    found = {}
    if capped:
        every = union_all(*capped).subquery("every")
        found = dict(session.execute(
            select(every.c.kind, func.count()).group_by(every.c.kind), params).all())
    per_kind = [KindCount(kind, KIND_LABELS[kind], min(found.get(kind.value, 0), COUNT_CAP),
                          found.get(kind.value, 0) > COUNT_CAP) for kind in KINDS]
    every_count = sum(c.count for c in per_kind)
    return [KindCount(None, "All", min(every_count, COUNT_CAP), every_count > COUNT_CAP),
            *per_kind]


def _best(session, engine, every, params) -> list:
    """The newest ``RANK_WINDOW`` matches the reader may see (filtered in SQL, like every
    list), best first by the engine's score. For most searches the window holds every match;
    for a word in thousands of posts, "best match" ranks the newest few thousand — the engines
    score every entry they rank, so this bounds the work by the window, not by the word."""
    window = session.execute(select(every).order_by(every.c.entry_id.desc())
                             .limit(RANK_WINDOW), params).all()
    scores = engine.scores(session, params, window)
    return sorted(window, key=lambda r: (scores.get(r.entry_id, 0.0), r.entry_id),
                  reverse=True)
