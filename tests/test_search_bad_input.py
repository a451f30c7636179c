"""Whatever is typed into the search box gets a clear answer, never a 500."""

from __future__ import annotations

import pytest

from forum.extensions import db
from forum.groups.models import Visibility
from tests.factories import make_group
from tests.factories_discussions import make_thread


@pytest.fixture
def thread(world):
    group = make_group(section=world.section, name="Open", slug="open",
                       visibility=Visibility.PUBLIC)
    made = make_thread(group=group, author=world.leader, title="C++ and 100% of NEAR misses",
                       body='Quote "this" and (that): 50_000 items^2 *starred*.')
    db.session.commit()
    return made


def get(client, **args):
    return client.get("/search", query_string=args)


@pytest.mark.parametrize("query", [
    '"', '""', '"unbalanced', 'near"', "NEAR", "NEAR(a b)", "a NEAR/2 b", "*", "star*",
    "title:x", "^start", "(", ")", "a AND OR NOT b", "%", "_", "%_%", "-", "--", "- -",
    "'; DROP TABLE posts; --", "\\", "😀", "a\tb", "\u202eevil", "ＮＥＡＲ",
])
def test_syntax_of_either_engine_is_only_text(client, thread, query):
    response = get(client, q=query)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Nothing found" in html or '<li class="hit ' in html or 'role="alert"' in html


def test_words_that_look_like_operators_find_what_says_them(client, thread):
    for query in ("NEAR misses", "100%", "items^2", "c++", "starred*"):
        html = get(client, q=query).get_data(as_text=True)
        assert html.count('<li class="hit ') == 1, query


def test_useless_queries_explain_themselves(client, thread):
    bare = get(client).get_data(as_text=True)
    assert 'role="alert"' not in bare and "<h1>Search</h1>" in bare
    html = get(client, q="*** ^^^ :::").get_data(as_text=True)
    assert "Type a word to search for" in html
    html = get(client, q="-near -misses").get_data(as_text=True)
    assert "words with a minus in front only leave results out" in html


def test_a_ten_thousand_character_query_is_refused_clearly(client, thread):
    response = get(client, q="word " * 2000)
    assert response.status_code == 400
    assert "That search is too long" in response.get_data(as_text=True)


def test_nul_bytes_and_bad_filters_are_client_errors(client, thread):
    assert get(client, q="a\x00b").status_code == 400
    response = get(client, q="misses", **{"from": "yesterday"})
    assert response.status_code == 400 and "YYYY-MM-DD" in response.get_data(as_text=True)
    response = get(client, q="misses", **{"from": "2026-05-01", "to": "2026-04-01"})
    assert response.status_code == 400
    assert "The end date comes before the start date." in response.get_data(as_text=True)
    response = get(client, q="misses", author="nobody-at-all")
    assert response.status_code == 400 and "No member has that username." in response.text
    assert get(client, q="misses", author="\u202e" * 3).status_code == 400
    assert get(client, q="misses", kind="bogus").status_code == 200  # every kind


@pytest.mark.parametrize("page", ["-5", "0", "abc", "99999999999999999999", "3"])
def test_any_page_number_is_an_answer(client, thread, page):
    response = get(client, q="misses", page=page)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    if page in ("3", "99999999999999999999"):  # past the end (the latter: the last page)
        assert "There are no more results." in html
    else:
        assert html.count('<li class="hit ') == 1
