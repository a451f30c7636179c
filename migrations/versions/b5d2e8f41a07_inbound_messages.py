"""inbound_messages: mail that became a post, one per (member, Message-ID)

Revision ID: b5d2e8f41a07
Revises: 9e6a4c1d2f52
Create Date: 2026-12-07 12:30:00

"""
import sqlalchemy as sa
from alembic import op

import forum.db

# revision identifiers, used by Alembic.
revision = 'b5d2e8f41a07'
down_revision = '9e6a4c1d2f52'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'inbound_messages',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('message_key', sa.String(length=255), nullable=False),
        sa.Column('post_id', sa.Integer(), nullable=True),
        sa.Column('trimmed', sa.Text(), nullable=False),
        sa.Column('received_at', forum.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['post_id'], ['posts.id'],
                                name=op.f('fk_inbound_messages_post_id_posts'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_inbound_messages_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_inbound_messages')),
        sa.UniqueConstraint('user_id', 'message_key',
                            name=op.f('uq_inbound_messages_user_id_message_key')),
    )
    with op.batch_alter_table('inbound_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inbound_messages_post_id'), ['post_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('inbound_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inbound_messages_post_id'))
    op.drop_table('inbound_messages')
