"""Rendered posts kept in the fragment cache (forum/pagecache/fragments.py): each reader still
sees their own links, marks and time zone, a change shows at once, and a member's page never
puts anything into the shared store (Redis), where only visitors' public pages may go."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
import redis

from forum.discussions.models import Post
from forum.extensions import db
from forum.groups.models import Visibility
from tests.factories import make_group, make_membership, make_user
from tests.factories_discussions import make_reply, make_thread
from tests.helpers import REDIS_URL, login, post, require_redis


def _page(client, thread) -> str:
    response = client.get(f"/g/{thread.group.slug}/t/{thread.id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _article(html: str, text: str) -> str:
    """The markup of the one post whose body says ``text``."""
    start = html.index(text)
    return html[html.rindex("<article", 0, start):html.index("</article>", start)]


@pytest.fixture
def site(app):
    group = make_group(slug="pm", name="Project Management", visibility=Visibility.MEMBERS)
    priya = make_user(username="priya", display_name="Priya Raman")
    lena = make_user(username="lena", display_name="Lena Ortiz")
    for member in (priya, lena):
        make_membership(group=group, user=member)
    lena.timezone = "America/Chicago"
    thread = make_thread(group=group, author=priya, title="Tools", body="What do you use?")
    reply = make_reply(thread=thread, author=priya, body="A kanban board, mine.")
    reply.created_at = datetime(2026, 1, 15, 18, 30, tzinfo=UTC)
    db.session.commit()
    return priya, lena, thread, reply


def test_each_reader_sees_their_own_links_and_zone_on_the_same_post(app, site):
    priya, lena, thread, _ = site
    marcus = make_user(username="marcus", display_name="Marcus Webb")  # Lena's rights, in UTC
    make_membership(group=thread.group, user=marcus)
    db.session.commit()
    hers, chicago, utc = app.test_client(), app.test_client(), app.test_client()
    for client, user in ((hers, priya), (chicago, lena), (utc, marcus)):
        login(client, user)
    for _ in range(2):  # the second round reads every post from the cache
        mine = _article(_page(hers, thread), "A kanban board, mine.")
        assert "Edit<span" in mine and ">Delete</button>" in mine
        assert "15 Jan 2026, 18:30" in mine and "Recommend" not in mine  # her own post
        theirs = _article(_page(chicago, thread), "A kanban board, mine.")
        assert "Edit<span" not in theirs and ">Delete</button>" not in theirs
        assert "15 Jan 2026, 12:30" in theirs and "Recommend<span" in theirs
        same_rights = _article(_page(utc, thread), "A kanban board, mine.")
        assert "15 Jan 2026, 18:30" in same_rights and "Recommend<span" in same_rights


def test_a_recommendation_an_edit_and_a_new_name_show_at_once(app, site):
    priya, lena, thread, reply = site
    reader = app.test_client()
    login(reader, lena)
    assert "0 recommendations" in _article(_page(reader, thread), "A kanban board, mine.")
    assert post(reader, f"/p/{reply.id}/recommend").status_code == 302
    html = _article(_page(reader, thread), "A kanban board, mine.")
    assert "1 recommendation<" in html and 'aria-pressed="true"' in html
    db.session.get(Post, reply.id).html = "<p>A kanban board, edited.</p>"
    priya.display_name = "Priya R. Raman"
    db.session.commit()
    html = _page(reader, thread)
    assert "A kanban board, edited." in html and "A kanban board, mine." not in html
    assert "Priya R. Raman" in _article(html, "A kanban board, edited.")


def test_the_posts_buttons_submit_one_form_with_the_token(app, site):
    priya, lena, thread, reply = site
    reader = app.test_client()
    login(reader, lena)
    html = _page(reader, thread)
    assert html.count('<form id="post-actions" method="post" hidden>') == 1
    assert f'form="post-actions" formaction="/p/{reply.id}/recommend"' in html
    visitor_html = app.test_client().get(f"/g/pm/t/{thread.id}")
    assert visitor_html.status_code in (302, 401, 403, 404)  # members only: not for visitors


@pytest.fixture
def app_overrides():
    if not REDIS_URL:
        return {}
    require_redis()
    return {"REDIS_URL": REDIS_URL, "PAGE_CACHE_KEY_PREFIX": f"test-frag-{uuid.uuid4().hex}"}


def test_a_members_page_puts_nothing_into_the_shared_store(app, site):
    require_redis()
    priya, _, thread, _ = site
    member = app.test_client()
    login(member, priya)
    for _ in range(2):
        assert "A kanban board, mine." in _page(member, thread)
    store = redis.Redis.from_url(REDIS_URL)
    prefix = app.config["PAGE_CACHE_KEY_PREFIX"]
    for key in store.scan_iter(f"{prefix}*"):
        value = store.get(key) if store.type(key) == b"string" else b""
        assert b"kanban" not in (value or b""), key
