"""A member's own pages, kept in this process under the digest of their ETag
(forum.pagecache.pages): asking again for a page that has not changed for them is answered
from their copy; anything that would change the page for them — a write, their own read mark,
losing their place in a group, signing out — gives them a freshly rendered page; nobody else
ever gets their copy, and it never reaches the shared store."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
import redis

from forum.extensions import db
from forum.groups import services as groups
from forum.groups.models import Membership, Visibility
from forum.querycount import count_queries
from tests.factories import make_group, make_membership, make_user
from tests.factories_discussions import make_reply, make_thread
from tests.helpers import REDIS_URL, login, logout
from tests.test_pagecache import redis_overrides

_CSRF_INPUT = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


@pytest.fixture(params=["memory", "redis"])
def app_overrides(request):
    return redis_overrides() if request.param == "redis" else {}


@pytest.fixture
def site(app):
    ada = make_user(username="ada", display_name="Ada Lovelace")
    bob = make_user(username="bob", display_name="Bob Hopper")
    pub = make_group(slug="pub", name="Public Group", visibility=Visibility.PUBLIC)
    secret = make_group(slug="inner", name="Inner Circle", visibility=Visibility.PRIVATE)
    for group in (pub, secret):
        for user in (ada, bob):
            make_membership(group=group, user=user)
    thread = make_thread(group=pub, author=ada, title="Budget talk")
    hidden = make_thread(group=secret, author=bob, title="Succession plans")
    db.session.commit()
    return SimpleNamespace(ada=ada, bob=bob, pub=pub, secret=secret, thread=thread,
                           hidden=hidden)


def settled(client, url: str):
    """A member's first look at ``url``, rendered and kept: the first page after signing in
    shows a flash (never kept)."""
    client.get("/")
    return client.get(url)


@pytest.mark.parametrize("url", ["/", "/groups", "/g/pub", "/g/inner/discussions",
                                 "/events/", "/articles/", "/members/bob"])
def test_asking_again_for_an_unchanged_page_is_answered_from_the_members_copy(
        app, site, client, url):
    login(client, site.ada)
    first = settled(client, url)
    assert first.status_code == 200 and first.headers.get("X-Page-Cache") is None
    with count_queries() as statements:
        again = client.get(url)
    assert again.headers["X-Page-Cache"] == "member-hit"
    assert again.get_data() == first.get_data()
    assert again.headers["ETag"] == first.headers["ETag"]
    assert len(statements) <= 1  # signing the member in; no page query
    assert again.headers["Cache-Control"] == "private, no-cache"


def test_a_write_is_on_the_members_next_page(app, site, client):
    url = f"/g/pub/t/{site.thread.id}"
    login(client, site.ada)
    settled(client, url)
    assert client.get(url).headers["X-Page-Cache"] == "member-hit"
    make_reply(thread=site.thread, author=site.bob, body="Bob's fresh reply")
    db.session.commit()
    response = client.get(url)
    assert response.headers.get("X-Page-Cache") is None
    assert "fresh reply" in response.get_data(as_text=True)


def test_another_member_never_gets_the_copy(app, site, client):
    url = f"/g/pub/t/{site.thread.id}"
    login(client, site.ada)
    settled(client, url)
    other = app.test_client()
    login(other, site.bob)
    bobs = settled(other, url)
    assert bobs.headers.get("X-Page-Cache") is None  # rendered for Bob
    page = bobs.get_data(as_text=True)
    assert "Bob Hopper" in page and "Ada Lovelace" in page  # his header; Ada as the author
    assert 'href="/members/bob"' in page


def test_losing_a_private_group_ends_the_copy(app, site, client):
    url = f"/g/inner/t/{site.hidden.id}"
    login(client, site.ada)
    settled(client, url)
    assert client.get(url).headers["X-Page-Cache"] == "member-hit"
    membership = db.session.query(Membership).filter_by(group_id=site.secret.id,
                                                         user_id=site.ada.id).one()
    assert groups.remove_member(site.secret, membership).changed
    db.session.commit()
    response = client.get(url)
    assert response.status_code in (403, 404)
    assert "Succession plans" not in response.get_data(as_text=True)


def test_a_ban_ends_the_copy(app, site, client):
    url = f"/g/pub/t/{site.thread.id}"
    reply_form = f'action="/g/pub/t/{site.thread.id}/reply"'
    login(client, site.ada)
    assert reply_form in settled(client, url).get_data(as_text=True)
    assert client.get(url).headers["X-Page-Cache"] == "member-hit"
    assert groups.ban(site.pub, site.ada).changed
    db.session.commit()
    response = client.get(url)  # banned: not even the group's public threads
    assert response.status_code == 403 and response.headers.get("X-Page-Cache") is None
    assert "Budget talk" not in response.get_data(as_text=True)


def test_signing_out_never_shows_the_members_copy(app, site, client):
    url = "/g/inner/discussions"
    login(client, site.ada)
    settled(client, url)
    assert client.get(url).headers["X-Page-Cache"] == "member-hit"
    logout(client)
    response = client.get(url)
    assert response.status_code in (403, 404)
    assert "Succession plans" not in response.get_data(as_text=True)


def test_a_page_that_flashes_is_not_kept(app, site, client):
    login(client, site.ada)
    first = client.get("/")  # shows "signed in"
    assert "Welcome back" in first.get_data(as_text=True)
    second = client.get("/")
    assert second.headers.get("X-Page-Cache") is None  # rendered again, without the flash
    assert "Welcome back" not in second.get_data(as_text=True)
    assert client.get("/").headers["X-Page-Cache"] == "member-hit"


@pytest.mark.parametrize("app_overrides", [{"MEMBER_PAGE_CACHE_SECONDS": 0}], ids=["off"])
def test_zero_seconds_turns_it_off(app, site, client):
    login(client, site.ada)
    settled(client, "/g/pub")
    assert client.get("/g/pub").headers.get("X-Page-Cache") is None


@pytest.mark.parametrize("app_overrides", ["redis"], indirect=True)
def test_the_copy_never_reaches_the_shared_store(app, site, client):
    prefix = app.config["PAGE_CACHE_KEY_PREFIX"]
    store = redis.Redis.from_url(REDIS_URL)
    login(client, site.ada)
    settled(client, "/g/inner/discussions")
    assert client.get("/g/inner/discussions").headers["X-Page-Cache"] == "member-hit"
    for key in store.scan_iter(f"{prefix}*"):
        value = store.get(key) if store.type(key) == b"string" else b""
        assert b"Succession plans" not in (value or b"")


def test_the_form_on_a_kept_page_still_posts(app, site, client):
    """The copy's forms carry a CSRF token made when it was rendered: still good (tokens last
    WTF_CSRF_TIME_LIMIT, the copy MEMBER_PAGE_CACHE_SECONDS), so a reply from it goes in."""
    url = f"/g/pub/t/{site.thread.id}"
    login(client, site.ada)
    settled(client, url)
    kept = client.get(url)
    assert kept.headers["X-Page-Cache"] == "member-hit"
    token = _CSRF_INPUT.search(kept.get_data(as_text=True)).group(1)
    response = client.post(f"{url}/reply", data={"csrf_token": token,
                                                 "body": "Sent from the kept page"})
    assert response.status_code in (302, 303)
    page = client.get(url)
    assert page.headers.get("X-Page-Cache") is None
    assert "Sent from the kept page" in page.get_data(as_text=True)


@pytest.mark.parametrize("headers", [{"Cache-Control": "no-cache"}, {"Pragma": "no-cache"}])
def test_a_hard_reload_renders_the_page_afresh(app, site, client, headers):
    login(client, site.ada)
    settled(client, "/g/pub")
    assert client.get("/g/pub").headers["X-Page-Cache"] == "member-hit"
    with count_queries() as statements:
        fresh = client.get("/g/pub", headers=headers)
    assert fresh.status_code == 200 and fresh.headers.get("X-Page-Cache") is None
    assert len(statements) > 1  # the page's own statements ran
    assert client.get("/g/pub").headers["X-Page-Cache"] == "member-hit"
