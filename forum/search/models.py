"""The search index: one row per searchable object, with the text its search matches.

The row names its object by ``kind`` and ``ref_id``; nothing about who may see it. Each
engine keeps its own index beside the rows, updated by triggers in the same statement as the
row (so in the writer's transaction, whoever writes — the listener, ``flask search reindex``):

- SQLite: ``search_fts``, an FTS5 table over ``title``, ``body`` and ``kind`` with this table
  as its external content, tokenized by ``porter unicode61 remove_diacritics 2`` (case and accents
  folded, English stemming).
- PostgreSQL: the ``document`` column, a ``tsvector`` (title weighted A, body B) in the text
  search configuration ``forum_search`` (English stemming with ``unaccent`` first), under the
  GIN index ``ix_search_entries_document``.

Both are DDL outside the models (they are not tables SQLAlchemy knows): ``create_all`` makes
them through the table's ``after_create`` event, the migration through ``DDL_STATEMENTS``."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import DDL, ForeignKey, Integer, String, Text, UniqueConstraint, event
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from forum.db import Base, utcnow


class SearchKind(enum.StrEnum):
    POST = "post"
    FILE = "file"
    EVENT = "event"
    ARTICLE = "article"
    GROUP = "group"
    PERSON = "person"


class SearchEntry(Base):
    __tablename__ = "search_entries"
    __table_args__ = (UniqueConstraint("kind", "ref_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    ref_id: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    # When the object was written: "sort by date" and the date filter read it here.
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # PostgreSQL's index (kept by a trigger); on SQLite an empty column, its index FTS5's.
    document: Mapped[str | None] = mapped_column(Text().with_variant(TSVECTOR(), "postgresql"))


class FileText(Base):
    """The words inside a library file's current version (PDF, Word, plain text), read by the
    delivery worker (``forum.search.extract``), never in a request. ``blob_sha256`` is the
    version they were read from: a new version is read again."""

    __tablename__ = "file_texts"

    file_id: Mapped[int] = mapped_column(
        ForeignKey("shared_files.id", ondelete="CASCADE"), primary_key=True)
    blob_sha256: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text, default="")
    # Why nothing was read ("too large", "unreadable"), for the operator; "" when it was.
    problem: Mapped[str] = mapped_column(String(100), default="")
    extracted_at: Mapped[datetime] = mapped_column(default=utcnow)


FTS_TABLE = "search_fts"
GIN_INDEX = "ix_search_entries_document"

# ``kind`` is in the FTS5 index too, so a search of a small kind (files, events, people …)
# asks FTS5 for that kind's matches (``kind : file AND …``) instead of walking every match of
# a common word to find the few that are files. Searches keep members' words to the title
# and body (``{title body} : (…)``): "file" never matches every file by its kind.
SQLITE_DDL = (
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(title, body, kind, "
    "content='search_entries', content_rowid='id', "
    "tokenize='porter unicode61 remove_diacritics 2')",
    f"""CREATE TRIGGER search_entries_ai AFTER INSERT ON search_entries BEGIN
  INSERT INTO {FTS_TABLE}(rowid, title, body, kind) VALUES (new.id, new.title, new.body, new.kind);
END""",
    f"""CREATE TRIGGER search_entries_ad AFTER DELETE ON search_entries BEGIN
  INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, body, kind)
  VALUES ('delete', old.id, old.title, old.body, old.kind);
END""",
    f"""CREATE TRIGGER search_entries_au AFTER UPDATE OF title, body, kind ON search_entries BEGIN
  INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, body, kind)
  VALUES ('delete', old.id, old.title, old.body, old.kind);
  INSERT INTO {FTS_TABLE}(rowid, title, body, kind) VALUES (new.id, new.title, new.body, new.kind);
END""",
)

# unaccent is a trusted extension (PostgreSQL 13+): the database's owner may create it.
POSTGRESQL_DDL = (
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS forum_search",
    "CREATE TEXT SEARCH CONFIGURATION forum_search (COPY = english)",
    "ALTER TEXT SEARCH CONFIGURATION forum_search ALTER MAPPING FOR hword, hword_part, word "
    "WITH unaccent, english_stem",
    """CREATE OR REPLACE FUNCTION search_entries_document() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.document := setweight(to_tsvector('forum_search', coalesce(NEW.title, '')), 'A')
               || setweight(to_tsvector('forum_search', coalesce(NEW.body, '')), 'B');
  RETURN NEW;
END $$""",
    "CREATE TRIGGER search_entries_document BEFORE INSERT OR UPDATE OF title, body "
    "ON search_entries FOR EACH ROW EXECUTE FUNCTION search_entries_document()",
    f"CREATE INDEX {GIN_INDEX} ON search_entries USING gin (document)",
)

DDL_STATEMENTS = {"sqlite": SQLITE_DDL, "postgresql": POSTGRESQL_DDL}


def _engine_index(target, connection, **kw) -> None:
    for statement in DDL_STATEMENTS.get(connection.dialect.name, ()):
        connection.execute(DDL(statement))


event.listen(SearchEntry.__table__, "after_create", _engine_index)


def include_name(name, type_, parent_names) -> bool:
    """For Alembic's autogenerate: FTS5's tables and the GIN index are the engines' DDL, made
    beside the models (above), not the models' own."""
    if type_ == "table":
        return not (name or "").startswith(FTS_TABLE)
    return not (type_ == "index" and name == GIN_INDEX)
