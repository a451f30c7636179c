"""The directory shows a group's purpose as text — from the HTML rendered and sanitized when
it was written — never its Markdown source."""

from __future__ import annotations

import re

from forum.groups.models import Visibility
from tests.factories import make_group, make_leader
from tests.helpers import login, post

MARKDOWN = ("We run **monthly** sessions on _risk_ registers. See [our notes](https://example.org)"
            " and `the template`.\n\n- one\n- two\n\n<script>alert(1)</script>")


def _directory_row(client, name):
    html = client.get("/groups").get_data(as_text=True)
    at = html.index(name)
    return html[at:at + 1200]


def test_the_directory_shows_the_purpose_written_in_markdown_as_text(client):
    group = make_group(name="Risk Practitioners", slug="risk", visibility=Visibility.PUBLIC,
                       purpose="Placeholder.")
    leader = make_leader(group=group)
    login(client, leader)
    r = post(client, "/g/risk/settings", {"purpose": MARKDOWN, "visibility": "public",
                                          "join_policy": "open"})
    assert r.status_code == 302, r.get_data(as_text=True)
    row = _directory_row(client, "Risk Practitioners")
    paragraph = re.search(r"<p>([^<]*monthly[^<]*)</p>", row).group(1)
    assert "We run monthly sessions on risk registers. See our notes and the template." in \
        paragraph
    for syntax in ("**", "_risk_", "](", "`", "- one"):
        assert syntax not in paragraph
    assert "<script>alert" not in row  # raw HTML is text (escaped), never markup


def test_a_row_without_stored_html_is_not_shown_raw_either(client):
    make_group(name="Legacy Circle", slug="legacy", visibility=Visibility.PUBLIC,
               purpose="A **bold** aim.")  # the factory stores no purpose_html
    row = _directory_row(client, "Legacy Circle")
    assert "A bold aim." in row and "**" not in row
