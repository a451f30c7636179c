"""memberships by group and status

A group's memberships by standing (group_id, status): the leaders' "requests waiting" count
scanned every membership of the group (1,378 in the bench's busiest) on each leader's visit.

Revision ID: c2cca3c76fa5
Revises: 4ec1d8dc7273
Create Date: 2026-11-23 01:22:03.067316

"""
from alembic import op
import sqlalchemy as sa

import forum.db


# revision identifiers, used by Alembic.
revision = 'c2cca3c76fa5'
down_revision = '4ec1d8dc7273'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.create_index('ix_memberships_group_id_status', ['group_id', 'status'], unique=False)


def downgrade():
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_index('ix_memberships_group_id_status')
