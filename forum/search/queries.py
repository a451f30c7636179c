"""The search page's read function: ``search(perms, request)`` → ``SearchResults``.

Two statements, and one per kind of hit on the page, whatever the index's size: the page and
the counts (from each kind's newest ``WINDOW`` visible matches with their scores; a count
stops at ``COUNT_CAP`` — "1,000+" is as useful as an exact number), the page's marked
passages, and the links of each kind on the page."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import func, literal_column, null, select, union_all

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
# Each kind's newest this many visible matches are counted ("1,000+"), ranked and paged.
WINDOW = COUNT_CAP + 1
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
    page = max(1, request.page)
    rows, found = [], Counter()
    windows = _windows(engine, perms, request)
    if windows:
        for row in session.execute(_page_and_counts(windows, request, page), params):
            if row.entry_id is None:
                found[row.kind] = int(row.score)  # a count row: the kind's matches in its window
            else:
                rows.append(row)
    counts = _counts(found)
    total = next((c.count for c in counts if c.kind == request.kind), 0)
    if (page - 1) * PER_PAGE >= total:
        rows = []  # past the last page (pages stop at the count's cap)
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


def _windows(engine, perms, request) -> list:
    """Each kind's newest ``WINDOW`` visible matches with their scores (newest in the index:
    the engines walk their matches from the newest and stop at the window's size).
    Permission filtering is in each branch's SQL, before its LIMIT."""
    out = []
    for kind in KINDS:
        stmt = branch(engine, perms, kind, request.filters)
        if stmt is not None:
            out.append(select(engine.with_score(stmt).order_by(
                literal_column("entry_id").desc()).limit(WINDOW).subquery()))
    return out


def _page_and_counts(windows: list, request: SearchRequest, page: int):
    """One statement: the page's rows, then one row per kind with its count (in ``score``,
    ``entry_id`` empty). The windows are a CTE read twice, so the engines compute them once.

    Newest first: entries are written as their objects are, so the index's order is their
    dates' order and the window holds the newest matches — unless dates were set by hand (an
    import). Ordering every match of a common word by date took 600 ms at 1M posts."""
    hits = (windows[0] if len(windows) == 1 else union_all(*windows)).cte("hits")
    order = ((hits.c.created_at.desc(), hits.c.entry_id.desc()) if request.by_date
             else (hits.c.score.desc(), hits.c.entry_id.desc()))
    shown = select(hits.c.entry_id, hits.c.kind, hits.c.ref_id, hits.c.score)
    if request.kind is not None:
        shown = shown.where(hits.c.kind == request.kind.value)
    shown = shown.order_by(*order).limit(PER_PAGE).offset((page - 1) * PER_PAGE).subquery()
    counted = select(null().label("entry_id"), hits.c.kind, null().label("ref_id"),
                     func.count().label("score")).group_by(hits.c.kind)
    return union_all(select(shown), counted)


def _counts(found: Counter) -> list[KindCount]:
    """"All" and each kind, from the windows: a kind with more than ``COUNT_CAP`` visible
    matches says "1,000+" (a common word is never counted to the end)."""
    per_kind = [KindCount(kind, KIND_LABELS[kind], min(found[kind.value], COUNT_CAP),
                          found[kind.value] > COUNT_CAP) for kind in KINDS]
    every_count = sum(found.values())
    return [KindCount(None, "All", min(every_count, COUNT_CAP), every_count > COUNT_CAP),
            *per_kind]
