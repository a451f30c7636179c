"""the search index, and the words read from files

``search_entries``: one row per searchable object (posts, files, events, articles, groups,
members) with its title and plain text. Each engine's own index is kept beside it by
triggers: SQLite an FTS5 table ``search_fts`` (external content), PostgreSQL the
``document`` tsvector under a GIN index, in the text search configuration ``forum_search``
(English stemming after ``unaccent``, a trusted extension the database's owner may create).

``file_texts``: the words the delivery worker read from a library file's current version (PDF,
Word, plain text), and which blob they came from.

The DDL is the models' own (``forum.search.models.DDL_STATEMENTS``, written out here so this
file keeps meaning what it meant). The index starts empty: ``flask search reindex`` fills it
(``make run`` runs it once when it is empty).

Revision ID: 9e6a4c1d2f52
Revises: 8d5f3b0c2e41
Create Date: 2026-12-07 06:40:00

"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import forum.db

# revision identifiers, used by Alembic.
revision = '9e6a4c1d2f52'
down_revision = '8d5f3b0c2e41'
branch_labels = None
depends_on = None

SQLITE = (
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
)

POSTGRESQL = (
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
    "CREATE INDEX ix_search_entries_document ON search_entries USING gin (document)",
)


def upgrade():
    op.create_table(
        'search_entries',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('ref_id', sa.Integer(), nullable=False),
        sa.Column('title', sa.Text(), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('created_at', forum.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('document', sa.Text().with_variant(postgresql.TSVECTOR(), 'postgresql'),
                  nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_search_entries')),
        sa.UniqueConstraint('kind', 'ref_id', name=op.f('uq_search_entries_kind_ref_id')),
    )
    op.create_table(
        'file_texts',
        sa.Column('file_id', sa.Integer(), nullable=False),
        sa.Column('blob_sha256', sa.String(length=64), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('problem', sa.String(length=100), nullable=False),
        sa.Column('extracted_at', forum.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['file_id'], ['shared_files.id'],
                                name=op.f('fk_file_texts_file_id_shared_files'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('file_id', name=op.f('pk_file_texts')),
    )
    bind = op.get_bind()
    statements = SQLITE if bind.dialect.name == 'sqlite' else POSTGRESQL
    for statement in statements:
        op.execute(statement)


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name == 'sqlite':
        op.execute("DROP TABLE IF EXISTS search_fts")
    else:
        op.execute("DROP FUNCTION IF EXISTS search_entries_document() CASCADE")
        op.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS forum_search")
    op.drop_table('file_texts')
    op.drop_table('search_entries')
