"""Page links (the pagination macro, templates/_macros/pagination.html): which pages are
offered, which one is current, and links that stay right whatever the list's own values are."""

from __future__ import annotations

import re

from flask import render_template_string, url_for

from forum.discussions.paging import Page
from forum.pagination import Page as ListPage

_MACRO = ('{% from "_macros/pagination.html" import pagination %}'
          "{{ pagination(page, endpoint, label, **values) }}")


def pagination(page, endpoint: str, label: str = "Pages", **values) -> str:
    return render_template_string(_MACRO, page=page, endpoint=endpoint, label=label,
                                  values=values)


def _hrefs(html: str) -> list[str]:
    return [h.replace("&amp;", "&") for h in re.findall(r'href="([^"]*)"', html)]


def test_one_page_prints_nothing(app):
    with app.test_request_context("/"):
        assert pagination(Page([], 1, 1), "groups.directory").strip() == ""


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


def test_list_pages_work_too(app):
    page = ListPage(items=[], page=2, per_page=25, total=40)
    with app.test_request_context("/"):
        html = pagination(page, "groups.show", "Pages", slug="pm")
    assert _hrefs(html) == ["/g/pm?page=1", "/g/pm?page=1", "/g/pm?page=2"]


def test_a_list_offers_four_pages_after_the_current_one_and_two_before(app):
    page = ListPage(items=[], page=7, per_page=10, total=200)
    with app.test_request_context("/"):
        html = pagination(page, "groups.directory")
    numbers = re.findall(r'<span class="visually-hidden">Page </span>(\d+)</a>', html)
    assert numbers == ["1", "2", "5", "6", "7", "8", "9", "10", "11", "19", "20"]
