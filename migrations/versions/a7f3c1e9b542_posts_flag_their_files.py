"""posts flag their files

A thread page brings each post's attached files in the posts' statement, guarded so the
aggregate runs only for posts that have files. The guard was an EXISTS on ``attachments`` per
post: half of PostgreSQL's CPU for the statement (0.5 of 1.0 ms on a 20-reply thread). Posts
now carry ``has_files``, set when files are attached; the page reads the flag instead.

Revision ID: a7f3c1e9b542
Revises: e41a7c9b2d63
Create Date: 2026-11-23 17:20:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'a7f3c1e9b542'
down_revision = 'e41a7c9b2d63'
branch_labels = None
depends_on = None


def upgrade():
    # A plain ADD COLUMN, not a batch: on SQLite a batch copies the table and drops the old
    # one, and with foreign keys on that drop cascades to every post's attachments, flags,
    # revisions (a test migrates a post with a file and checks it keeps it).
    op.add_column('posts', sa.Column('has_files', sa.Boolean(), server_default=sa.false(),
                                     nullable=False))
    op.execute("UPDATE posts SET has_files = true WHERE EXISTS "
               "(SELECT 1 FROM attachments WHERE attachments.post_id = posts.id)")


def downgrade():
    op.drop_column('posts', 'has_files')  # SQLite 3.35+ drops a column in place (see above)
