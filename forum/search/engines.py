"""The two engines behind one interface: how a parsed query matches, scores and highlights.

``Engine.match`` joins the index to the engine's own structure and filters by the query;
``Engine.score`` says how well an entry matched (higher is better: FTS5's bm25 is negated);
``Engine.highlights`` cuts the passages of a page's entries, the matched words between
``MARK_START`` and ``MARK_END`` — one statement for the whole page, and only for its rows.
Both weigh a title four times a body."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, column, func, literal_column, select, table, text
from sqlalchemy.sql import ColumnElement, FromClause

from forum.search.documents import MARK_END, MARK_START
from forum.search.models import FTS_TABLE, SearchEntry
from forum.search.parsing import ParsedQuery

ENTRY = SearchEntry.__table__
SNIPPET_WORDS = 24


@dataclass(frozen=True)
class Engine:
    name: str

    def query_value(self, parsed: ParsedQuery) -> str:
        return parsed.fts5() if self.name == "sqlite" else parsed.websearch()

    def match(self) -> tuple[FromClause, ColumnElement, ColumnElement]:
        """(the index joined to the engine's structure, the match condition, the score), all
        reading the bind parameter ``q`` (``query_value``)."""
        if self.name == "sqlite":
            fts = table(FTS_TABLE, column("rowid"))
            joined = ENTRY.join(fts, fts.c.rowid == ENTRY.c.id)
            condition = text(f"{FTS_TABLE} MATCH :q")
            score = -func.bm25(literal_column(FTS_TABLE), 4.0, 1.0)
            return joined, condition, score
        query = func.websearch_to_tsquery(literal_column("'forum_search'::regconfig"),
                                          bindparam("q"))
        return (ENTRY, ENTRY.c.document.op("@@")(query),
                func.ts_rank(ENTRY.c.document, query, 1))  # 1: divided by 1 + log(length)

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
            query = func.websearch_to_tsquery(literal_column("'forum_search'::regconfig"),
                                              bindparam("q"))
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
