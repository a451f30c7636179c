"""Bounces: delivery reports and refusals per address, and group mail paused for a member
whose address keeps bouncing (issue 24).

Revision ID: d7e2a9c4b815
Revises: b3d91f0a6c27
Create Date: 2026-12-07 17:00:00
"""
import sqlalchemy as sa
from alembic import op

import forum.db

revision = 'd7e2a9c4b815'
down_revision = 'b3d91f0a6c27'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'mail_bounces',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('address', sa.String(length=254), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('delivery_id', sa.Integer(), nullable=True),
        sa.Column('permanent', sa.Boolean(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('reason', sa.String(length=500), nullable=False),
        sa.Column('cleared', sa.Boolean(), nullable=False),
        sa.Column('created_at', forum.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_bounces')),
    )
    op.create_index('ix_mail_bounces_address_created_at', 'mail_bounces',
                    ['address', 'created_at'])
    op.create_index(op.f('ix_mail_bounces_user_id'), 'mail_bounces', ['user_id'])
    # Plain ADD COLUMNs (no batch mode): a batch rewrite of `users` on SQLite would recreate
    # the table every other table points at.
    op.add_column('users', sa.Column('mail_paused_at', forum.db.UTCDateTime(timezone=True), nullable=True))
    op.add_column('users', sa.Column('mail_paused_reason', sa.String(length=300),
                                     nullable=False, server_default=''))


def downgrade():
    op.drop_column('users', 'mail_paused_reason')
    op.drop_column('users', 'mail_paused_at')
    op.drop_index(op.f('ix_mail_bounces_user_id'), table_name='mail_bounces')
    op.drop_index('ix_mail_bounces_address_created_at', table_name='mail_bounces')
    op.drop_table('mail_bounces')
