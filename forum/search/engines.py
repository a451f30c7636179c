"""The two engines behind one interface: how a parsed query matches, scores and highlights.

``Engine.match`` filters the index by the query; ``Engine.scores`` says how well given
entries matched (higher is better: FTS5's bm25 is negated);
``Engine.highlights`` cuts the passages of a page's entries, the matched words between
``MARK_START`` and ``MARK_END`` — one statement for the whole page, and only for its rows.
Both weigh a title four times a body."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from sqlalchemy import bindparam, column, func, literal_column, select, table, text
from sqlalchemy.sql import ColumnElement

from forum.search.documents import MARK_END, MARK_START
from forum.search.models import FTS_TABLE, SearchEntry
from forum.search.parsing import ParsedQuery

ENTRY = SearchEntry.__table__
SNIPPET_WORDS = 24


_FTS = table(FTS_TABLE, column("rowid"))
# SQLite: "the entry is among FTS5's matches" as ``id IN (SELECT rowid … MATCH)``, which SQLite
# evaluates once into an indexed temporary set. Joined to the FTS5 table (or to a materialized
# CTE of its matches) instead, the planner may walk a kind's entries and ask FTS5 about each
# one, or scan the matches once per article — seconds where this takes milliseconds.
_SQLITE_MATCHES = select(_FTS.c.rowid).where(text(f"{FTS_TABLE} MATCH :q"))
_PG_QUERY = func.websearch_to_tsquery(literal_column("'forum_search'::regconfig"),
                                      bindparam("q"))


@dataclass(frozen=True)
class Engine:
    name: str

    def query_value(self, parsed: ParsedQuery) -> str:
        return parsed.fts5() if self.name == "sqlite" else parsed.websearch()

    def match(self) -> ColumnElement:
        """The condition on ``search_entries``: the entry matches the bind parameter ``q``
        (``query_value``)."""
        if self.name == "sqlite":
            return ENTRY.c.id.in_(_SQLITE_MATCHES)
        return ENTRY.c.document.op("@@")(_PG_QUERY)

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

    def scores(self, session, params: dict, entry_ids: list[int]) -> dict[int, float]:
        """How well each of ``entry_ids`` (matches of ``q``) matched; higher is better (FTS5's
        bm25 is negated). One statement over those entries only: SQLite scores the matches
        from the lowest of them on (FTS5 reads a rowid range cheaply), PostgreSQL exactly
        those rows."""
        if not entry_ids:
            return {}
        if self.name == "sqlite":
            stmt = select(_FTS.c.rowid, -func.bm25(literal_column(FTS_TABLE), 4.0, 1.0)).where(
                text(f"{FTS_TABLE} MATCH :q"), _FTS.c.rowid >= bindparam("floor"))
            rows = session.execute(stmt, {**params, "floor": min(entry_ids)})
        else:
            stmt = select(ENTRY.c.id, func.ts_rank(ENTRY.c.document, _PG_QUERY, 1)).where(
                ENTRY.c.id.in_(bindparam("ids", expanding=True)))  # 1: ÷ (1 + log length)
            rows = session.execute(stmt, {**params, "ids": entry_ids})
        return dict(rows.all())

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
