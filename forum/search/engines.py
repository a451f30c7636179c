"""The two engines behind one interface: how a parsed query matches, scores and highlights.

``Engine.matches`` filters the index by the query; ``Engine.with_score`` says how well each
entry matched (higher is better: FTS5's bm25 is negated);
``Engine.highlights`` cuts the passages of a page's entries, the matched words between
``MARK_START`` and ``MARK_END`` — one statement for the whole page, and only for its rows.
Both weigh a title four times a body."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from sqlalchemy import bindparam, column, func, literal_column, select, table, text

from forum.search.documents import MARK_END, MARK_START
from forum.search.models import FTS_TABLE, SearchEntry
from forum.search.parsing import ParsedQuery

ENTRY = SearchEntry.__table__
SNIPPET_WORDS = 24


_FTS = table(FTS_TABLE, column("rowid"))
# SQLite: a kind's matches are read from FTS5 first, newest first (FTS5 walks its rowids
# backwards itself), and each is joined to its entry by primary key; a branch's LIMIT stops
# the walk. ``rowid + 0`` lets SQLite reach the entry from the match only: left to choose,
# it walked a kind's entries and asked FTS5 about each one (seconds for a rare word). Before
# this, the matches were an ``id IN (SELECT rowid … MATCH)`` set, built whole by every
# branch of every statement: 40 ms a statement for a common word at 100k posts, against 3.
_FTS_ENTRIES = _FTS.join(ENTRY, ENTRY.c.id == _FTS.c.rowid + 0)
_PG_QUERY = func.websearch_to_tsquery(literal_column("'forum_search'::regconfig"),
                                      bindparam("q"))


@dataclass(frozen=True)
class Engine:
    name: str

    def query_value(self, parsed: ParsedQuery) -> str:
        """The bind parameter ``q``. SQLite: the member's words in the title and body only
        (the index also holds each entry's kind)."""
        if self.name == "sqlite":
            return "{title body} : (" + parsed.fts5() + ")"
        return parsed.websearch()

    def matches(self, kind: str):
        """(what to select from, the condition, the entry's id): the index's entries of
        ``kind`` that match ``q`` (``query_value``), to be joined to their live rows."""
        if self.name == "sqlite":
            # Posts are nine matches in ten: FTS5 filters the other kinds by their kind
            # (their own few entries), posts by the words alone.
            kind_filter = "" if kind == "post" else f"kind : {kind} AND "
            return (_FTS_ENTRIES, text(f"{FTS_TABLE} MATCH '{kind_filter}' || :q"),
                    _FTS.c.rowid)
        return ENTRY, ENTRY.c.document.op("@@")(_PG_QUERY), ENTRY.c.id

    @contextlib.contextmanager
    def custom_plans(self, session):
        """PostgreSQL plans a search's statements for its own words. psycopg prepares a
        statement after its fifth use and PostgreSQL may then keep one generic plan, which
        cannot know how many rows a word matches: the counts of a common word took 390 ms
        instead of 40 (measured at 100k posts). Two statements around the search, on its
        connection; the connection leaves with the server's default again."""
        if self.name != "postgresql":
            yield
            return
        session.execute(text("SET plan_cache_mode = force_custom_plan"))
        try:
            yield
        finally:
            session.execute(text("RESET plan_cache_mode"))

    def with_score(self, stmt):
        """``stmt`` (a branch of matches) with a ``score`` column, higher is better: FTS5's
        ``bm25`` (negated; the title weighs four times the body, the kind nothing) or
        PostgreSQL's ``ts_rank`` (divided by 1 + the log of the length), computed while the
        statement holds the row. Ranking the window afterwards, by id, read every row again:
        60 ms for two words at 100k posts on PostgreSQL."""
        if self.name == "sqlite":
            score = -func.bm25(literal_column(FTS_TABLE), 4.0, 1.0, 0.0)
        else:
            score = func.ts_rank(ENTRY.c.document, _PG_QUERY, 1)
        return stmt.add_columns(score.label("score"))

    def highlights(self, session, parsed: ParsedQuery, entry_ids: list[int]) -> dict:
        """entry id → (title, passage), the matched words marked."""
        if not entry_ids:
            return {}
        params = {"q": self.query_value(parsed)}
        if self.name == "sqlite":
            stmt = text(
                f"SELECT rowid, highlight({FTS_TABLE}, 0, :a, :b), "
                f"snippet({FTS_TABLE}, 1, :a, :b, '…', {SNIPPET_WORDS}) "
                f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :q AND rowid IN :ids"
            ).bindparams(bindparam("ids", expanding=True))
            params.update(a=MARK_START, b=MARK_END, ids=entry_ids)
        else:
            options = (f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords={SNIPPET_WORDS}, "
                       "MinWords=8, MaxFragments=2, FragmentDelimiter=\" … \"")
            query = _PG_QUERY
            config = literal_column("'forum_search'::regconfig")
            stmt = select(
                ENTRY.c.id,
                func.ts_headline(config, ENTRY.c.title, query,
                                 f"StartSel={MARK_START}, StopSel={MARK_END}, "
                                 "HighlightAll=true"),
                func.ts_headline(config, ENTRY.c.body, query, options),
            ).where(ENTRY.c.id.in_(entry_ids))
        return {row[0]: (row[1] or "", row[2] or "")
                for row in session.execute(stmt, params)}


def engine_for(session) -> Engine:
    return Engine(session.get_bind().dialect.name)
