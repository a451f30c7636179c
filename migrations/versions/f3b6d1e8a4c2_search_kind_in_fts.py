"""SQLite's FTS5 index holds each entry's kind, so a search of a small kind (files, events,
people …) asks FTS5 for that kind's matches instead of walking every match of a common word
(issue 25). PostgreSQL's index is unchanged.

The DDL is written out here (``forum.search.models.SQLITE_DDL`` as of this revision), so this
file keeps meaning what it meant. The index is rebuilt from ``search_entries`` in the
migration: a few seconds per hundred thousand entries.

Revision ID: f3b6d1e8a4c2
Revises: d7e2a9c4b815
Create Date: 2026-12-07 20:10:00
"""
from alembic import op

revision = 'f3b6d1e8a4c2'
down_revision = 'd7e2a9c4b815'
branch_labels = None
depends_on = None

DROP = (
    "DROP TRIGGER IF EXISTS search_entries_ai",
    "DROP TRIGGER IF EXISTS search_entries_ad",
    "DROP TRIGGER IF EXISTS search_entries_au",
    "DROP TABLE IF EXISTS search_fts",
)

WITH_KIND = (
    "CREATE VIRTUAL TABLE search_fts USING fts5(title, body, kind, "
    "content='search_entries', content_rowid='id', "
    "tokenize='porter unicode61 remove_diacritics 2')",
    """CREATE TRIGGER search_entries_ai AFTER INSERT ON search_entries BEGIN
  INSERT INTO search_fts(rowid, title, body, kind) VALUES (new.id, new.title, new.body, new.kind);
END""",
    """CREATE TRIGGER search_entries_ad AFTER DELETE ON search_entries BEGIN
  INSERT INTO search_fts(search_fts, rowid, title, body, kind)
  VALUES ('delete', old.id, old.title, old.body, old.kind);
END""",
    """CREATE TRIGGER search_entries_au AFTER UPDATE OF title, body, kind ON search_entries BEGIN
  INSERT INTO search_fts(search_fts, rowid, title, body, kind)
  VALUES ('delete', old.id, old.title, old.body, old.kind);
  INSERT INTO search_fts(rowid, title, body, kind) VALUES (new.id, new.title, new.body, new.kind);
END""",
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
)

WITHOUT_KIND = (
    "CREATE VIRTUAL TABLE search_fts USING fts5(title, body, content='search_entries', "
    "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')",
    """CREATE TRIGGER search_entries_ai AFTER INSERT ON search_entries BEGIN
  INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
END""",
    """CREATE TRIGGER search_entries_ad AFTER DELETE ON search_entries BEGIN
  INSERT INTO search_fts(search_fts, rowid, title, body)
  VALUES ('delete', old.id, old.title, old.body);
END""",
    """CREATE TRIGGER search_entries_au AFTER UPDATE OF title, body ON search_entries BEGIN
  INSERT INTO search_fts(search_fts, rowid, title, body)
  VALUES ('delete', old.id, old.title, old.body);
  INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
END""",
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
)


def _run(statements) -> None:
    if op.get_bind().dialect.name != 'sqlite':
        return
    for statement in (*DROP, *statements):
        op.execute(statement)


def upgrade():
    _run(WITH_KIND)


def downgrade():
    _run(WITHOUT_KIND)
