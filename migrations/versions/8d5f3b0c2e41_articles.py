"""articles, and a section's articles group

``articles``: a section's articles (title, Markdown source and its HTML, excerpt, byline, an
optional image with its alt text, draft or published, ``publish_at`` for scheduling, the
comment thread). Groups gain the kind ``articles`` (one per section, carrying the articles'
comment threads): the CHECK constraint ``ck_groups_group_kind`` takes the new value.

The constraint is changed WITHOUT recreating ``groups``: on SQLite a batch copy drops the old
table, and with foreign keys on that drop cascades to every membership, thread and post
(docs/architecture.md, "Database"). SQLite: the constraint's text in the schema is rewritten
in place (``PRAGMA writable_schema``), the procedure SQLite documents for loosening a CHECK
constraint ("ALTER TABLE", section 7: no stored row changes meaning); PostgreSQL: drop and
re-create the constraint.

Revision ID: 8d5f3b0c2e41
Revises: 7c4e2a9b1d30
Create Date: 2026-12-07 02:45:00

"""
import sqlalchemy as sa
from alembic import op

import forum.db

# revision identifiers, used by Alembic.
revision = '8d5f3b0c2e41'
down_revision = '7c4e2a9b1d30'  # the events migration (another branch); the lead merges
branch_labels = None
depends_on = None

OLD_KINDS = ("interest_group", "committee", "project_team")
CONSTRAINT = "ck_groups_group_kind"


def _check_sql(kinds) -> str:
    return "kind IN (" + ", ".join(f"'{k}'" for k in kinds) + ")"


def _group_kinds(kinds) -> None:
    """``ck_groups_group_kind`` allows exactly ``kinds``; ``groups`` is never recreated."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        op.drop_constraint(op.f(CONSTRAINT), "groups", type_="check")
        op.create_check_constraint(op.f(CONSTRAINT), "groups", sa.text(_check_sql(kinds)))
        return
    sql = bind.execute(sa.text(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'groups'")).scalar_one()
    start = sql.index(f"CONSTRAINT {CONSTRAINT} CHECK (")
    end = sql.index(")", sql.index("(", sql.index("IN", start))) + 1
    new_sql = sql[:start] + f"CONSTRAINT {CONSTRAINT} CHECK ({_check_sql(kinds)}" + sql[end:]
    version = bind.execute(sa.text("PRAGMA schema_version")).scalar_one()
    bind.execute(sa.text("PRAGMA writable_schema = ON"))
    bind.execute(sa.text("UPDATE sqlite_master SET sql = :sql "
                         "WHERE type = 'table' AND name = 'groups'"), {"sql": new_sql})
    bind.execute(sa.text(f"PRAGMA schema_version = {int(version) + 1}"))
    bind.execute(sa.text("PRAGMA writable_schema = OFF"))


def upgrade():
    op.create_table('articles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('section_id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('excerpt', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('byline', sa.String(length=200), nullable=False),
    sa.Column('image_sha256', sa.String(length=64), nullable=True),
    sa.Column('image_type', sa.String(length=40), nullable=True),
    sa.Column('image_alt', sa.String(length=300), nullable=False),
    sa.Column('status', sa.Enum('draft', 'published', name='article_status', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('publish_at', forum.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('published_at', forum.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('thread_id', sa.Integer(), nullable=True),
    sa.Column('created_at', forum.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', forum.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_articles_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['section_id'], ['sections.id'], name=op.f('fk_articles_section_id_sections'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['thread_id'], ['threads.id'], name=op.f('fk_articles_thread_id_threads'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_articles')),
    sa.UniqueConstraint('slug', name=op.f('uq_articles_slug')),
    sa.UniqueConstraint('thread_id', name=op.f('uq_articles_thread_id'))
    )
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.create_index('ix_articles_listing', ['status', 'publish_at', 'id'], unique=False)
        batch_op.create_index('ix_articles_section_listing', ['section_id', 'status', 'publish_at'], unique=False)
    _group_kinds(OLD_KINDS + ("articles",))


def downgrade():
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.drop_index('ix_articles_section_listing')
        batch_op.drop_index('ix_articles_listing')
    op.drop_table('articles')
    # The articles groups and their comment threads go with the kind (nothing else may hold
    # a kind the constraint no longer allows).
    op.execute("DELETE FROM threads WHERE group_id IN "
               "(SELECT id FROM groups WHERE kind = 'articles')")
    op.execute("DELETE FROM groups WHERE kind = 'articles'")
    _group_kinds(OLD_KINDS)
