"""Groups have a picture (with its alt text), shown in the directory, on the group page and in
the home page's spotlight (issue 26, point 10).

Revision ID: b3d91f0a6c27
Revises: b5d2e8f41a07
Create Date: 2026-12-07 12:50:00
"""
import sqlalchemy as sa
from alembic import op

revision = 'b3d91f0a6c27'
down_revision = 'b5d2e8f41a07'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMNs (no batch mode): on SQLite a batch rewrite of `groups` would recreate
    # the table, and memberships and threads cascade from it.
    op.add_column('groups', sa.Column('picture_sha256', sa.String(length=64), nullable=True))
    op.add_column('groups', sa.Column('picture_type', sa.String(length=40), nullable=True))
    op.add_column('groups', sa.Column('picture_alt', sa.String(length=300), nullable=False,
                                      server_default=''))


def downgrade():
    # DROP COLUMN without batch mode: SQLite (3.35+) drops a plain column in place.
    op.drop_column('groups', 'picture_alt')
    op.drop_column('groups', 'picture_type')
    op.drop_column('groups', 'picture_sha256')
