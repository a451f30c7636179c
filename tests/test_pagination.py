"""Page links (forum.pagination): which pages are offered, which one is current, and links
that stay right whatever the list's own values are."""

from __future__ import annotations

import re
from types import SimpleNamespace

from flask import url_for

from forum.discussions.paging import Page
from forum.pagination import pagination


def _hrefs(html: str) -> list[str]:
    return [h.replace("&amp;", "&") for h in re.findall(r'href="([^"]*)"', html)]


def test_one_page_prints_nothing(app):
    with app.test_request_context("/"):
        assert pagination(Page([], 1, 1), "groups.directory") == ""


def test_pages_around_the_current_one_with_gaps_marked(app):
    with app.test_request_context("/"):
        html = pagination(Page([], 10, 20), "groups.directory", label="Pages of <groups>")
    assert 'aria-label="Pages of &lt;groups&gt;"' in html
    numbers = re.findall(r'<span class="visually-hidden">Page </span>(\d+)</a>', html)
    assert numbers == ["1", "2", "8", "9", "10", "11", "12", "19", "20"]
    assert html.count('<li class="ellipsis" aria-hidden="true">…</li>') == 2
    assert '<a aria-current="page" href="/groups?page=10">' in html
    assert 'href="/groups?page=9" rel="prev"' in html
    assert 'href="/groups?page=11" rel="next"' in html


def test_first_and_last_pages_offer_no_step_beyond_them(app):
    with app.test_request_context("/"):
        first = pagination(Page([], 1, 3), "groups.directory")
        last = pagination(Page([], 3, 3), "groups.directory")
    assert 'rel="prev"' not in first and 'rel="next"' in first
    assert 'rel="next"' not in last and 'rel="prev"' in last


def test_links_are_what_url_for_builds_even_when_a_value_looks_like_the_stand_in(app):
    with app.test_request_context("/"):
        for q in ("budget & staff", "987654321", None):
            html = pagination(Page([], 2, 3), "groups.directory", q=q, kind=None)
            expected = [url_for("groups.directory", page=n, q=q) for n in (1, 1, 2, 3, 3)]
            assert _hrefs(html) == expected


def test_flask_sqlalchemy_style_pages_work_too(app):
    page = SimpleNamespace(page=2, pages=2, has_prev=True, has_next=False, prev_num=1,
                           next_num=3, iter_pages=lambda: iter([1, 2]))
    with app.test_request_context("/"):
        html = pagination(page, "groups.show", "Pages", slug="pm")
    assert _hrefs(html) == ["/g/pm?page=1", "/g/pm?page=1", "/g/pm?page=2"]
