"""Reading a thread: tree and flat views, the sticky choice, permalinks, pages, query budget."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from forum.discussions.models import DISPLAY_DEPTH, Post
from forum.discussions.pages import PAGE_CAP, TOP_PER_PAGE
from forum.extensions import db
from forum.files.attachments import attach_uploads
from forum.groups.models import Visibility
from forum.querycount import count_queries
from tests.factories import make_group, make_membership, make_user
from tests.factories_discussions import bulk_replies, make_reply, make_thread, root_post
from tests.factories_files import upload_of
from tests.helpers import login, post


@pytest.fixture
def pm(app):
    group = make_group(slug="pm", name="Project Management Interest Group",
                       visibility=Visibility.PUBLIC)
    priya = make_user(username="priya", display_name="Priya Raman")
    marcus = make_user(username="marcus", display_name="Marcus Webb")
    for u in (priya, marcus):
        make_membership(group=group, user=u)
    thread = make_thread(group=group, author=priya, title="Tools for small teams")
    return SimpleNamespace(group=group, priya=priya, marcus=marcus, thread=thread)


def _ids_in_order(html: str) -> list[int]:
    return [int(x) for x in re.findall(r'<article class="post[^"]*" id="post-(\d+)"', html)]


def test_tree_view_nests_replies_and_names_who_answered_whom(client, pm):
    a = make_reply(thread=pm.thread, author=pm.priya, body="First")
    b = make_reply(thread=pm.thread, author=pm.marcus, parent=a, body="Answer to first")
    c = make_reply(thread=pm.thread, author=pm.marcus, body="Second top-level")
    login(client, pm.priya)
    html = client.get(f"/g/pm/t/{pm.thread.id}").get_data(as_text=True)
    assert _ids_in_order(html) == [root_post(pm.thread).id, a.id, b.id, c.id]
    assert re.search(r"Marcus Webb</span>\s*replied to Priya Raman", html)
    assert 'aria-level="5"' in html and "level 3" in html  # under the h1 and the h2 "Posts"
    assert "<details class=\"branch\" open>" in html and "<summary>Replies to" in html
    assert html.count("<ol") == html.count("</ol>")


def test_flat_views_order_by_time_and_the_choice_sticks(client, pm):
    a = make_reply(thread=pm.thread, author=pm.priya)
    b = make_reply(thread=pm.thread, author=pm.marcus, parent=a)
    c = make_reply(thread=pm.thread, author=pm.marcus)
    root = root_post(pm.thread).id
    # (a public group: a visitor's choice is kept in a cookie)
    url = f"/g/pm/t/{pm.thread.id}"
    r = client.get(url + "?view=newest")
    assert _ids_in_order(r.get_data(as_text=True)) == [c.id, b.id, a.id, root]
    assert "thread_view=newest" in r.headers["Set-Cookie"]
    assert _ids_in_order(client.get(url).get_data(as_text=True)) == [c.id, b.id, a.id, root]
    client.get(url + "?view=oldest")
    assert _ids_in_order(client.get(url).get_data(as_text=True)) == [root, a.id, b.id, c.id]


def test_reading_never_writes(client, pm):
    reply = make_reply(thread=pm.thread, author=pm.priya)
    login(client, pm.marcus)
    urls = [f"/g/pm/t/{pm.thread.id}", f"/g/pm/t/{pm.thread.id}?view=newest",
            f"/g/pm/t/{pm.thread.id}/unread", f"/p/{reply.id}", "/g/pm/discussions",
            f"/g/pm/t/{pm.thread.id}/branch/{reply.id}"]
    for url in urls:
        with count_queries() as q:
            assert client.get(url).status_code in (200, 302)
        writes = [s for s in q if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
        assert not writes, (url, writes)


def test_permalink_opens_the_later_page_that_holds_the_post(client, pm):
    posts = bulk_replies(thread=pm.thread, author=pm.marcus, count=TOP_PER_PAGE * 2 + 5,
                         top_level_every=1)
    db.session.commit()
    target = posts[-1]
    r = client.get(f"/p/{target.id}")
    assert r.status_code == 302 and "page=3" in r.headers["Location"]
    assert r.headers["Location"].endswith(f"#post-{target.id}")
    html = client.get(r.headers["Location"]).get_data(as_text=True)
    assert f'id="post-{target.id}"' in html
    page1 = client.get(f"/g/pm/t/{pm.thread.id}?page=1").get_data(as_text=True)
    assert f'id="post-{target.id}"' not in page1 and 'rel="next"' in page1


def test_pages_keep_whole_branches_together(client, pm):
    posts = bulk_replies(thread=pm.thread, author=pm.marcus, count=90, top_level_every=2)
    db.session.commit()
    page1 = _ids_in_order(client.get(f"/g/pm/t/{pm.thread.id}?page=1").get_data(as_text=True))
    page2 = _ids_in_order(client.get(f"/g/pm/t/{pm.thread.id}?page=2").get_data(as_text=True))
    assert 1 + 2 * TOP_PER_PAGE <= PAGE_CAP  # (so this page is not cut by the cap)
    assert len(page1) == 1 + 2 * TOP_PER_PAGE  # the opening post, then the branches of two
    assert page2[0] == posts[2 * TOP_PER_PAGE].id  # page 2 starts at a top-level reply


def test_a_page_past_the_end_shows_the_last_page(client, pm):
    bulk_replies(thread=pm.thread, author=pm.marcus, count=3 * TOP_PER_PAGE + 1, top_level_every=1)
    db.session.commit()
    last = client.get(f"/g/pm/t/{pm.thread.id}?page=4").get_data(as_text=True)
    past = client.get(f"/g/pm/t/{pm.thread.id}?page=99").get_data(as_text=True)
    assert _ids_in_order(past) == _ids_in_order(last) and len(_ids_in_order(last)) == 1
    assert re.search(r'aria-current="page"[^>]*><span class="visually-hidden">Page </span>4<',
                     past)


def test_a_huge_branch_continues_with_context(client, pm):
    top = make_reply(thread=pm.thread, author=pm.priya, body="Big question")
    bulk_replies(thread=pm.thread, author=pm.marcus, count=PAGE_CAP + 20, under=top)
    db.session.commit()
    html = client.get(f"/g/pm/t/{pm.thread.id}").get_data(as_text=True)
    assert len(_ids_in_order(html)) == PAGE_CAP
    more = re.search(r'href="([^"]+after=\d+[^"]*)">More of this branch', html).group(1)
    html2 = client.get(more.replace("&amp;", "&")).get_data(as_text=True)
    assert "Continued from the previous page: in reply to Priya Raman" in html2
    assert len(_ids_in_order(html2)) == 2 + PAGE_CAP + 20 - PAGE_CAP  # root + top + replies


def test_deep_branches_continue_on_a_branch_page(client, pm):
    posts = bulk_replies(thread=pm.thread, author=pm.marcus, count=30, top_level_every=1000)
    db.session.commit()
    html = client.get(f"/g/pm/t/{pm.thread.id}").get_data(as_text=True)
    shown = _ids_in_order(html)
    assert len(shown) == DISPLAY_DEPTH + 1 and "Continue this branch" in html
    deepest = posts[-1]
    r = client.get(f"/p/{deepest.id}")
    assert "/branch/" in r.headers["Location"]
    seen = set()
    url = r.headers["Location"]
    for _ in range(10):  # follow "continue this branch" links down to the deepest post
        html = client.get(url).get_data(as_text=True)
        seen.update(_ids_in_order(html))
        if deepest.id in seen:
            break
        url = re.findall(r'href="([^"]+/branch/\d+)">Continue this branch', html)[-1]
    assert deepest.id in seen


def _thread_page_queries(client, thread, view="tree") -> int:
    url = f"/g/pm/t/{thread.id}?view={view}"
    with count_queries() as q:
        assert client.get(url).status_code == 200
    return len(q)


@pytest.mark.parametrize("view", ["tree", "newest"])
def test_thread_page_runs_the_same_few_queries_for_5_or_500_posts(client, pm, view):
    bulk_replies(thread=pm.thread, author=pm.marcus, count=4)
    big = make_thread(group=pm.group, author=pm.priya, title="Big")
    bulk_replies(thread=big, author=pm.marcus, count=499)
    # Files on a post of each page: they come in the posts' statement, in attachment order.
    attach_uploads(root_post(big), [upload_of(name="b.csv"), upload_of(name="a.csv")], pm.priya)
    newest = db.session.scalars(select(Post).where(Post.thread_id == big.id)
                                .order_by(Post.id.desc())).first()
    attach_uploads(newest, [upload_of(name="c.csv")], pm.marcus)
    db.session.commit()
    login(client, pm.priya)
    small_count = _thread_page_queries(client, pm.thread, view)
    big_count = _thread_page_queries(client, big, view)
    # Ours: thread+group with the read mark and the reader's watch state; posts with people,
    # whether they go deeper, their files and whether the reader recommended them (a tree
    # page finds its bounds in the same statement; a time-line page counts first); plus
    # sign-in (1), with the notification bell and the reader's rights in the same row.
    assert small_count == big_count <= (4 if view == "tree" else 5)
    html = client.get(f"/g/pm/t/{big.id}?view={view}").get_data(as_text=True)
    shown = re.findall(r'download>([abc]\.csv)</a>', html)
    assert shown == (["b.csv", "a.csv"] if view == "tree" else ["c.csv"])


def test_a_post_whose_files_were_deleted_shows_no_file_list(client, pm):
    """The post keeps its "has files" flag; the page still lists only files that exist."""
    from forum.files import services as file_services
    from forum.files.models import SharedFile

    post = root_post(pm.thread)
    (kept, gone) = attach_uploads(post, [upload_of(name="kept.csv"), upload_of(name="gone.csv")],
                                  pm.priya)
    db.session.commit()
    login(client, pm.priya)
    url = f"/g/pm/t/{pm.thread.id}"
    assert re.findall(r'download>(\w+\.csv)</a>', client.get(url).get_data(as_text=True)) == [
        "kept.csv", "gone.csv"]
    for attachment in (kept, gone):
        file_services.delete_file(db.session.get(SharedFile, attachment.file_id), pm.priya)
    db.session.commit()
    response = client.get(url)
    assert response.status_code == 200 and post.has_files
    assert "kept.csv" not in response.get_data(as_text=True)


def test_group_list_runs_the_same_queries_for_few_or_many_threads(client, pm):
    login(client, pm.priya)
    with count_queries() as q1:
        client.get("/g/pm/discussions")
    for i in range(40):
        make_thread(group=pm.group, author=pm.marcus, title=f"Thread {i}")
    db.session.commit()
    with count_queries() as q2:
        html = client.get("/g/pm/discussions").get_data(as_text=True)
    assert len(q1) == len(q2) <= 12
    assert 'rel="next"' in html


def test_group_list_puts_pinned_first_then_last_activity(client, pm):
    old = make_thread(group=pm.group, author=pm.marcus, title="Old but pinned")
    old.pinned = True
    make_thread(group=pm.group, author=pm.marcus, title="Fresh")
    make_reply(thread=pm.thread, author=pm.marcus, body="bump")
    login(client, pm.priya)
    html = client.get("/g/pm/discussions").get_data(as_text=True)
    titles = re.findall(r'<h3 class="thread-title"><a [^>]+>([^<]+)</a>', html)
    assert titles == ["Old but pinned", "Tools for small teams", "Fresh"]
    assert "1 reply" in html and "by Marcus Webb" in html


def test_a_branch_of_another_threads_post_redirects_to_where_it_lives(client, pm):
    # A thread's id is its address; the group's slug and the branch's thread follow it (a
    # moved thread, a split branch: tests/test_discussions_moved.py).
    other = make_thread(group=pm.group, author=pm.priya)
    reply = make_reply(thread=other, author=pm.marcus)
    r = client.get(f"/g/pm/t/{pm.thread.id}/branch/{reply.id}")
    assert r.status_code == 301
    assert r.headers["Location"] == f"/g/pm/t/{other.id}/branch/{reply.id}"
    assert client.get(f"/g/pm/t/{other.id}/branch/{reply.id}").status_code == 200
    assert client.get(f"/g/other-slug/t/{other.id}").headers["Location"] == \
        f"/g/pm/t/{other.id}"
    assert client.get(f"/g/pm/t/{pm.thread.id}/branch/99999999").status_code == 404


def test_a_reply_at_the_depth_cap_says_whom_it_answers(client, pm):
    from forum.discussions.models import MAX_DEPTH

    posts = bulk_replies(thread=pm.thread, author=pm.marcus, count=MAX_DEPTH + 1,
                         top_level_every=1000)
    capped = make_reply(thread=pm.thread, author=pm.priya, parent=posts[-1], body="At the cap")
    assert capped.reply_to_id == posts[-1].id and capped.depth == MAX_DEPTH
    r = client.get(f"/p/{capped.id}")
    html = client.get(r.headers["Location"]).get_data(as_text=True)
    assert re.search(r"Priya Raman</span>\s*replied to Marcus Webb", html)
    # Placed beside the post it answers, it names that post's author, not its parent's.
    ines = make_user(username="ines", display_name="Ines Archivist")
    make_membership(group=pm.group, user=ines)
    deepest = make_reply(thread=pm.thread, author=ines, parent=posts[-1], body="Deepest")
    answer = make_reply(thread=pm.thread, author=pm.priya, parent=deepest, body="Answer")
    assert answer.reply_to_id == deepest.id and answer.parent_id != deepest.id
    html = client.get(client.get(f"/p/{answer.id}").headers["Location"]).get_data(as_text=True)
    assert re.search(r"Priya Raman</span>\s*replied to Ines Archivist", html)


def test_thread_page_shows_the_readers_watch_state_from_the_threads_own_statement(client, pm):
    """The watch state comes with the thread (no statement of its own): it must follow
    watching, unwatching (a row that stays, muted) and never-watched alike."""
    login(client, pm.marcus)
    url = f"/g/pm/t/{pm.thread.id}"

    def state() -> tuple[bool, str, str]:
        html = client.get(url).get_data(as_text=True)
        watching = "You are watching this thread." in html
        assert watching != ("You are not watching this thread." in html)
        button = re.search(r'<button type="submit" aria-pressed="(\w+)">(Stop watching|Watch)<',
                           html)
        return watching, button.group(1), button.group(2)

    assert state() == (False, "false", "Watch")
    post(client, f"/notifications/threads/{pm.thread.id}/watch")
    assert state() == (True, "true", "Stop watching")
    post(client, f"/notifications/threads/{pm.thread.id}/unwatch")
    assert state() == (False, "false", "Watch")
    post(client, "/auth/logout")
    assert "watching this thread" not in client.get(url).get_data(as_text=True)  # visitors
