"""sections have a time zone

``sections.timezone``: the zone a section's pages print dates in for visitors (members read
them in their own zone). Existing sections get UTC, what every reader saw before.
Plain add_column: a batch could recreate ``sections``, and on SQLite that drop cascades to
its groups and everything in them.

Revision ID: 3f6b2d8e1c47
Revises: 5809225190fe
Create Date: 2026-12-08 12:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '3f6b2d8e1c47'
down_revision = '5809225190fe'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('sections', sa.Column('timezone', sa.String(length=64), server_default='UTC',
                                        nullable=False))


def downgrade():
    op.drop_column('sections', 'timezone')  # SQLite 3.35+ drops a column in place
