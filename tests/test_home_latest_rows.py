"""The home page's latest discussions as plain rows: who sees what, in what order, and how the
block prints them."""

from __future__ import annotations

from datetime import timedelta

from forum.db import utcnow
from forum.discussions.queries import _visitor_latest_statement, latest_threads
from forum.extensions import db
from forum.groups.models import GroupKind, Visibility
from forum.permissions import Permissions
from forum.querycount import count_queries
from tests.factories import make_group, make_membership, make_user
from tests.factories_discussions import make_reply, make_thread
from tests.helpers import login


def _at(thread, hours_ago: int):
    thread.last_post_at = utcnow() - timedelta(hours=hours_ago)
    db.session.flush()
    return thread


def _world():
    public = make_group(slug="open", name="Open Interest Group", visibility=Visibility.PUBLIC)
    members = make_group(slug="members", name="Members Group", visibility=Visibility.MEMBERS)
    private = make_group(slug="private", name="Private Group", visibility=Visibility.PRIVATE)
    committee = make_group(slug="cttee", name="A Committee", kind=GroupKind.COMMITTEE,
                           visibility=Visibility.PUBLIC)
    archived = make_group(slug="old", name="Old Group", visibility=Visibility.PUBLIC)
    archived.archived_at = utcnow()
    author, member, insider = make_user(), make_user(), make_user()
    make_membership(group=private, user=insider)
    older = _at(make_thread(group=public, author=author, title="Older"), 5)
    newer = make_thread(group=public, author=author, title="Newer")
    make_reply(thread=newer, author=author)
    _at(newer, 1)
    _at(make_thread(group=members, author=author, title="For members"), 2)
    _at(make_thread(group=private, author=author, title="Private talk"), 3)
    _at(make_thread(group=committee, author=author, title="Committee talk"), 1)
    _at(make_thread(group=archived, author=author, title="Archived talk"), 1)
    hidden = _at(make_thread(group=public, author=author, title="Hidden talk"), 1)
    hidden.hidden = True
    db.session.flush()
    return member, insider, older, newer


def test_each_reader_sees_the_interest_groups_they_may_read_newest_first(app):
    member, insider, older, newer = _world()
    assert [t.title for t in latest_threads(Permissions(None))] == ["Newer", "Older"]
    assert [t.title for t in latest_threads(Permissions(member))] == [
        "Newer", "For members", "Older"]
    assert [t.title for t in latest_threads(Permissions(insider), limit=3)] == [
        "Newer", "For members", "Private talk"]
    (row,) = latest_threads(Permissions(None), limit=1)
    assert (row.id, row.group_slug, row.group_name, row.reply_count) == (
        newer.id, "open", "Open Interest Group", 1)


def test_visitors_share_one_statement_and_pay_one_query(app):
    _world()
    assert _visitor_latest_statement(5) is _visitor_latest_statement(5)
    with count_queries() as q:
        latest_threads(Permissions(None))
    assert len(q) == 1
    # Constants are written into the SQL, not bound: PostgreSQL can then keep one cached plan
    # for the list instead of planning it on every request (forum.db.sql_int).
    assert "LIMIT 5" in q[0] and "post_count > 0" in q[0]


def test_home_block_links_each_thread_with_its_group_and_replies(client):
    member, _, older, newer = _world()
    db.session.commit()
    login(client, member)  # visitors get the log-in prompt instead of the list
    html = client.get("/").get_data(as_text=True)
    assert f'<a href="/g/open/t/{newer.id}">Newer</a>' in html
    assert "in Open Interest Group · 1 reply · <time datetime=" in html
    assert f'<a href="/g/open/t/{older.id}">Older</a>' in html and "0 replies" in html
    assert "Private talk" not in html and "Hidden talk" not in html
