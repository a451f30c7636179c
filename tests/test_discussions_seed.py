"""The demo discussions: realistic threads with nested replies, counters as the app keeps them."""

from __future__ import annotations

from sqlalchemy import func, select

from forum.db import writing
from forum.discussions import seed as discussions_seed
from forum.discussions.models import Post
from forum.extensions import db
from forum.groups import seed as groups_seed
from tests.factories import make_user

HANDLES = ("admin", "sarah", "priya", "marcus", "lena", "tom", "james", "aisha", "diego",
           "hannah", "oliver", "mei", "ruth", "samir")


def test_seed_builds_nested_threads_in_the_demo_groups(app):
    ctx = {"users": {h: make_user(username=h) for h in HANDLES}}
    with writing():
        groups_seed.seed(ctx)
        discussions_seed.seed(ctx)
        db.session.flush()
    threads = ctx["threads"]
    assert len(threads) == len(discussions_seed.THREADS)
    titles = {t.title for t in threads}
    assert "Interest Group Week planning: call for session ideas" in titles
    for thread in threads:
        count = db.session.scalar(select(func.count(Post.id)).where(Post.thread_id == thread.id))
        db.session.refresh(thread)
        assert thread.post_count == count and thread.last_post_id is not None
    assert db.session.scalar(select(func.max(Post.depth))) >= 4
    pm = threads[0]
    assert pm.group.slug == "project-management"
    assert 'href="/members/marcus"' in db.session.scalar(
        select(Post.html).where(Post.source.like("@marcus%")))
