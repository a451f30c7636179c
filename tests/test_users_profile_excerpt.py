"""Profile excerpts: the cheap tag-stripping excerpt gives the text markup.plain_text gives,
with entities decoded once (the template escapes them again: "&" shows as "&", not "&amp;")."""

from __future__ import annotations

from html import unescape

import pytest

from forum.extensions import db
from forum.markup import plain_text, render
from forum.users.profile import excerpt
from tests.factories import make_group, make_membership, make_user
from tests.factories_discussions import make_thread

SOURCES = [
    "Plain words & *emphasis* with `code <b>` and a [link](https://example.org \"a > b\").",
    "# Heading\n\n- one\n- two\n\n> quoted <script>alert(1)</script>\n\n"
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "Ümlaut, emoji 🎉, entities &amp; &lt;tags&gt; and ![img](https://example.org/x.png \"t\")",
]


@pytest.mark.parametrize("source", SOURCES)
def test_excerpt_is_the_text_of_the_html(source):
    html = render(source)
    assert excerpt(html, 10_000) == unescape(plain_text(html))


def test_excerpt_cuts_with_an_ellipsis():
    text = excerpt(render("word " * 100), 20)
    assert len(text) == 20 and text.endswith("…")


def test_profile_shows_an_ampersand_escaped_once(client):
    from forum.groups.models import Visibility

    author = make_user(username="amp")
    group = make_group(visibility=Visibility.PUBLIC)
    make_membership(group=group, user=author)
    make_thread(group=group, author=author, body="Salt & pepper <b>")
    db.session.commit()
    html = client.get("/members/amp").get_data(as_text=True)
    assert "Salt &amp; pepper &lt;b&gt;" in html and "&amp;amp;" not in html
