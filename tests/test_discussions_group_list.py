"""A group's thread list (the group page's "Discussions" and /g/<slug>/discussions), printed by
forum.discussions.list_html: what each row says, to whom, and its paging."""

from __future__ import annotations

from datetime import UTC, datetime

from forum.discussions.queries import THREADS_PER_PAGE
from forum.extensions import db
from forum.groups.models import Visibility
from tests.factories import make_group, make_group_member, make_user
from tests.factories_discussions import make_reply, make_thread
from tests.helpers import login


def _world():
    group = make_group(slug="pm", name="Project Managers", visibility=Visibility.PUBLIC)
    lena = make_group_member(group=group, display_name="Lena <b>Okafor</b>")
    talk = make_thread(group=group, author=lena, title="Budgets & <script>x</script>")
    make_reply(thread=talk, author=lena)
    make_reply(thread=talk, author=lena)
    single = make_thread(group=group, author=lena, title="One reply")
    make_reply(thread=single, author=lena)
    talk.pinned = True
    single.locked = True
    talk.last_post_at = datetime(2026, 3, 1, 12, 5, tzinfo=UTC)
    db.session.commit()
    return group, lena, talk, single


def test_rows_print_escaped_titles_and_names_counts_and_badges(client):
    _, _, talk, single = _world()
    html = client.get("/g/pm").get_data(as_text=True)
    assert (f'<a href="/g/pm/t/{talk.id}">Budgets &amp; &lt;script&gt;x&lt;/script&gt;</a>'
            in html)
    assert "<script>x" not in html and "<b>Okafor" not in html
    assert "2 replies ·" in html and "1 reply ·" in html
    assert "last post by Lena &lt;b&gt;Okafor&lt;/b&gt;" in html
    assert '<time datetime="2026-03-01T12:05:00+00:00">1 Mar 2026, 12:05</time>' in html
    assert html.count('<span class="badge">Pinned</span>') == 1
    assert html.count('<span class="badge badge-locked">Locked</span>') == 1
    assert html.index("Budgets") < html.index("One reply")  # pinned first
    assert "New posts" not in html and "first unread" not in html  # visitors keep no marks


def test_dates_are_in_the_readers_time_zone(client):
    _, lena, _, _ = _world()
    lena.timezone = "America/New_York"
    db.session.commit()
    login(client, lena)
    html = client.get("/g/pm/discussions").get_data(as_text=True)
    assert '<time datetime="2026-03-01T12:05:00+00:00">1 Mar 2026, 07:05</time>' in html


def test_a_member_sees_what_is_new_and_a_link_to_the_first_unread_post(client):
    group, _, talk, _ = _world()
    reader = make_group_member(group=group)
    db.session.commit()
    login(client, reader)
    html = client.get("/g/pm").get_data(as_text=True)
    assert html.count('<li class="thread-row thread-unread">') == 2
    assert (f'<a href="/g/pm/t/{talk.id}/unread">first unread<span class="visually-hidden">'
            f' post in Budgets &amp; &lt;script&gt;x&lt;/script&gt;</span></a>') in html


def test_a_hidden_thread_is_listed_with_its_badge_for_moderators_only(client):
    _, _, talk, _ = _world()
    talk.hidden = True
    admin = make_user(site_admin=True)
    db.session.commit()
    assert "Budgets" not in client.get("/g/pm").get_data(as_text=True)
    login(client, admin)
    html = client.get("/g/pm").get_data(as_text=True)
    assert "Budgets" in html and '<span class="badge badge-hidden">Hidden</span>' in html


def test_the_group_page_follows_its_page_parameter(client):
    group, lena, _, _ = _world()
    for n in range(THREADS_PER_PAGE):
        make_thread(group=group, author=lena, title=f"Filler {n:02d}")
    db.session.commit()
    first = client.get("/g/pm").get_data(as_text=True)
    second = client.get("/g/pm?page=2")
    assert second.status_code == 200  # the page number was read in the template: a 500
    text = second.get_data(as_text=True)
    assert "One reply" in text and "One reply" not in first
    for bad in ("abc", "-3", "0"):
        again = client.get(f"/g/pm?page={bad}")
        assert again.status_code == 200 and "One reply" not in again.get_data(as_text=True)
    assert "One reply" in client.get("/g/pm/discussions?page=2").get_data(as_text=True)
