"""Throttles hold when requests arrive together: exactly the limit gets through.

Each test serves the app on loopback with a threaded server and fires a crowd of requests
released at once (tests/live_server.py), on SQLite and PostgreSQL, with the counts in the
database (the default) and in Redis. The clock the windows are read from is held still in the
middle of a window, so a run never straddles a window's end.
"""

from __future__ import annotations

import io
import time
import uuid
from datetime import timedelta

import pytest
import redis
from sqlalchemy import func, select

from forum import create_app, ratelimit
from forum.db import utcnow
from forum.discussions.models import Post, Thread
from forum.extensions import db
from forum.files.models import SharedFile
from forum.moderation.models import Flag
from forum.users.models import User
from tests.factories_accounts import registration
from tests.factories_discussions import make_reply, make_thread
from tests.helpers import DEFAULT_PASSWORD, REDIS_URL, csrf_token, login, post, require_redis
from tests.live_server import LiveServer, crowd, crowd_posts, first, tally

CROWD = 12
SLUG = "project-management"


@pytest.fixture(params=["database", "redis"])
def store(request):
    if request.param == "database":
        yield {}
        return
    client = require_redis()
    prefix = f"test-throttles-{uuid.uuid4().hex}"
    yield {"RATELIMIT_STORAGE_URI": REDIS_URL, "RATELIMIT_KEY_PREFIX": prefix}
    keys = client.keys(f"{prefix}:*")
    if keys:
        client.delete(*keys)


@pytest.fixture
def app_overrides(store):
    return {"RATELIMIT_ENABLED": True, "LOGIN_LIMIT_PER_ACCOUNT": "5 per 15 minutes",
            "LOGIN_LIMIT_PER_ADDRESS": "1000 per 15 minutes", "ACCOUNT_MAIL_LIMIT": "4 per hour",
            "MODERATION_POSTS_PER_HOUR": 3, "MODERATION_NEW_ACCOUNT_POSTS_PER_HOUR": 2,
            "FILE_UPLOADS_PER_HOUR": 3, "MODERATION_FLAGS_PER_HOUR": 2, **store}


@pytest.fixture(autouse=True)
def still_clock(monkeypatch):
    """Tomorrow 00:07:30 UTC: mid-window for 15-minute and hourly windows, and ahead of the
    real clock, so the expiries Redis is given lie in the future."""
    now = time.time()
    held = now - now % 86400 + 86400 + 450
    monkeypatch.setattr(ratelimit, "_now", lambda: held)
    return held


@pytest.fixture
def live(app):
    with LiveServer(app) as server:
        yield server


def _count(column, *where) -> int:
    return db.session.scalar(select(func.count(column)).where(*where))


def _member(world, *, old: bool):
    user = world.group_member
    if old:  # past MODERATION_NEW_ACCOUNT_DAYS: the wider posting limit
        user.created_at = utcnow() - timedelta(days=30)
    db.session.commit()
    return user


# --- sign-in

def test_parallel_wrong_passwords_at_one_account_let_exactly_the_limit_through(live, world):
    browser = live.browser()
    token = browser.token()
    form = {"email": world.member.email, "password": "wrong password!!", "csrf_token": token}
    answers = crowd([lambda: browser.post("/auth/login", form)] * CROWD)
    assert tally(answers) == {400: 5, 429: CROWD - 5}
    refused = first(answers, 429)
    assert "Too many attempts" in refused.text and "forgot-password" in refused.text
    assert 0 < int(refused.headers["Retry-After"]) <= 15 * 60
    # The right password now waits for the window too: that is the point.
    right = browser.post("/auth/login", {**form, "password": DEFAULT_PASSWORD})
    assert right.status == 429


def test_parallel_sign_ins_from_one_address_let_exactly_its_limit_through(app, live, world):
    app.config["LOGIN_LIMIT_PER_ADDRESS"] = "6 per 15 minutes"
    browser = live.browser()
    token = browser.token()
    answers = crowd([
        (lambda n=n: browser.post("/auth/login", {
            "email": f"spray{n}@example.org", "password": "wrong password!!",
            "csrf_token": token}))
        for n in range(CROWD)])
    assert tally(answers) == {400: 6, 429: CROWD - 6}


def test_a_correct_password_gives_its_attempt_back(app, client, world):
    # Five successful sign-ins under a limit of five, then five failures: all counted as
    # failures only (a success that kept its count would leave no room for them).
    def sign_in(password):
        c = app.test_client()
        return c.post("/auth/login", data={"email": world.member.email, "password": password,
                                           "csrf_token": csrf_token(c, "/auth/login")})

    assert [sign_in(DEFAULT_PASSWORD).status_code for _ in range(5)] == [302] * 5
    assert [sign_in("wrong password!!").status_code for _ in range(6)] == [400] * 5 + [429]


# --- mail-sending forms

def test_parallel_reset_requests_mail_the_owner_exactly_the_limit(live, world, mail):
    browser = live.browser()
    token = browser.token("/auth/forgot-password")
    form = {"email": world.member.email, "csrf_token": token}
    answers = crowd([lambda: browser.post("/auth/forgot-password", form)] * CROWD)
    assert tally(answers) == {302: 4, 429: CROWD - 4}
    assert "too many times" in first(answers, 429).text
    mail.deliver()
    assert len(mail.to(world.member.email)) == 4


def test_parallel_registrations_from_one_address_create_exactly_the_limit(live, app):
    browser = live.browser()
    token = browser.token("/auth/register")
    answers = crowd([
        (lambda n=n: browser.post("/auth/register", {
            **registration(email=f"crowd{n}@example.org", username=f"crowd{n}"),
            "csrf_token": token}))
        for n in range(CROWD)])
    assert tally(answers) == {302: 4, 429: CROWD - 4}
    assert _count(User.id, User.email.like("crowd%")) == 4


# --- posting

def test_parallel_replies_land_exactly_the_hourly_limit(live, world):
    member = _member(world, old=True)
    thread = make_thread(group=world.group, author=world.leader)
    db.session.commit()
    browser = live.browser()
    browser.sign_in(member.email, DEFAULT_PASSWORD)
    url = f"/g/{SLUG}/t/{thread.id}"  # read here: the crowd's threads have no app context
    answers = crowd_posts(browser, f"{url}/reply", CROWD,
                          lambda n: {"body": f"Reply number {n}"}, token_from=url)
    assert tally(answers) == {302: 3, 429: CROWD - 3}
    assert "You have posted 3 times in the last hour" in first(answers, 429).text
    assert _count(Post.id, Post.author_id == member.id) == 3


def test_parallel_new_threads_from_a_new_account_land_exactly_its_limit(live, world):
    member = _member(world, old=False)
    browser = live.browser()
    browser.sign_in(member.email, DEFAULT_PASSWORD)
    answers = crowd_posts(browser, f"/g/{SLUG}/t/new", CROWD,
                          lambda n: {"title": f"Topic {n}", "body": "Shall we?"})
    assert tally(answers) == {302: 2, 429: CROWD - 2}
    assert "the most a new account may" in first(answers, 429).text
    assert _count(Thread.id, Thread.author_id == member.id) == 2


def test_a_refused_post_is_not_held_against_its_author(client, world):
    member = _member(world, old=False)
    thread = make_thread(group=world.group, author=world.leader)
    login(client, member)
    url = f"/g/{SLUG}/t/{thread.id}/reply"
    refused = client.post(url, data={"csrf_token": csrf_token(client), "body": "With a tool",
                                     "attachments": (io.BytesIO(b"MZ\x90\x00"), "tool.exe")},
                          content_type="multipart/form-data")
    assert refused.status_code == 400 and "refused" in refused.get_data(as_text=True)
    assert [post(client, url, {"body": f"Plain {n}"}).status_code for n in range(3)] == \
        [302, 302, 429]
    assert _count(Post.id, Post.author_id == member.id) == 2


# --- uploads and flags

def test_parallel_uploads_store_exactly_the_hourly_count(live, world):
    member = _member(world, old=True)
    browser = live.browser()
    browser.sign_in(member.email, DEFAULT_PASSWORD)
    answers = crowd_posts(browser, f"/g/{SLUG}/files/upload", CROWD,
                          lambda n: {"folder": "0", "description": ""},
                          lambda n: {"files": (f"n,value\n{n},1\n".encode(), f"sheet{n}.csv")})
    assert tally(answers) == {302: 3, 400: CROWD - 3}
    assert "You may upload 3 files an hour and have 0 left" in first(answers, 400).text
    assert _count(SharedFile.id, SharedFile.uploader_id == member.id) == 3


def test_parallel_uploads_stop_at_the_hourly_volume(app, live, world):
    size = 20_000
    app.config.update(FILE_UPLOADS_PER_HOUR=1000, FILE_UPLOAD_BYTES_PER_HOUR=3 * size + 10)
    member = _member(world, old=True)
    browser = live.browser()
    browser.sign_in(member.email, DEFAULT_PASSWORD)
    token = browser.token(f"/g/{SLUG}/files/upload")

    def one(n):
        head = f"n,text\n{n},".encode()
        return lambda: browser.post(f"/g/{SLUG}/files/upload", {
            "csrf_token": token, "folder": "0", "description": ""},
            {"files": (head + b"x" * (size - len(head)), f"big{n}.csv")})

    answers = crowd([one(n) for n in range(CROWD)])
    assert tally(answers) == {302: 3, 400: CROWD - 3}
    assert "an hour and have" in first(answers, 400).text
    assert _count(SharedFile.id, SharedFile.uploader_id == member.id) == 3


def test_parallel_flags_record_exactly_the_hourly_limit(live, world):
    member = _member(world, old=True)
    thread = make_thread(group=world.group, author=world.leader)
    replies = [make_reply(thread=thread, author=world.leader) for _ in range(CROWD)]
    db.session.commit()
    browser = live.browser()
    browser.sign_in(member.email, DEFAULT_PASSWORD)
    token = browser.token(f"/g/{SLUG}/t/{thread.id}")
    answers = crowd([
        (lambda i=i: browser.post(f"/p/{i}/flag", {"reason": "spam", "csrf_token": token}))
        for i in [r.id for r in replies]])
    assert tally(answers) == {302: 2, 400: CROWD - 2}
    assert _count(Flag.id, Flag.reporter_id == member.id) == 2


# --- windows and configuration

def test_the_next_window_lets_a_locked_account_try_again(client, world, monkeypatch,
                                                         still_clock):
    def sign_in(password):
        return client.post("/auth/login", data={"email": world.member.email,
                                                "password": password,
                                                "csrf_token": csrf_token(client, "/auth/login")})

    for _ in range(5):
        sign_in("wrong password!!")
    locked = sign_in(DEFAULT_PASSWORD)
    assert locked.status_code == 429
    monkeypatch.setattr(ratelimit, "_now", lambda: still_clock + int(locked.headers["Retry-After"]))
    assert sign_in(DEFAULT_PASSWORD).status_code == 302


def test_ended_windows_leave_nothing_behind(app, client, monkeypatch, still_clock):
    def sign_in(email):
        return client.post("/auth/login", data={"email": email, "password": "wrong password!!",
                                                "csrf_token": csrf_token(client, "/auth/login")})

    for n in range(3):
        sign_in(f"sprayed{n}@example.org")
    if app.config["RATELIMIT_STORAGE_URI"]:  # Redis: every key expires with its window
        store = redis.Redis.from_url(REDIS_URL)
        keys = store.keys(f"{app.config['RATELIMIT_KEY_PREFIX']}:login-account:sprayed*")
        assert len(keys) == 3
        assert all(0 < store.expiretime(k) <= still_clock + 15 * 60 + 1 for k in keys)
        return
    assert _count(ratelimit.ThrottleCounter.key) == 4  # three accounts and the one address
    monkeypatch.setattr(ratelimit, "_now", lambda: still_clock + 15 * 60)
    sign_in("later@example.org")  # the new window's first row clears the ended ones
    assert _count(ratelimit.ThrottleCounter.key) == 2


def test_per_process_memory_counts_are_refused_at_start(tmp_path):
    with pytest.raises(RuntimeError, match="RATELIMIT_STORAGE_URI"):
        create_app({"ENV_NAME": "testing", "SECRET_KEY": "x" * 40,
                    "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'f.db'}",
                    "INSTANCE_PATH": str(tmp_path), "RATELIMIT_STORAGE_URI": "memory://"})
