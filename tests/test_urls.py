"""Links from patterns (forum.urls) are the links url_for builds, whatever the values."""

from __future__ import annotations

import pytest
from flask import render_template_string, url_for

from forum.urls import cached_url, url_format, url_parts

CASES = [
    ("groups.show", {"slug": "project-management"}),
    ("groups.show", {"slug": "caf\u00e9 & co"}),  # quoted in the path
    ("groups.show", {"slug": "a+b=c"}),  # as it is in a path segment
    ("groups.directory", {"page": 2, "q": "a+b"}),  # but quoted in the query string
    ("groups.directory", {"page": 3, "kind": None, "q": None}),  # None left out
    ("groups.directory", {"q": "50% & more?"}),
    ("groups.directory", {"q": ""}),
    ("auth.login", {"next": "/g/project-management?"}),  # a reader's page, to come back to
    ("auth.login", {"next": "/g/x/t/5?view=oldest&page=2"}),
    ("discussions.thread", {"slug": "x", "thread_id": 7, "page": 2, "after": "0001:0002"}),
    ("discussions.thread", {"slug": "x", "thread_id": 7, "quote": 9, "_anchor": "reply"}),
    ("discussions.thread", {"slug": "x", "thread_id": 7, "view": True}),
    ("files.download", {"slug": "x", "file_id": 3}),
    ("files.download", {"slug": "x", "file_id": 3, "number": 2}),  # the other rule
    ("groups.review_request", {"slug": "x", "user_id": 4, "verdict": "approve"}),  # any(...)
    ("static", {"filename": "css/forum.css"}),
    ("home.index", {}),
]


@pytest.mark.parametrize(("endpoint", "values"), CASES)
def test_a_cached_link_is_the_link_url_for_builds(app, endpoint, values):
    with app.test_request_context("/"):
        assert cached_url(endpoint, **values) == url_for(endpoint, **values)
        assert cached_url(endpoint, **values) == url_for(endpoint, **values)  # from the cache


def test_links_keep_the_mount_point_the_forum_is_served_under(app):
    with app.test_request_context("/", base_url="http://example.org/forum"):
        assert cached_url("groups.show", slug="x") == "/forum/g/x"
    with app.test_request_context("/"):
        assert cached_url("groups.show", slug="x") == "/g/x"


def test_templates_build_their_links_the_same_way(app):
    with app.test_request_context("/"):
        html = render_template_string(
            "{{ url_for('groups.show', slug=s) }} {{ url_for('auth.login', next=n) }}",
            s="caf\u00e9", n="/g/a b?")
        assert html == f"{url_for('groups.show', slug='café')} " \
                       f"{url_for('auth.login', next='/g/a b?')}".replace("&", "&amp;")


def test_list_patterns_fill_in_to_the_links_url_for_builds(app):
    with app.test_request_context("/"):
        assert url_format("files.detail", "slug", "file_id").format("lib", 12) == \
            url_for("files.detail", slug="lib", file_id=12)
        before, after = url_parts("discussions.first_unread", "thread_id", slug="lib")
        assert before + "31" + after == url_for("discussions.first_unread", slug="lib",
                                               thread_id=31)


def test_outside_a_request_links_still_build(app):
    app.config["SERVER_NAME"] = "forum.example.org"
    with app.app_context():
        assert cached_url("groups.show", slug="x", _external=True) == \
            "http://forum.example.org/g/x"
