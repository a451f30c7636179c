"""A double-clicked or retried form creates its thing once (forum/submissions.py).

Each form that creates something carries a one-time key made when the page is rendered; the
key is claimed in the transaction that creates the post, so a repeat — sent after the first,
or racing it on a real threaded server — redirects to the first one's result instead.
"""

from __future__ import annotations

import http.client
import re
import threading
from datetime import timedelta
from types import SimpleNamespace
from urllib.parse import urlencode

import pytest
from sqlalchemy import event, func, select, update
from werkzeug.serving import make_server

from forum.db import utcnow
from forum.discussions.models import Post, Thread
from forum.extensions import db
from forum.files.models import Folder, SharedFile
from forum.groups.models import Group
from forum.moderation.models import Flag
from forum.submissions import Submission
from forum.volunteering.models import Application, RecruitingCycle
from tests.factories import make_membership, make_user
from tests.factories_discussions import make_reply, make_thread
from tests.factories_files import CSV, upload
from tests.factories_volunteering import make_opportunity
from tests.helpers import csrf_token, login, post

SLUG = "project-management"


def _key(client, url: str) -> str:
    """The one-time key the form on ``url`` carries, as a browser would send it back."""
    html = client.get(url).get_data(as_text=True)
    match = re.search(r'<input[^>]*name="submission_key"[^>]*>', html)
    assert match, f"no submission key on {url}"
    return re.search(r'value="([^"]+)"', match.group(0)).group(1)


def _count(model, *where) -> int:
    db.session.rollback()  # a fresh snapshot: read what the requests committed
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.fixture
def pm(app, world):
    thread = make_thread(group=world.group, author=world.leader, title="Budget for 2027")
    return SimpleNamespace(world=world, group=world.group, thread=thread,
                           member=world.group_member)


def _reply_url(pm) -> str:
    return f"/g/{SLUG}/t/{pm.thread.id}/reply"


def _replies(pm, body: str) -> int:
    return _count(Post, Post.thread_id == pm.thread.id, Post.source == body)


# --- the same key twice: one post, the same redirect ---------------------------------------

def test_a_reply_sent_twice_from_the_thread_page_posts_once(client, pm):
    login(client, pm.member)
    key = _key(client, f"/g/{SLUG}/t/{pm.thread.id}")  # the inline reply form
    data = {"body": "Agreed, let us keep it.", "submission_key": key}
    first = post(client, _reply_url(pm), data)
    second = post(client, _reply_url(pm), data)
    assert first.status_code == second.status_code == 302
    assert second.headers["Location"] == first.headers["Location"]
    assert _replies(pm, "Agreed, let us keep it.") == 1
    page = client.get(second.headers["Location"], follow_redirects=True)
    assert "acted on once" in page.get_data(as_text=True)


def test_a_new_thread_sent_twice_starts_one_discussion(client, pm):
    login(client, pm.member)
    key = _key(client, f"/g/{SLUG}/t/new")
    data = {"title": "Volunteer dinner", "body": "Who is coming?", "submission_key": key}
    first = post(client, f"/g/{SLUG}/t/new", data)
    second = post(client, f"/g/{SLUG}/t/new", data)
    assert first.status_code == second.status_code == 302
    assert second.headers["Location"] == first.headers["Location"]
    assert _count(Thread, Thread.title == "Volunteer dinner") == 1


def test_an_upload_sent_twice_stores_one_file(client, pm):
    login(client, pm.member)
    key = _key(client, f"/g/{SLUG}/files/upload")
    first = upload(client, SLUG, (CSV, "attendance.csv"), submission_key=key)
    second = upload(client, SLUG, (CSV, "attendance.csv"), submission_key=key)
    assert first.status_code == second.status_code == 302
    assert second.headers["Location"] == first.headers["Location"]
    assert _count(SharedFile) == 1


def test_a_flag_application_group_cycle_and_folder_sent_twice_act_once(app, client, pm):
    world = pm.world
    reply = make_reply(thread=pm.thread, author=world.leader, body="Buy my stuff")
    opp = make_opportunity(group=world.group, title="Newsletter editor")
    login(client, pm.member)
    _each_sent_twice_acts_once(client, [
        (f"/p/{reply.id}/flag", {"reason": "spam"}, Flag),
        (f"/get-involved/o/{opp.id}/apply", {"statement": "I edit for a living."}, Application),
    ])
    admin = app.test_client()
    login(admin, world.section_admin)
    url = "/admin/sections/core/groups/new"
    data = {"name": "Mentoring", "slug": "mentoring", "kind": "interest_group",
            "visibility": "members", "join_policy": "open", "purpose": "Pairs.",
            "submission_key": _key(admin, url)}
    first, second = post(admin, url, data), post(admin, url, data)
    assert first.status_code == second.status_code == 302
    assert second.headers["Location"] == first.headers["Location"] == "/g/mentoring"
    assert _count(Group, Group.slug == "mentoring") == 1
    _each_sent_twice_acts_once(admin, [
        ("/get-involved/manage/cycles",
         {"section_id": str(world.section.id), "name": "2027 recruitment", "max_choices": "3"},
         RecruitingCycle),
        (f"/g/{SLUG}/files/folders", {"name": "Minutes"}, Folder),
    ])


def _each_sent_twice_acts_once(client, forms) -> None:
    """Each ``(url, data, model)`` form, posted twice with one submission key: the same
    redirect both times and one ``model`` row."""
    for url, data, model in forms:
        data = {**data, "submission_key": _key(client, url)}
        first, second = post(client, url, data), post(client, url, data)
        assert first.status_code == second.status_code == 302, url
        assert second.headers["Location"] == first.headers["Location"]
        assert _count(model) == 1


# --- what is not a repeat ---------------------------------------------------------------------

def test_different_keys_post_twice(client, pm):
    login(client, pm.member)
    for _ in range(2):
        key = _key(client, f"/g/{SLUG}/t/{pm.thread.id}")
        r = post(client, _reply_url(pm), {"body": "Same words", "submission_key": key})
        assert r.status_code == 302
    assert _replies(pm, "Same words") == 2


def test_another_members_key_does_not_collide(app, pm):
    other = make_user(username="ines")
    make_membership(group=pm.group, user=other)
    first, second = app.test_client(), app.test_client()
    login(first, pm.member)
    login(second, other)
    key = _key(first, f"/g/{SLUG}/t/{pm.thread.id}")
    a = post(first, _reply_url(pm), {"body": "Count me in", "submission_key": key})
    b = post(second, _reply_url(pm), {"body": "Count me in", "submission_key": key})
    assert a.status_code == b.status_code == 302
    assert a.headers["Location"] != b.headers["Location"]
    assert _replies(pm, "Count me in") == 2


def test_a_form_without_a_key_or_with_a_malformed_one_still_posts(client, pm):
    """A page rendered before keys existed, or a script: no protection, but no refusal."""
    login(client, pm.member)
    for key in (None, "short", "x" * 65, "not a key at all!!"):
        data = {"body": f"Posted with {key!r}"}
        if key is not None:
            data["submission_key"] = key
        assert post(client, _reply_url(pm), data).status_code == 302
        assert _replies(pm, f"Posted with {key!r}") == 1
    assert _count(Submission) == 0


def test_a_refused_submission_does_not_use_up_its_key(client, pm):
    """Nothing is recorded when nothing is posted: the corrected form posts with its key,
    and the re-rendered form carries the same key."""
    login(client, pm.member)
    key = _key(client, f"/g/{SLUG}/t/new")
    refused = post(client, f"/g/{SLUG}/t/new", {"title": "", "body": "Hi",
                                                 "submission_key": key})
    assert refused.status_code == 400
    assert f'value="{key}"' in refused.get_data(as_text=True)
    assert _count(Submission) == 0
    r = post(client, f"/g/{SLUG}/t/new", {"title": "Fixed", "body": "Hi", "submission_key": key})
    assert r.status_code == 302
    assert _count(Thread, Thread.title == "Fixed") == 1


def test_a_key_past_its_lifetime_is_forgotten(client, pm, app):
    login(client, pm.member)
    key = _key(client, f"/g/{SLUG}/t/{pm.thread.id}")
    data = {"body": "Once a day", "submission_key": key}
    assert post(client, _reply_url(pm), data).status_code == 302
    db.session.execute(update(Submission).values(created_at=utcnow() - timedelta(hours=25)))
    assert post(client, _reply_url(pm), data).status_code == 302
    assert _replies(pm, "Once a day") == 2
    assert _count(Submission) == 1  # the claim took the expired row over
    db.session.execute(update(Submission).values(created_at=utcnow() - timedelta(hours=25)))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["files", "purge"])
    assert result.exit_code == 0 and "1 expired form key(s)" in result.output
    assert _count(Submission) == 0


# --- two requests at once on a real threaded server ----------------------------------------

class _Gate:
    """Holds the first request's transaction open, just after it claimed the key, until the
    second request has sent the statement that must wait for it: on SQLite its BEGIN
    IMMEDIATE, on PostgreSQL its claim INSERT (which waits on the unique index)."""

    def __init__(self, dialect: str) -> None:
        self.blocking = "BEGIN IMMEDIATE" if dialect == "sqlite" else "INSERT INTO submissions"
        self.first = None
        self.claimed, self.second_waits = threading.Event(), threading.Event()

    def before(self, conn, cursor, statement, parameters, context, executemany):
        if self.claimed.is_set() and threading.get_ident() != self.first \
                and statement.startswith(self.blocking):
            self.second_waits.set()

    def after(self, conn, cursor, statement, parameters, context, executemany):
        if statement.startswith("INSERT INTO submissions") and self.first is None:
            self.first = threading.get_ident()
            self.claimed.set()
            self.second_waits.wait(20)


def _send(port: int, path: str, cookie: str, data: dict, results: list) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("POST", path, urlencode(data), {
        "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})
    response = conn.getresponse()
    response.read()
    results.append((response.status, response.getheader("Location")))
    conn.close()


def test_two_requests_racing_with_one_key_post_once(app, client, pm):
    login(client, pm.member)
    key = _key(client, f"/g/{SLUG}/t/{pm.thread.id}")
    cookie = f"session={client.get_cookie('session').value}"
    data = {"csrf_token": csrf_token(client), "body": "Racing reply", "submission_key": key}
    db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    serving = threading.Thread(target=server.serve_forever, daemon=True)
    serving.start()
    gate, results = _Gate(db.engine.dialect.name), []
    event.listen(db.engine, "before_cursor_execute", gate.before)
    event.listen(db.engine, "after_cursor_execute", gate.after)
    try:
        args = (server.port, _reply_url(pm), cookie, data, results)
        first = threading.Thread(target=_send, args=args)
        first.start()
        assert gate.claimed.wait(20)
        second = threading.Thread(target=_send, args=args)
        second.start()
        first.join(60)
        second.join(60)
    finally:
        event.remove(db.engine, "before_cursor_execute", gate.before)
        event.remove(db.engine, "after_cursor_execute", gate.after)
        server.shutdown()
    assert gate.second_waits.is_set()  # the two requests did overlap
    assert [status for status, _ in results] == [302, 302]
    assert results[0][1] == results[1][1]
    assert _replies(pm, "Racing reply") == 1
