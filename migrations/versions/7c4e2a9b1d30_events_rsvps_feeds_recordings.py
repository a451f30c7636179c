"""events, rsvps, calendar feeds and recordings (issue 23)

``events``: the calendar, times in UTC beside the event's zone name; ``rsvps``: one answer per
member and occurrence, with the waiting list; ``calendar_feeds``: each member's secret feed
token; ``recordings``: links or library files left after an event. New tables only.

Revision ID: 7c4e2a9b1d30
Revises: 3f6b2d8e1c47
Create Date: 2026-12-07 02:32:51.309062

"""
from alembic import op
import sqlalchemy as sa

import forum.db


# revision identifiers, used by Alembic.
revision = '7c4e2a9b1d30'
down_revision = '3f6b2d8e1c47'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('calendar_feeds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('created_at', forum.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_calendar_feeds_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_feeds')),
    sa.UniqueConstraint('token', name=op.f('uq_calendar_feeds_token')),
    sa.UniqueConstraint('user_id', name=op.f('uq_calendar_feeds_user_id'))
    )
    op.create_table('events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('section_id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('uid', sa.String(length=120), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('description_html', sa.Text(), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('all_day', sa.Boolean(), nullable=False),
    sa.Column('starts_at', forum.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', forum.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('series_ends_at', forum.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('rrule', sa.String(length=300), nullable=False),
    sa.Column('exdates', sa.Text(), nullable=False),
    sa.Column('location', sa.String(length=300), nullable=False),
    sa.Column('online_url', sa.String(length=500), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.Column('featured', sa.Boolean(), nullable=False),
    sa.Column('status', sa.Enum('scheduled', 'cancelled', name='event_status', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('cancelled_at', forum.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', forum.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', forum.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('capacity IS NULL OR capacity >= 1', name=op.f('ck_events_capacity_positive')),
    sa.CheckConstraint('ends_at >= starts_at', name=op.f('ck_events_ends_after_start')),
    sa.CheckConstraint('sequence >= 0', name=op.f('ck_events_sequence_not_negative')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_events_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_events_group_id_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['section_id'], ['sections.id'], name=op.f('fk_events_section_id_sections'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_events')),
    sa.UniqueConstraint('uid', name=op.f('uq_events_uid'))
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index('ix_events_featured_series_ends_at', ['featured', 'series_ends_at'], unique=False)
        batch_op.create_index('ix_events_group_id_series_ends_at', ['group_id', 'series_ends_at'], unique=False)
        batch_op.create_index('ix_events_section_id_series_ends_at', ['section_id', 'series_ends_at'], unique=False)
        batch_op.create_index('ix_events_starts_at', ['starts_at'], unique=False)

    op.create_table('rsvps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('occurrence_at', forum.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('answer', sa.Enum('going', 'maybe', 'not_going', name='rsvp_answer', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('waitlisted', sa.Boolean(), nullable=False),
    sa.Column('queued_at', forum.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reminded_at', forum.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', forum.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', forum.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_rsvps_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_rsvps_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rsvps')),
    sa.UniqueConstraint('event_id', 'occurrence_at', 'user_id', name=op.f('uq_rsvps_event_id_occurrence_at_user_id'))
    )
    with op.batch_alter_table('rsvps', schema=None) as batch_op:
        batch_op.create_index('ix_rsvps_event_id_occurrence_at_answer', ['event_id', 'occurrence_at', 'answer'], unique=False)
        batch_op.create_index('ix_rsvps_occurrence_at_reminded_at', ['occurrence_at', 'reminded_at'], unique=False)
        batch_op.create_index('ix_rsvps_user_id_occurrence_at', ['user_id', 'occurrence_at'], unique=False)

    op.create_table('recordings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('occurrence_at', forum.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('file_id', sa.Integer(), nullable=True),
    sa.Column('slides_url', sa.String(length=500), nullable=False),
    sa.Column('slides_file_id', sa.Integer(), nullable=True),
    sa.Column('members_only', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', forum.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', forum.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_recordings_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_recordings_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['file_id'], ['shared_files.id'], name=op.f('fk_recordings_file_id_shared_files'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['slides_file_id'], ['shared_files.id'], name=op.f('fk_recordings_slides_file_id_shared_files'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recordings'))
    )
    with op.batch_alter_table('recordings', schema=None) as batch_op:
        batch_op.create_index('ix_recordings_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_recordings_event_id', ['event_id'], unique=False)



def downgrade():
    with op.batch_alter_table('recordings', schema=None) as batch_op:
        batch_op.drop_index('ix_recordings_event_id')
        batch_op.drop_index('ix_recordings_created_at')

    op.drop_table('recordings')
    with op.batch_alter_table('rsvps', schema=None) as batch_op:
        batch_op.drop_index('ix_rsvps_user_id_occurrence_at')
        batch_op.drop_index('ix_rsvps_occurrence_at_reminded_at')
        batch_op.drop_index('ix_rsvps_event_id_occurrence_at_answer')

    op.drop_table('rsvps')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index('ix_events_starts_at')
        batch_op.drop_index('ix_events_section_id_series_ends_at')
        batch_op.drop_index('ix_events_group_id_series_ends_at')
        batch_op.drop_index('ix_events_featured_series_ends_at')

    op.drop_table('events')
    op.drop_table('calendar_feeds')
