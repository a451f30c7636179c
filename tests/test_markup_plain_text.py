"""forum.markup.plain_text gives real text: tags gone, entities decoded exactly once.

It used to leave entities encoded ("AT&amp;T"), which a plain-text mail showed as is and an
HTML or XML template escaped a second time ("AT&amp;amp;T" in the feed's source)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from forum.digests.sending import send_digests
from forum.extensions import db
from forum.groups.models import Visibility
from forum.markup import plain_text, render
from tests.factories import make_group, make_group_member
from tests.factories_notifications import make_post, make_thread

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.mark.parametrize(("html", "text"), [
    ("AT&T <b>rocks</b>", "AT&T rocks"),
    ("AT&amp;T <b>rocks</b>", "AT&T rocks"),
    ("&amp;lt;b&amp;gt;", "&lt;b&gt;"),  # decoded once, not twice
    ("&lt;script&gt;x&lt;/script&gt;", "<script>x</script>"),  # text that looks like a tag
    ("a < b and c > d", "a < b and c > d"),
    ("<p>One</p><p>Two</p><ul><li>a</li><li>b</li></ul>x<br>y", "One Two a b x y"),
    ("mid<em>word</em>s", "midwords"),
    ('<a href="/x" title="a > b">link</a> after', "link after"),
    ("  lots \n\n of\t space&nbsp;here  ", "lots of space here"),
    ("", ""),
])
def test_plain_text(html, text):
    assert plain_text(html) == text


@pytest.mark.parametrize("html", [
    "before<script>alert('x')</script>after",
    "before<SCRIPT type='text/javascript'>alert(1)</script >after",
    "before<style>p { color: red }</style>after",
    "before<!-- a comment <script>alert(1)</script> -->after",
    "before<template><p>alert</p></template>after",
])
def test_script_style_and_comments_do_not_leak(html):
    assert plain_text(html) == "beforeafter"


def test_an_unclosed_script_hides_the_rest():
    assert plain_text("shown<script>alert(1)") == "shown"


def test_limit_counts_decoded_characters():
    assert plain_text("<p>AT&amp;T rocks</p>", 10) == "AT&T rocks"  # 10 characters: fits
    assert plain_text("<p>AT&amp;T rocks</p>", 9) == "AT&T roc…"


def test_rendered_markdown_reads_as_written():
    html = render("AT&T **rocks** & <script>alert(1)</script>\n\n- one\n- two")
    assert plain_text(html) == "AT&T rocks & <script>alert(1)</script> one two"


def test_feed_summary_shows_the_ampersand_once(app, client):
    group = make_group(slug="pub", visibility=Visibility.PUBLIC)
    author = make_group_member(group=group)
    make_thread(group=group, author=author, title="Phones", body="AT&T **rocks**")
    db.session.commit()
    r = client.get("/g/pub/feed.atom")
    assert r.status_code == 200
    assert '<summary type="text">AT&amp;T rocks</summary>' in r.get_data(as_text=True)
    summary = ET.fromstring(r.data).find(f"{ATOM}entry/{ATOM}summary")
    assert summary.text == "AT&T rocks"


def test_digest_mail_text_part_shows_the_ampersand_once(app, mail):
    group = make_group()
    reader = make_group_member(group=group)  # daily digest by default
    writer = make_group_member(group=group)
    thread, opening = make_thread(group=group, author=writer, title="Phones")
    make_post(thread=thread, author=writer, parent=opening, body="AT&T **rocks** <b>")
    db.session.commit()
    assert send_digests("daily") >= 1
    mail.deliver()
    (msg,) = mail.to(reader.email)
    text = mail.text(msg)
    assert "AT&T rocks <b>" in text and "&amp;" not in text
    html = msg.get_body(("html",)).get_content()
    assert "AT&amp;T rocks &lt;b&gt;" in html and "&amp;amp;" not in html
