"""Search never leaks: a hit is shown only to those who may open it now — not as a title, a
snippet or a count. The denial is tested for every role of tests/world.py."""

from __future__ import annotations

import pytest

from forum.extensions import db
from forum.moderation.posts import hide_post
from tests.factories_discussions import make_reply, make_thread
from tests.factories_files import make_file
from tests.world import ROLES, sign_in_as

WORD = "zanzibar"  # the secret word, in the private group only

# Who may read the members-only group's and the private group's posts (tests/world.py).
READS_PRIVATE = {"group_member", "moderator", "leader", "section_admin", "site_admin"}
READS_MEMBERS_ONLY = READS_PRIVATE | {"member", "other_member"}


def search_page(client, query: str, **args) -> str:
    response = client.get("/search", query_string={"q": query, **args})
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.fixture
def secrets(world):
    make_thread(group=world.private, author=world.leader, title=f"Candidates {WORD}",
                body=f"The {WORD} shortlist is confidential.")
    make_file(group=world.private, uploader=world.leader, title=f"Ballot {WORD}",
              description="Votes.")
    make_thread(group=world.group, author=world.leader, title="Members-only quokka",
                body="For members of the section.")
    db.session.commit()


@pytest.mark.parametrize("role", ROLES)
def test_a_private_groups_posts_and_files_reach_only_its_readers(client, world, secrets, role):
    sign_in_as(client, world, role)
    html = search_page(client, WORD)
    if role in READS_PRIVATE:
        assert html.count('<li class="hit ') == 2
        assert "shortlist" in html
    else:
        assert '<li class="hit ' not in html
        # Not a count, a title or a snippet: the word shows only where the reader typed it.
        assert "shortlist" not in html and "Candidates" not in html and "Ballot" not in html
        assert "Discussions" not in html and "(0)" in html


@pytest.mark.parametrize("role", ROLES)
def test_a_members_only_groups_posts_reach_members_only(client, world, secrets, role):
    sign_in_as(client, world, role)
    html = search_page(client, "quokka")
    if role in READS_MEMBERS_ONLY and role != "banned":
        assert html.count('<li class="hit ') == 1
    else:
        assert '<li class="hit ' not in html and "For members" not in html


def test_held_and_hidden_posts_drop_out_even_for_their_author(client, world):
    from forum.discussions.models import PostStatus

    thread = make_thread(group=world.group, author=world.leader, title="Open thread",
                         body="Nothing to see.")
    held = make_reply(thread=thread, author=world.group_member, body="A pending wombat.",
                      status=PostStatus.PENDING)
    shown = make_reply(thread=thread, author=world.group_member, body="A visible wombat.")
    db.session.commit()
    sign_in_as(client, world, "group_member")
    html = search_page(client, "wombat")
    assert html.count('<li class="hit ') == 1 and "pending" not in html
    hide_post(shown, by=world.leader, reason="spam")
    db.session.commit()
    assert '<li class="hit ' not in search_page(client, "wombat")
    assert held.id  # still there, on the thread page and in the review queue only


def test_searching_a_group_one_may_not_see_says_so_without_leaking(client, world, secrets):
    response = client.get("/search", query_string={"q": WORD, "group": world.private.slug})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "There is no such group to search in." in html and "shortlist" not in html
    sign_in_as(client, world, "group_member")
    html = search_page(client, WORD, group=world.private.slug)
    assert html.count('<li class="hit ') == 2 and "Search in Nominating Committee" in html
