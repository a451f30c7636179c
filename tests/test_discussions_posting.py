"""Starting discussions and replying: the happy paths, the contracts, and bad input."""

from __future__ import annotations

import io
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from forum.discussions.models import Post, PostStatus, Thread
from forum.extensions import db
from forum.groups.models import MembershipStatus
from forum.notifications.subscriptions import set_watching
from forum.querycount import count_queries
from tests.factories import make_group, make_membership, make_user
from tests.factories_discussions import make_reply, make_thread, root_post
from tests.helpers import csrf_token, login, post


@pytest.fixture
def pm(app):
    group = make_group(slug="pm", name="Project Management Interest Group")
    priya = make_user(username="priya", display_name="Priya Raman")
    marcus = make_user(username="marcus", display_name="Marcus Webb")
    for u in (priya, marcus):
        make_membership(group=group, user=u)
    thread = make_thread(group=group, author=priya, title="Tools for small teams",
                         body="What do you use?")
    return SimpleNamespace(group=group, priya=priya, marcus=marcus, thread=thread)


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_member_starts_a_discussion_and_counters_follow(client, pm):
    login(client, pm.marcus)
    r = post(client, "/g/pm/t/new", {"title": "  Interest Group Week  ", "body": "Ideas?"})
    assert r.status_code == 302
    thread = db.session.scalar(select(Thread).where(Thread.title == "Interest Group Week"))
    assert thread.post_count == 1 and thread.last_poster_id == pm.marcus.id
    root = root_post(thread)
    assert (root.depth, root.path) == (0, f"{root.id:010d}")
    assert thread.last_post_id == root.id
    assert pm.group.last_activity_at is not None


def test_reply_to_any_post_nests_under_it_and_updates_counters_in_sql(client, pm):
    first = make_reply(thread=pm.thread, author=pm.priya, body="First answer")
    login(client, pm.marcus)
    r = post(client, f"/g/pm/t/{pm.thread.id}/reply", {"body": "Nested", "parent_id": first.id})
    assert r.status_code == 302 and "/p/" in r.headers["Location"]
    reply = db.session.scalar(select(Post).where(Post.source == "Nested"))
    assert reply.parent_id == first.id and reply.depth == 2
    assert reply.path == first.path + f"{reply.id:010d}"
    db.session.refresh(pm.thread)
    assert pm.thread.post_count == 3 and pm.thread.last_post_id == reply.id
    assert pm.thread.last_poster_id == pm.marcus.id


def test_reply_without_parent_answers_the_opening_post(client, pm):
    login(client, pm.marcus)
    r = post(client, f"/g/pm/t/{pm.thread.id}/reply", {"body": "To the thread"})
    assert r.status_code == 302
    reply = db.session.scalar(select(Post).where(Post.source == "To the thread"))
    assert reply.parent_id == root_post(pm.thread).id and reply.depth == 1


def test_every_published_post_is_announced_to_notifications(client, pm, monkeypatch):
    seen = []
    monkeypatch.setattr("forum.notifications.services.post_published",
                        lambda p: seen.append(p.source))
    login(client, pm.marcus)
    post(client, f"/g/pm/t/{pm.thread.id}/reply", {"body": "Hello"})
    post(client, "/g/pm/t/new", {"title": "New", "body": "Opening"})
    assert seen == ["Hello", "Opening"]


def test_held_post_is_pending_uncounted_and_published_later(app, client, pm, monkeypatch):
    from forum.discussions.services import publish_post

    seen = []
    monkeypatch.setattr("forum.notifications.services.post_published",
                        lambda p: seen.append(p.id))
    monkeypatch.setattr("forum.permissions.posting.PostingPolicy.initial_status",
                        lambda policy: PostStatus.PENDING)
    login(client, pm.marcus)
    post(client, f"/g/pm/t/{pm.thread.id}/reply", {"body": "Held back"})
    held = db.session.scalar(select(Post).where(Post.source == "Held back"))
    assert held.status == PostStatus.PENDING and pm.thread.post_count == 1 and not seen
    page = client.get(f"/g/pm/t/{pm.thread.id}").get_data(as_text=True)
    assert "Held back" in page and "Awaiting a moderator" in page  # its author sees it
    client = app.test_client()
    login(client, pm.priya)
    assert "Held back" not in client.get(f"/g/pm/t/{pm.thread.id}").get_data(as_text=True)
    assert client.get(f"/p/{held.id}").status_code == 404
    assert publish_post(held) is True and publish_post(held) is False
    db.session.commit()
    db.session.refresh(pm.thread)
    assert pm.thread.post_count == 2 and seen == [held.id]


@pytest.mark.parametrize("message, status", [
    ("Your post has 9 links; a post may include 5 at most.", 400),
    ("You have posted 30 times in the last hour. Please wait a little and try again.", 429),
])
def test_posting_policy_refusal_is_a_form_error(client, pm, monkeypatch, message, status):
    monkeypatch.setattr("forum.permissions.posting.PostingPolicy.refusal", lambda p, s: message)
    login(client, pm.marcus)
    r = post(client, f"/g/pm/t/{pm.thread.id}/reply", {"body": "Spam?"})
    assert r.status_code == status and message in r.get_data(as_text=True)
    r = post(client, "/g/pm/t/new", {"title": "T", "body": "Spam?"})
    assert r.status_code == status
    assert _count(Post) == 1


def test_upload_refusal_rolls_the_reply_back(client, pm, monkeypatch):
    import forum.files.attachments as attachments
    import forum.files.services as files_services

    def refuse(post, uploads, user):
        raise files_services.UploadError("That file type is not allowed.")

    monkeypatch.setattr(attachments, "attach_uploads", refuse)
    login(client, pm.marcus)
    r = client.post(f"/g/pm/t/{pm.thread.id}/reply", data={
        "csrf_token": csrf_token(client), "body": "With a file",
        "attachments": (io.BytesIO(b"MZ..."), "tool.exe")}, content_type="multipart/form-data")
    assert r.status_code == 400 and "not allowed" in r.get_data(as_text=True)
    assert _count(Post) == 1


def test_preview_renders_without_saving(client, pm):
    login(client, pm.marcus)
    r = post(client, f"/g/pm/t/{pm.thread.id}/reply", {"body": "**bold** idea", "preview": "1"})
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "<strong>bold</strong>" in html and "Preview" in html
    r = post(client, "/g/pm/t/new", {"title": "Draft", "body": "_soft_", "preview": "1"})
    assert r.status_code == 200 and "<em>soft</em>" in r.get_data(as_text=True)
    assert _count(Post) == 1


def test_quote_link_prefills_the_reply_with_attribution(client, pm):
    answer = make_reply(thread=pm.thread, author=pm.priya, body="Line one\n\nLine two")
    login(client, pm.marcus)
    html = client.get(f"/g/pm/t/{pm.thread.id}?quote={answer.id}").get_data(as_text=True)
    assert "Priya Raman wrote:" in html and "&gt; Line one" in html
    assert f'name="parent_id" type="hidden" value="{answer.id}"' in html


@pytest.mark.parametrize("body", ["", "   \n\t  "])
def test_empty_bodies_are_refused(client, pm, body):
    login(client, pm.marcus)
    r = post(client, f"/g/pm/t/{pm.thread.id}/reply", {"body": body})
    assert r.status_code == 400 and "Write something" in r.get_data(as_text=True)
    r = post(client, "/g/pm/t/new", {"title": "Empty", "body": body})
    assert r.status_code == 400
    assert _count(Post) == 1


def test_a_one_megabyte_body_is_a_form_error(client, pm):
    login(client, pm.marcus)
    r = post(client, f"/g/pm/t/{pm.thread.id}/reply", {"body": "x" * 1_000_000})
    assert r.status_code in (400, 413)
    r = post(client, f"/g/pm/t/{pm.thread.id}/reply", {"body": "x" * 50_001})
    assert r.status_code == 400 and "50,000" in r.get_data(as_text=True)
    r = post(client, "/g/pm/t/new", {"title": "t" * 201, "body": "ok"})
    assert r.status_code == 400 and "200 characters" in r.get_data(as_text=True)
    assert _count(Post) == 1


def test_reply_to_a_post_of_another_thread_is_404(client, pm):
    other = make_thread(group=pm.group, author=pm.priya)
    login(client, pm.marcus)
    r = post(client, f"/g/pm/t/{pm.thread.id}/reply",
             {"body": "Wrong place", "parent_id": root_post(other).id})
    assert r.status_code == 404
    for bad in ("abc", "99999999"):
        r = post(client, f"/g/pm/t/{pm.thread.id}/reply", {"body": "x", "parent_id": bad})
        assert r.status_code in (400, 404)
    assert _count(Post) == 2


def test_reply_to_a_removed_post_is_400(client, pm):
    from forum.discussions.services import delete_post

    gone = make_reply(thread=pm.thread, author=pm.priya)
    delete_post(gone, pm.priya)
    login(client, pm.marcus)
    r = post(client, f"/g/pm/t/{pm.thread.id}/reply", {"body": "Hm", "parent_id": gone.id})
    assert r.status_code == 400 and "removed" in r.get_data(as_text=True)


def test_locked_thread_refuses_replies_with_a_message(client, pm):
    pm.thread.locked = True
    login(client, pm.marcus)
    r = post(client, f"/g/pm/t/{pm.thread.id}/reply", {"body": "Too late"})
    assert r.status_code == 403 and "locked" in r.get_data(as_text=True)
    assert _count(Post) == 1


def test_banned_member_cannot_post_and_outsider_cannot_post(app, pm):
    outsider = make_user(username="outsider")
    banned = make_user(username="banned")
    make_membership(group=pm.group, user=banned, status=MembershipStatus.BANNED)
    for user in (outsider, banned):
        client = app.test_client()
        login(client, user)
        assert post(client, "/g/pm/t/new", {"title": "t", "body": "b"}).status_code == 403
        r = post(client, f"/g/pm/t/{pm.thread.id}/reply", {"body": "b"})
        assert r.status_code in (403, 404)
    assert _count(Post) == 1


@pytest.mark.parametrize("raw", [b"body=ab%00cd", b"body=%ff%fe"])
def test_nul_bytes_and_invalid_utf8_are_refused_with_400(client, pm, raw):
    login(client, pm.marcus)
    token = csrf_token(client).encode()
    r = client.post(f"/g/pm/t/{pm.thread.id}/reply", data=raw + b"&csrf_token=" + token,
                    content_type="application/x-www-form-urlencoded")
    assert r.status_code == 400
    r = client.post("/g/pm/t/new", data=b"title=t&" + raw + b"&csrf_token=" + token,
                    content_type="application/x-www-form-urlencoded")
    assert r.status_code == 400
    assert _count(Post) == 1


def test_nul_byte_in_a_multipart_form_is_refused(client, pm):
    login(client, pm.marcus)
    r = client.post(f"/g/pm/t/{pm.thread.id}/reply", data={
        "csrf_token": csrf_token(client), "body": "nul\x00here"},
        content_type="multipart/form-data")
    assert r.status_code == 400 and _count(Post) == 1


def test_a_thread_held_for_approval_exists_only_for_its_author_and_moderators(app, client, pm,
                                                                             monkeypatch):
    monkeypatch.setattr("forum.permissions.posting.PostingPolicy.initial_status",
                        lambda policy: PostStatus.PENDING)
    login(client, pm.marcus)
    assert post(client, "/g/pm/t/new", {"title": "Held thread", "body": "Wait"}).status_code == 302
    held = db.session.scalar(select(Thread).where(Thread.title == "Held thread"))
    assert held.post_count == 0
    assert client.get(f"/g/pm/t/{held.id}").status_code == 200
    assert "Held thread" in client.get("/g/pm/discussions").get_data(as_text=True)
    other = app.test_client()
    login(other, pm.priya)
    assert other.get(f"/g/pm/t/{held.id}").status_code == 404
    assert "Held thread" not in other.get("/g/pm/discussions").get_data(as_text=True)


def _reply_statements(client, thread, body: str) -> int:
    path = f"/g/pm/t/{thread.id}"  # read here: the test's own refresh of the thread is not counted
    token = csrf_token(client, path)
    with count_queries() as statements:
        r = client.post(f"{path}/reply", data={"csrf_token": token, "body": body})
    assert r.status_code == 302
    return len(statements)


def test_a_reply_runs_the_same_statements_for_one_watcher_or_many(client, pm):
    # The write budget: the post, its search index row, counters, rights, notifications to
    # every watcher and the poster's read mark, in a constant number of statements however
    # many people watch.
    login(client, pm.marcus)
    _reply_statements(client, pm.thread, "Warm-up: Marcus now watches too")
    few = _reply_statements(client, pm.thread, "With two watchers")
    for n in range(5):
        watcher = make_user(username=f"watcher{n}")
        make_membership(group=pm.group, user=watcher)
        set_watching(watcher.id, thread_id=pm.thread.id, watching=True)
    db.session.commit()
    many = _reply_statements(client, pm.thread, "With seven watchers")
    assert few == many <= 10
