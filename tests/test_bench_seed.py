"""The bench's bulk seeder writes a site whose paths and counters agree with its rows."""

from __future__ import annotations

import random

import sqlalchemy as sa
from werkzeug.security import check_password_hash

from bench import seed_articles
from bench.seed import BENCH_PASSWORD, Scale, seed
from bench.seed_posts import thread_posts
from forum.discussions.models import MAX_DEPTH, Post, Thread, path_segment
from forum.extensions import db
from forum.groups.models import Group, GroupKind, Membership, MembershipStatus
from forum.users.models import User
from tests.factories import make_user

TINY = Scale("tiny", posts=300, groups=5, members=40, big_thread_replies=60,
             small_thread_replies=20, files=20, replies_per_thread=9)


class _AlwaysLatest(random.Random):
    def random(self):
        return 0.0  # every reply answers the latest post: one chain straight to the cap


def test_a_chain_deeper_than_the_cap_continues_as_siblings_that_record_whom_they_answer():
    posts = thread_posts(1, 60, _AlwaysLatest(), nested=True)
    by_id = {p[0]: p for p in posts}
    assert max(p[4] for p in posts) == MAX_DEPTH
    capped = [p for p in posts if p[2] is not None]
    assert len(capped) == 60 - MAX_DEPTH
    for post_id, parent_id, reply_to_id, path, depth in capped:
        assert depth == MAX_DEPTH and by_id[reply_to_id][4] == MAX_DEPTH
        assert parent_id == by_id[reply_to_id][1]  # a sibling of the post it answers
        assert path == by_id[parent_id][3] + path_segment(post_id)


def _seed_tiny(app) -> dict:
    with db.engine.begin() as conn:
        return seed(conn, TINY)


def test_bulk_seed_writes_the_scale_with_paths_built_from_the_parents(app):
    info = _seed_tiny(app)
    posts = {p.id: p for p in db.session.scalars(sa.select(Post))}
    # The discussions' posts, and one article's responses (an opening note and its replies).
    assert len(posts) == TINY.posts + seed_articles.RESPONSES + 1
    for post in posts.values():
        if post.parent_id is None:
            assert (post.path, post.depth) == (path_segment(post.id), 0)
            continue
        parent = posts[post.parent_id]
        assert parent.thread_id == post.thread_id
        assert post.path == parent.path + path_segment(post.id)
        assert post.depth == parent.depth + 1 <= MAX_DEPTH
    big = [p for p in posts.values() if p.thread_id == info["big_thread_id"]]
    assert len(big) == TINY.big_thread_replies + 1
    small = [p for p in posts.values() if p.thread_id == info["small_thread_id"]]
    assert len(small) == TINY.small_thread_replies + 1
    assert posts[info["deep_post_id"]].thread_id == info["big_thread_id"]


def test_bulk_seed_counters_agree_with_the_rows(app):
    _seed_tiny(app)
    for thread in db.session.scalars(sa.select(Thread)):
        rows = db.session.scalars(
            sa.select(Post).where(Post.thread_id == thread.id).order_by(Post.id)).all()
        assert thread.post_count == len(rows)
        last = rows[-1]
        assert (thread.last_post_id, thread.last_poster_id) == (last.id, last.author_id)
        assert thread.last_post_at == last.created_at
    groups = db.session.scalars(sa.select(Group).where(Group.kind != GroupKind.ARTICLES)).all()
    assert len(groups) == TINY.groups
    for group in groups:
        active = db.session.scalar(sa.select(sa.func.count()).where(
            Membership.group_id == group.id, Membership.status == MembershipStatus.ACTIVE))
        assert group.member_count == active > 0
        latest = db.session.scalar(
            sa.select(sa.func.max(Thread.last_post_at)).where(Thread.group_id == group.id))
        assert group.last_activity_at == latest


def test_bench_accounts_share_one_hash_of_the_bench_password_and_ids_continue_after(app):
    info = _seed_tiny(app)
    hashes = db.session.scalars(sa.select(User.password_hash).distinct()).all()
    assert len(hashes) == 1 and check_password_hash(hashes[0], BENCH_PASSWORD)
    bench_user = db.session.scalar(sa.select(User).where(User.email == info["bench_email"]))
    group = db.session.scalar(sa.select(Group).where(Group.slug == info["group_slug"]))
    assert db.session.scalar(sa.select(Membership.status).where(
        Membership.user_id == bench_user.id, Membership.group_id == group.id)) == "active"
    newcomer = make_user(username="after-the-bench")  # sequences moved past seeded ids
    assert newcomer.id == TINY.members + 1


def test_bulk_seed_file_rows_point_at_their_latest_version(app):
    info = _seed_tiny(app)
    from forum.files.models import Attachment, FileVersion, SharedFile

    files = db.session.scalars(sa.select(SharedFile)).all()
    assert len(files) == info["files"] == TINY.files
    for f in files:
        numbers = db.session.scalars(sa.select(FileVersion.number).where(
            FileVersion.file_id == f.id).order_by(FileVersion.number)).all()
        assert numbers == list(range(1, f.version_count + 1))
        current = db.session.get(FileVersion, f.current_version_id)
        assert (current.file_id, current.number, current.size) == (f.id, numbers[-1], f.size)
    attached = db.session.scalars(sa.select(Attachment)).all()
    assert attached and all(a.file.attached for a in attached)
    from forum.discussions.models import Post

    flagged = set(db.session.scalars(sa.select(Post.id).where(Post.has_files)))
    assert flagged == {a.post_id for a in attached}  # the thread page shows them
