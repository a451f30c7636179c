"""The front door (forum/pagecache/front.py): a cookie-less visitor's cached page is answered
before Flask runs — and only then, and only while the page is what Flask would send.

On SQLite and PostgreSQL, with the page cache in this process and in Redis."""

from __future__ import annotations

import pytest
from flask import request_started

from forum.extensions import db
from forum.querycount import count_queries
from tests import test_pagecache as base
from tests.factories_discussions import make_reply
from tests.helpers import login
from tests.test_pagecache import visit, warm

# The page cache tests' world and settings: both stores, a still clock, a public group's thread.
app_overrides, _still_clock, site = base.app_overrides, base._still_clock, base.site


@pytest.fixture
def flask_runs(app):
    """How many requests reached Flask (the front door answers without it)."""
    seen = []

    def started(sender, **extra):
        seen.append(1)

    request_started.connect(started, app)
    yield seen
    request_started.disconnect(started, app)


def test_a_visitors_page_is_answered_without_flask_with_every_header(app, site, flask_runs):
    warm(app, site.url)  # a miss, then the decorator's own hit: both reach Flask
    full = visit(app, site.url)
    del flask_runs[:]
    with count_queries() as statements:
        fast = visit(app, site.url)
    assert flask_runs == [] and statements == []
    assert fast.status_code == 200 and fast.headers["X-Page-Cache"] == "hit"
    assert fast.get_data() == full.get_data()
    for header in ("Content-Security-Policy", "X-Frame-Options", "ETag", "Content-Type"):
        assert fast.headers[header] == full.headers[header]
    assert int(fast.headers["Content-Length"]) == len(full.get_data())
    assert "Set-Cookie" not in fast.headers


def test_a_write_reaches_the_next_visitor_at_once(app, site, flask_runs):
    warm(app, site.url)
    make_reply(thread=site.thread, author=site.author, body="News since the last look")
    db.session.commit()
    del flask_runs[:]
    page = visit(app, site.url)
    assert flask_runs == [1]  # the generations moved: Flask renders anew
    assert "News since the last look" in page.get_data(as_text=True)


def test_anyone_with_a_cookie_goes_through_flask(app, site, client, flask_runs):
    warm(app, site.url)
    login(client, site.author)
    del flask_runs[:]
    mine = client.get(site.url)
    assert flask_runs == [1] and "X-Page-Cache" not in mine.headers
    assert 'name="csrf-token"' in mine.get_data(as_text=True)
    chooser = app.test_client()
    chooser.set_cookie("thread_view", "newest")
    chooser.get(site.url)
    assert flask_runs == [1, 1]


def test_a_conditional_get_and_head_are_answered_at_the_door(app, site, flask_runs):
    warm(app, site.url)
    tag = visit(app, site.url).headers["ETag"]
    del flask_runs[:]
    again = app.test_client().get(site.url, headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.get_data() == b""
    head = app.test_client().head(site.url)
    assert head.status_code == 200 and head.get_data() == b""
    assert head.headers["X-Page-Cache"] == "hit"
    assert flask_runs == []


@pytest.mark.parametrize("which", ["club", "secret"])
def test_members_only_and_private_pages_never_reach_the_door(app, site, flask_runs, which):
    url = f"/g/{which}"
    for _ in range(3):
        response = visit(app, url)
        assert "X-Page-Cache" not in response.headers
        assert "Club talk" not in response.get_data(as_text=True)
    assert len(flask_runs) == 3


def test_an_error_page_is_never_kept(app, site, flask_runs):
    for _ in range(2):
        assert visit(app, "/g/pub/t/99999999").status_code == 404
    assert len(flask_runs) == 2


def test_the_query_string_and_host_are_part_of_the_address(app, site, flask_runs):
    warm(app, "/")
    del flask_runs[:]
    visit(app, "/?page=1")
    app.test_client().get("/", headers={"Host": "other.example"})
    app.test_client().get("/", headers={"X-Forwarded-Host": "proxy.example"})
    assert len(flask_runs) == 3
