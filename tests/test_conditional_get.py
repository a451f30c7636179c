"""ETag / Last-Modified and 304 Not Modified for the reading pages, for visitors and members:
a page unchanged for its reader costs a 304 and no page queries; anything that changes it for
that reader — a write, their read mark, a new notification — gives them the new page."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest

from forum.discussions import services as discussions
from forum.extensions import db
from forum.groups.models import Visibility
from forum.pagecache import pages, store
from forum.querycount import count_queries
from tests.factories import make_group, make_membership, make_user
from tests.factories_discussions import make_reply, make_thread
from tests.helpers import login
from tests.test_pagecache import redis_overrides


@pytest.fixture(params=["memory", "redis"])
def app_overrides(request):
    return redis_overrides() if request.param == "redis" else {}


@pytest.fixture(autouse=True)
def _still_clock(monkeypatch):
    # A few seconds ahead of the real clock, mid-window: the page's generations are old enough
    # for a Last-Modified, and no run straddles the in-process store's time window.
    now = time.time() + 20  # past the generations just made, and any file just saved
    if now % 60 < 5 or now % 60 > 50:
        now += 15
    monkeypatch.setattr(pages, "_now", lambda: now)


@pytest.fixture
def site(app):
    ada = make_user(username="ada", display_name="Ada Lovelace")
    bob = make_user(username="bob", display_name="Bob Hopper")
    pub = make_group(slug="pub", name="Public Group", visibility=Visibility.PUBLIC)
    for user in (ada, bob):
        make_membership(group=pub, user=user)
    thread = make_thread(group=pub, author=ada, title="Budget talk")
    db.session.commit()
    return SimpleNamespace(ada=ada, bob=bob, pub=pub, thread=thread)


def urls(site) -> list[str]:
    t = site.thread.id
    return ["/", "/groups", "/g/pub", "/g/pub/discussions", "/g/pub/feed.atom",
            f"/g/pub/t/{t}", f"/g/pub/t/{t}?view=newest&page=1"]


def settled(client, url: str):
    """The page as a reader sees it on a second look: the first page after signing in shows
    the "signed in" flash (never tagged), and one with ?view= sets the view's cookie."""
    client.get("/")
    client.get(url)
    return client.get(url)


def again(client, url: str, first, method: str = "GET"):
    return client.open(url, method=method, headers={"If-None-Match": first.headers["ETag"]})


@pytest.mark.parametrize("index", range(7))
def test_a_visitor_revalidates_with_a_304_and_no_sql(app, site, index):
    url = urls(site)[index]
    client = app.test_client()
    first = settled(client, url)
    assert first.status_code == 200 and first.headers["ETag"].startswith('W/"')
    assert "Last-Modified" in first.headers
    with count_queries() as statements:
        second = again(client, url, first)
    assert second.status_code == 304 and second.get_data() == b""
    assert second.headers["ETag"] == first.headers["ETag"]
    assert statements == []
    assert again(client, url, first, "HEAD").status_code == 304


@pytest.mark.parametrize("index", range(7))
def test_a_member_revalidates_with_a_304_without_the_pages_queries(app, site, client, index):
    url = urls(site)[index]
    login(client, site.ada)
    first = settled(client, url)
    assert first.status_code == 200 and "ETag" in first.headers
    with count_queries() as statements:
        second = again(client, url, first)
    assert second.status_code == 304
    assert len(statements) <= 1  # signing the member in (their session row); no page query
    assert second.headers["Cache-Control"] == "private, no-cache"


def test_each_member_has_their_own_tag(app, site, client):
    url = f"/g/pub/t/{site.thread.id}"
    login(client, site.ada)
    adas = settled(client, url)
    other = app.test_client()
    login(other, site.bob)
    settled(other, url)
    bobs = again(other, url, adas)
    assert bobs.status_code == 200 and bobs.headers["ETag"] != adas.headers["ETag"]
    assert again(app.test_client(), url, adas).status_code == 200  # nor a visitor's


def test_a_write_gives_everyone_the_new_page(app, site, client):
    url = f"/g/pub/t/{site.thread.id}"
    login(client, site.ada)
    member_first = settled(client, url)
    visitor = app.test_client()
    visitor_first = visitor.get(url)
    make_reply(thread=site.thread, author=site.bob, body="Bob's fresh reply")
    db.session.commit()
    for who, first in ((client, member_first), (visitor, visitor_first)):
        response = again(who, url, first)
        assert response.status_code == 200
        assert "fresh reply" in response.get_data(as_text=True)


def test_a_members_own_read_mark_and_bell_change_their_tag_only(app, site, client):
    url = "/g/pub/discussions"
    login(client, site.bob)
    first = settled(client, url)
    visitor = app.test_client()
    visitor_first = visitor.get(url)
    discussions.mark_read(site.bob, site.thread)
    db.session.commit()
    second = again(client, url, first)
    assert second.status_code == 200
    assert again(visitor, url, visitor_first).status_code == 304
    discussions.mark_all_read(site.bob, site.pub)  # an INSERT … SELECT and a bulk UPDATE
    db.session.commit()
    assert again(client, url, second).status_code == 200


def test_joining_a_group_changes_the_members_tag(app, site, client):
    carol = make_user(username="carol")
    db.session.commit()
    login(client, carol)
    first = settled(client, "/g/pub")
    make_membership(group=site.pub, user=carol)
    db.session.commit()
    assert again(client, "/g/pub", first).status_code == 200


@pytest.mark.parametrize("app_overrides", [{}], ids=["memory"])
def test_if_modified_since_alone_answers_304_until_a_write(app, site, monkeypatch):
    # Dates have whole seconds, so the write must come seconds after the first look: the
    # page's clock and the in-process generations' clock move together here (Redis keeps its
    # own, the real one; the date arithmetic is the same for both).
    clock = [time.time() + 20]
    if clock[0] % 60 < 5 or clock[0] % 60 > 50:
        clock[0] += 15  # mid-window: the steps below stay in one time window
    monkeypatch.setattr(pages, "_now", lambda: clock[0])
    monkeypatch.setattr(store, "_now_us", lambda: int(clock[0] * 1_000_000))
    url = "/g/pub/discussions"
    client = app.test_client()
    # The group's generations, met for the first time now (another page of the group, so
    # this one is not stored undated).
    assert "Last-Modified" not in client.get("/g/pub").headers
    clock[0] += 3
    first = client.get(url)
    since = {"If-Modified-Since": first.headers["Last-Modified"]}
    assert client.get(url, headers=since).status_code == 304
    clock[0] += 2
    make_thread(group=site.pub, author=site.ada, title="Another")
    db.session.commit()
    clock[0] += 3
    changed = client.get(url, headers=since)
    assert changed.status_code == 200 and "Another" in changed.get_data(as_text=True)
    assert changed.last_modified > first.last_modified
    later = {"If-Modified-Since": changed.headers["Last-Modified"]}
    assert client.get(url, headers=later).status_code == 304


def test_a_missing_group_or_thread_has_no_tag(app, site):
    for url in ("/g/nope", f"/g/nope/t/{site.thread.id + 100}",
                f"/g/pub/t/{site.thread.id + 100}"):
        response = app.test_client().get(url)
        assert response.status_code == 404 and "ETag" not in response.headers
    # A thread's id under another slug is a redirect to its address (a moved thread), untagged.
    response = app.test_client().get(f"/g/nope/t/{site.thread.id}")
    assert response.status_code == 301 and "ETag" not in response.headers
