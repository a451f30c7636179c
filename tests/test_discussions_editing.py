"""Editing, removing and recommending posts; read marks; the feed and the home block."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from forum.discussions.models import PostRevision, PostStatus, Recommendation, ThreadRead
from forum.extensions import db
from forum.groups.models import Visibility
from forum.querycount import count_queries
from tests.factories import appoint, make_group, make_membership, make_user
from tests.factories_discussions import make_reply, make_thread, root_post
from tests.helpers import login, post


@pytest.fixture
def pm(app):
    from forum.groups.models import Role

    group = make_group(slug="pm", name="Project Management Interest Group")
    priya = make_user(username="priya", display_name="Priya Raman")
    marcus = make_user(username="marcus", display_name="Marcus Webb")
    lena = make_user(username="lena", display_name="Lena Ortiz")
    for u in (priya, marcus, lena):
        make_membership(group=group, user=u)
    appoint(user=marcus, group=group, role=Role.MODERATOR, title="Moderator")
    thread = make_thread(group=group, author=priya, title="Tools", body="What do you use?")
    return SimpleNamespace(group=group, priya=priya, marcus=marcus, lena=lena, thread=thread)


def test_author_edits_and_the_old_text_goes_to_history(app, client, pm):
    reply = make_reply(thread=pm.thread, author=pm.lena, body="Frist!")
    login(client, pm.lena)
    r = post(client, f"/p/{reply.id}/edit", {"body": "First, with a fix."})
    assert r.status_code == 302
    db.session.refresh(reply)
    assert reply.source == "First, with a fix." and reply.edited_at is not None
    revision = db.session.scalar(select(PostRevision).where(PostRevision.post_id == reply.id))
    assert revision.source == "Frist!"
    page = client.get(f"/g/pm/t/{pm.thread.id}").get_data(as_text=True)
    assert "(edited)" in page
    history = client.get(f"/p/{reply.id}/history").get_data(as_text=True)
    assert "Frist!" in history
    moderator = app.test_client()
    login(moderator, pm.marcus)
    assert moderator.get(f"/p/{reply.id}/history").status_code == 200
    other = app.test_client()
    login(other, pm.priya)
    assert other.get(f"/p/{reply.id}/history").status_code == 403
    assert post(other, f"/p/{reply.id}/edit", {"body": "hijack"}).status_code == 403


def test_history_of_a_post_in_a_private_group_is_404_to_outsiders(app, pm):
    private = make_group(slug="secret", visibility=Visibility.PRIVATE)
    make_membership(group=private, user=pm.priya)
    thread = make_thread(group=private, author=pm.priya)
    outsider = app.test_client()
    login(outsider, pm.lena)
    assert outsider.get(f"/p/{root_post(thread).id}/history").status_code == 404


def test_edit_with_empty_body_is_a_form_error_and_changes_nothing(client, pm):
    reply = make_reply(thread=pm.thread, author=pm.lena, body="Keep me")
    login(client, pm.lena)
    r = post(client, f"/p/{reply.id}/edit", {"body": "   "})
    assert r.status_code == 400
    db.session.refresh(reply)
    assert reply.source == "Keep me"


def test_nul_byte_in_an_edit_is_refused_and_changes_nothing(client, pm):
    from tests.helpers import csrf_token

    reply = make_reply(thread=pm.thread, author=pm.lena, body="Keep me")
    login(client, pm.lena)
    r = client.post(f"/p/{reply.id}/edit", data=b"body=a%00b&csrf_token=" +
                    csrf_token(client).encode(), content_type="application/x-www-form-urlencoded")
    assert r.status_code == 400
    db.session.refresh(reply)
    assert reply.source == "Keep me"


def test_removing_a_post_leaves_a_placeholder_and_keeps_its_replies(client, pm):
    parent = make_reply(thread=pm.thread, author=pm.lena, body="I will vanish")
    child = make_reply(thread=pm.thread, author=pm.priya, parent=parent, body="I stay")
    login(client, pm.lena)
    assert post(client, f"/p/{parent.id}/delete").status_code == 302
    db.session.refresh(parent)
    assert parent.status == PostStatus.DELETED and parent.source == ""
    db.session.refresh(pm.thread)
    assert pm.thread.post_count == 2
    page = client.get(f"/g/pm/t/{pm.thread.id}").get_data(as_text=True)
    assert "removed by its author" in page and "I stay" in page and "I will vanish" not in page
    assert f'id="post-{child.id}"' in page
    assert post(client, f"/p/{parent.id}/delete").status_code == 403  # already removed


def test_recommend_toggles_once_per_member_and_counts_in_sql(client, pm):
    reply = make_reply(thread=pm.thread, author=pm.lena)
    login(client, pm.priya)
    post(client, f"/p/{reply.id}/recommend")
    db.session.refresh(reply)
    assert reply.recommend_count == 1
    page = client.get(f"/g/pm/t/{pm.thread.id}").get_data(as_text=True)
    assert 'aria-pressed="true"' in page and "1 recommendation" in page
    post(client, f"/p/{reply.id}/recommend")
    db.session.refresh(reply)
    assert reply.recommend_count == 0
    assert db.session.scalar(select(func.count(Recommendation.id))) == 0


def test_author_cannot_recommend_their_own_post(client, pm):
    reply = make_reply(thread=pm.thread, author=pm.lena)
    login(client, pm.lena)
    assert post(client, f"/p/{reply.id}/recommend").status_code == 403


def test_unread_marks_move_only_by_post(client, pm):
    login(client, pm.lena)
    read = lambda: db.session.scalar(select(ThreadRead.last_read_post_id).where(  # noqa: E731
        ThreadRead.user_id == pm.lena.id))
    client.get(f"/g/pm/t/{pm.thread.id}")
    assert read() is None
    listing = client.get("/g/pm/discussions").get_data(as_text=True)
    assert "New posts" in listing
    r = client.get(f"/g/pm/t/{pm.thread.id}/unread")
    assert r.headers["Location"].endswith(f"/p/{root_post(pm.thread).id}")
    post(client, f"/g/pm/t/{pm.thread.id}/read", {"up_to": root_post(pm.thread).id})
    assert read() == root_post(pm.thread).id
    newer = make_reply(thread=pm.thread, author=pm.priya, body="Something new")
    assert client.get(f"/g/pm/t/{pm.thread.id}/unread").headers["Location"].endswith(
        f"/p/{newer.id}")
    assert "post-new" in client.get(f"/g/pm/t/{pm.thread.id}").get_data(as_text=True)
    post(client, f"/g/pm/t/{pm.thread.id}/read", {"up_to": "-5"})  # never backwards
    post(client, f"/g/pm/t/{pm.thread.id}/read", {"up_to": "not a number"})
    assert read() == newer.id  # no up_to that parses: the whole thread
    post(client, "/g/pm/read-all")
    assert read() == newer.id
    assert "New posts" not in client.get("/g/pm/discussions").get_data(as_text=True)


def test_replying_marks_the_thread_read_for_the_author(client, pm):
    login(client, pm.lena)
    post(client, f"/g/pm/t/{pm.thread.id}/reply", {"body": "Me too"})
    db.session.refresh(pm.thread)
    assert db.session.scalar(select(ThreadRead.last_read_post_id).where(
        ThreadRead.user_id == pm.lena.id)) == pm.thread.last_post_id


def test_atom_feed_for_public_groups_only_and_escaped(client, pm):
    pm.group.visibility = Visibility.PUBLIC
    make_thread(group=pm.group, author=pm.priya, title='Tags & <b>"quotes"</b>',
                body="Hello <script>alert(1)</script>")
    r = client.get("/g/pm/feed.atom")
    xml = r.get_data(as_text=True)
    assert r.status_code == 200 and r.mimetype == "application/atom+xml"
    assert "Tags &amp; &lt;b&gt;" in xml and "<script>" not in xml
    import xml.etree.ElementTree as ET

    ET.fromstring(r.data)  # well-formed
    pm.group.visibility = Visibility.MEMBERS
    db.session.commit()
    assert client.get("/g/pm/feed.atom").status_code == 404
    assert client.get("/g/nope/feed.atom").status_code == 404


def test_home_block_lists_readable_discussions_in_one_query(app, pm):
    from flask import g

    from forum.discussions.home import home_blocks
    from forum.permissions import Permissions

    secret = make_group(slug="secret", visibility=Visibility.PRIVATE)
    make_thread(group=secret, author=pm.priya, title="Secret plans")
    db.session.commit()
    with app.test_request_context():
        g.perms = Permissions(None)
        with count_queries() as q:
            [block] = home_blocks(g.perms)
        assert len(q) <= 2
        assert block.login_prompt is True
        assert [t.title for t in block.items] == []
        g.perms = Permissions(pm.priya)
        [block] = home_blocks(g.perms)
        assert [t.title for t in block.items] == ["Tools"]
