"""The materialized-path tree: placing replies, the depth cap, and the one-pass walk."""

from __future__ import annotations

from types import SimpleNamespace

from forum.discussions.models import MAX_DEPTH, PATH_SEGMENT, Post
from forum.discussions.tree import (
    ancestor_ids,
    branch_root_depth,
    child_path,
    placement,
    subtree_range,
    walk,
)
from forum.extensions import db
from tests.factories import make_group, make_membership, make_user
from tests.factories_discussions import make_reply, make_thread, root_post


def test_a_reply_nests_under_what_it_answers():
    where = placement(7, "0000000001" + "0000000007", 1, 1)
    assert (where.parent_id, where.depth, where.reply_to_id) == (7, 2, None)
    assert child_path(where.base_path, 9) == "000000000100000000070000000009"


def test_a_reply_at_the_depth_cap_becomes_a_sibling_that_records_whom_it_answers():
    deep_path = "".join(f"{i:010d}" for i in range(1, MAX_DEPTH + 2))
    where = placement(MAX_DEPTH + 1, deep_path, MAX_DEPTH, MAX_DEPTH)
    assert where.depth == MAX_DEPTH
    assert where.parent_id == MAX_DEPTH and where.reply_to_id == MAX_DEPTH + 1
    assert len(child_path(where.base_path, 999)) == (MAX_DEPTH + 1) * PATH_SEGMENT <= 255


def test_subtree_range_and_ancestors_come_from_the_path():
    lo, hi = subtree_range("00000000010000000002")
    assert lo <= "000000000100000000020000000005" < hi
    assert not (lo <= "00000000010000000003" < hi)
    assert ancestor_ids("000000000100000000020000000005") == [1, 2, 5]


def test_branch_pages_start_every_display_depth_levels():
    assert branch_root_depth(6) == 0
    assert branch_root_depth(7) == 6 and branch_root_depth(12) == 6
    assert branch_root_depth(13) == 12


def _markup_of(depths):
    posts = [SimpleNamespace(depth=d) for d in depths]
    out = []
    for item in walk(posts):
        out.append("<li>")
        out.append("<ol>" if item.opens else "</li>")
        out.extend(["</ol></li>"] * item.closes)
    return "".join(out)


def test_walk_opens_and_closes_every_branch_it_starts():
    for depths in ([0, 1, 2, 3, 1, 2, 1], [3, 4, 2, 3, 5, 1], [0], [2, 2, 2], [1, 9, 9, 2]):
        html = _markup_of(depths)
        assert html.count("<ol>") == html.count("</ol>")
        assert html.count("<li>") == html.count("</li>")


def test_walk_handles_a_thousand_levels_without_recursion():
    html = _markup_of(range(1000))
    assert html.count("<ol>") == 999 == html.count("</ol>")


def test_a_hundred_and_twenty_nested_replies_all_work_and_stay_within_the_cap(app):
    author = make_user()
    group = make_group()
    make_membership(group=group, user=author)
    thread = make_thread(group=group, author=author)
    parent = root_post(thread)
    for _ in range(120):
        parent = make_reply(thread=thread, author=author, parent=parent, body="deeper")
    db.session.commit()
    posts = db.session.query(Post).filter_by(thread_id=thread.id).all()
    assert len(posts) == 121
    assert max(p.depth for p in posts) == MAX_DEPTH
    assert all(len(p.path) <= 255 for p in posts)
    capped = [p for p in posts if p.reply_to_id is not None]
    assert capped and all(p.depth == MAX_DEPTH for p in capped)
    assert thread.post_count == 121
