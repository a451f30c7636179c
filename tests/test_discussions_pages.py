"""Pages of a thread: the per-page viewer answers as the per-post rules do, pages hold at most
PAGE_CAP posts (FLAT_PER_PAGE on flat pages) and permalinks land on the page holding the post."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from forum.discussions.models import PostStatus
from forum.discussions.pages import FLAT_PER_PAGE, PAGE_CAP, TOP_PER_PAGE
from forum.extensions import db
from forum.groups.models import Visibility
from forum.permissions import Permissions
from tests.factories import make_group, make_membership, make_user
from tests.factories_discussions import bulk_replies, make_reply, make_thread, root_post
from tests.world import ROLES

RULES = ("can_see_post_body", "can_edit_post", "can_delete_post", "can_see_history",
         "can_recommend", "can_flag", "can_hide_post")


@pytest.mark.parametrize("locked", [False, True])
def test_the_page_viewer_answers_every_post_as_the_per_post_rules(world, locked):
    thread = make_thread(group=world.group, author=world.leader, title="Matrix")
    thread.locked = locked
    posts = [make_reply(thread=thread, author=author, status=status)
             for author in (world.group_member, world.moderator, world.banned, world.leader)
             for status in PostStatus]
    posts[0].author_id = None  # a former member's post
    db.session.flush()
    for role in ROLES:
        perms = Permissions(getattr(world, role))
        viewer = perms.thread_viewer(thread)
        assert viewer.can_reply == perms.can_reply(thread), role
        assert viewer.can_mark_read == perms.can_mark_read(thread), role
        for post in posts:
            for rule in RULES:
                assert getattr(viewer, rule)(post) == getattr(perms, rule)(post), \
                    (role, rule, post.status, post.author_id)


@pytest.fixture
def pm(app):
    group = make_group(slug="pm", name="PM Group", visibility=Visibility.PUBLIC)
    priya = make_user(username="priya", display_name="Priya Raman")
    marcus = make_user(username="marcus", display_name="Marcus Webb")
    for u in (priya, marcus):
        make_membership(group=group, user=u)
    thread = make_thread(group=group, author=priya, title="Tools for small teams")
    return SimpleNamespace(group=group, priya=priya, marcus=marcus, thread=thread)


def _ids(html: str) -> list[int]:
    return [int(x) for x in re.findall(r'<article class="post[^"]*" id="post-(\d+)"', html)]


def _more(html: str) -> str:
    return re.search(r'class="continue-page"><a href="([^"]+)"', html).group(1) \
        .replace("&amp;", "&")


def test_a_page_of_small_branches_stops_at_the_cap_and_goes_on_at_the_next_branch(client, pm):
    posts = bulk_replies(thread=pm.thread, author=pm.marcus, count=3 * TOP_PER_PAGE + 6,
                         top_level_every=3)
    db.session.commit()
    assert 1 + 3 * TOP_PER_PAGE > PAGE_CAP  # whole branches of page 1 do not fit in one page
    html = client.get(f"/g/pm/t/{pm.thread.id}").get_data(as_text=True)
    first = _ids(html)
    assert len(first) == PAGE_CAP and "More replies on this page →" in html
    rest = _ids(client.get(_more(html)).get_data(as_text=True))
    assert first + rest == [root_post(pm.thread).id] + [p.id for p in posts[:3 * TOP_PER_PAGE]]
    page2 = _ids(client.get(f"/g/pm/t/{pm.thread.id}?page=2").get_data(as_text=True))
    assert page2 == [p.id for p in posts[3 * TOP_PER_PAGE:]]


def test_a_permalink_past_the_cap_opens_the_continuation_that_shows_it(client, pm):
    top = make_reply(thread=pm.thread, author=pm.priya, body="Big question")
    replies = bulk_replies(thread=pm.thread, author=pm.marcus, count=3 * PAGE_CAP, under=top)
    db.session.commit()
    for target in (replies[PAGE_CAP], replies[-1]):
        r = client.get(f"/p/{target.id}")
        assert r.status_code == 302 and "after=" in r.headers["Location"]
        html = client.get(r.headers["Location"]).get_data(as_text=True)
        assert target.id in _ids(html) and len(_ids(html)) <= PAGE_CAP


def test_flat_pages_hold_flat_per_page_posts_and_permalinks_find_them(client, pm):
    replies = bulk_replies(thread=pm.thread, author=pm.marcus, count=FLAT_PER_PAGE + 5)
    db.session.commit()
    url = f"/g/pm/t/{pm.thread.id}"
    page1 = _ids(client.get(url + "?view=oldest").get_data(as_text=True))
    page2 = _ids(client.get(url + "?view=oldest&page=2").get_data(as_text=True))
    assert len(page1) == FLAT_PER_PAGE and page1[0] == root_post(pm.thread).id
    assert page2 == [p.id for p in replies[FLAT_PER_PAGE - 1:]]
    r = client.get(f"/p/{replies[-1].id}")  # the view chosen above sticks
    assert "view=oldest" in r.headers["Location"] and "page=2" in r.headers["Location"]


def test_the_page_prints_each_post_as_the_reader_may_act_on_it(app, client, pm):
    from forum.discussions.services import mark_read
    from tests.helpers import login

    mine = make_reply(thread=pm.thread, author=pm.marcus, body="Mine")
    theirs = make_reply(thread=pm.thread, author=pm.priya, body="Theirs")
    held = make_reply(thread=pm.thread, author=pm.priya, body="Held", status=PostStatus.PENDING)
    mark_read(pm.marcus, pm.thread, mine.id)
    db.session.commit()
    login(client, pm.marcus)
    html = client.get(f"/g/pm/t/{pm.thread.id}").get_data(as_text=True)
    assert held.id not in _ids(html)  # another member's held post
    assert f'href="/p/{mine.id}/edit"' in html and f'href="/p/{theirs.id}/edit"' not in html
    assert f'/p/{theirs.id}/recommend' in html and f'/p/{mine.id}/recommend' not in html
    assert f'reply?parent_id={theirs.id}"' in html and f"quote={theirs.id}#reply" in html
    assert 'aria-pressed="false"' in html
    assert re.search(rf'class="post post-new" id="post-{theirs.id}"', html)
    assert not re.search(rf'class="post post-new" id="post-{mine.id}"', html)
    assert re.search(r'Priya Raman</span>\s*replied to Priya Raman', html)
    author = app.test_client()
    login(author, pm.priya)
    html = author.get(f"/g/pm/t/{pm.thread.id}").get_data(as_text=True)
    assert held.id in _ids(html) and "Awaiting a moderator's approval" in html


def test_the_thread_pages_reply_form_posts_as_written(client, pm):
    from tests.helpers import login

    login(client, pm.marcus)
    html = client.get(f"/g/pm/t/{pm.thread.id}").get_data(as_text=True)
    form = re.search(r'<form method="post" action="([^"]+/reply)"[^>]*>(.*?)</form>', html, re.S)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form.group(2)).group(1)
    parent = re.search(r'name="parent_id" type="hidden" value="(\d+)"', form.group(2)).group(1)
    assert int(parent) == root_post(pm.thread).id
    assert '<label for="body">' in form.group(2) and 'aria-describedby="body-hint"' in form.group(2)
    r = client.post(form.group(1), data={"csrf_token": token, "parent_id": parent,
                                         "body": "Posted from the page", "submit": "Post reply"})
    assert r.status_code == 302
    page = client.get(r.headers["Location"], follow_redirects=True).get_data(as_text=True)
    assert "Posted from the page" in page
