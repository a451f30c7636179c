"""The frame every page shares: layout, headers, errors, sign-in, bad input, writes."""

from __future__ import annotations

import sqlite3
import threading

import pytest
from sqlalchemy import event, select, text, update
from sqlalchemy.exc import IntegrityError

from forum.db import writing
from forum.extensions import db
from forum.groups.models import Group, Visibility
from tests.factories import make_group, make_user
from tests.factories_discussions import make_thread
from tests.helpers import csrf_token, login, post


def test_home_page_has_landmarks_skip_link_and_security_headers(client):
    response = client.get("/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'href="#main"' in html and '<main id="main"' in html
    assert "<nav" in html and "<header" in html and "<footer" in html
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "'unsafe-inline'" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]


def test_unknown_page_gets_friendly_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_json_clients_get_json_errors(client):
    response = client.get("/no-such-page", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.get_json()["status"] == 404


def test_get_on_post_only_logout_is_405(client):
    response = client.get("/auth/logout")
    assert response.status_code == 405
    assert "not allowed" in response.get_data(as_text=True)


def test_form_without_csrf_token_is_refused_and_changes_nothing(client):
    user = make_user()
    response = client.post("/auth/login", data={"email": user.email, "password": "x" * 12})
    assert response.status_code == 400
    assert "expired" in response.get_data(as_text=True)


def test_member_signs_in_and_out(client):
    user = make_user(display_name="Ada Librarian")
    login(client, user)
    page = client.get("/").get_data(as_text=True)
    assert "Ada Librarian" in page and "Sign out" in page
    post(client, "/auth/logout")
    page = client.get("/").get_data(as_text=True)
    assert "Sign out" not in page and "Sign in" in page


def test_wrong_password_gets_form_error_not_a_hint_about_accounts(client):
    user = make_user()
    wrong = post(client, "/auth/login", {"email": user.email, "password": "wrong-password!"},
                 token_from="/auth/login")
    unknown = post(client, "/auth/login", {"email": "nobody@example.org",
                                           "password": "wrong-password!"},
                   token_from="/auth/login")
    assert wrong.status_code == unknown.status_code == 400
    assert "do not match an account" in wrong.get_data(as_text=True)
    assert "do not match an account" in unknown.get_data(as_text=True)


def test_copied_session_cookie_is_useless_after_sign_out(app, client):
    user = make_user(display_name="Grace Cataloguer")
    login(client, user)
    cookie = client.get_cookie("session")
    post(client, "/auth/logout")
    thief = app.test_client()
    thief.set_cookie("session", cookie.value)
    page = thief.get("/").get_data(as_text=True)
    assert "Sign out" not in page and "Sign in" in page


def test_a_cookie_signed_with_a_retired_secret_key_signs_no_one_in(app, client):
    """The session's signer is kept between requests; a key change must still count."""
    user = make_user(display_name="Hedy Indexer")
    login(client, user)
    cookie = client.get_cookie("session").value

    def page_with(cookie_value):
        other = app.test_client()
        other.set_cookie("session", cookie_value)
        return other.get("/").get_data(as_text=True)

    old_key = app.secret_key
    app.secret_key = app.config["SECRET_KEY"] = "a-new-key-" + "n" * 40
    app.config["SECRET_KEY_FALLBACKS"] = [old_key]
    assert "Sign out" in page_with(cookie)  # rotating: the old key still verifies
    app.config["SECRET_KEY_FALLBACKS"] = []
    page = page_with(cookie)
    assert "Sign out" not in page and "Sign in" in page


@pytest.mark.parametrize("target", ["//evil.example", "/\\evil.example", "https://evil.example/",
                                    "javascript:alert(1)"])
def test_next_redirects_only_to_own_paths(client, target):
    user = make_user()
    response = post(client, "/auth/login", {"email": user.email,
                                            "password": "correct horse battery staple",
                                            "next": target}, token_from="/auth/login")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_next_redirect_to_own_path_is_followed(client):
    user = make_user()
    response = post(client, "/auth/login", {"email": user.email,
                                            "password": "correct horse battery staple",
                                            "next": "/members/x?tab=1"}, token_from="/auth/login")
    assert response.headers["Location"] == "/members/x?tab=1"


@pytest.mark.parametrize("raw", [b"email=a%00b%40example.org&password=x",
                                 b"email=%ff%fe%40example.org&password=x"])
def test_nul_bytes_and_invalid_utf8_get_clear_400(client, raw):
    token = csrf_token(client, "/auth/login")
    body = raw + b"&csrf_token=" + token.encode()
    response = client.post("/auth/login", data=body,
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert "not valid text" in response.get_data(as_text=True)


def test_oversized_request_body_gets_413(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = client.post("/auth/login", data={"email": "x" * 4096})
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)


def test_concurrent_counter_increments_are_exact(app):
    """8 threads × 100 writes: no lost updates, no "database is locked"."""
    group_id = make_group().id
    db.session.commit()
    errors = []

    def worker():
        with app.app_context(), writing():
            for _ in range(100):
                try:
                    db.session.execute(update(Group).where(Group.id == group_id)
                                       .values(member_count=Group.member_count + 1))
                    db.session.commit()
                except Exception as exc:  # noqa: BLE001 - collected and asserted below
                    db.session.rollback()
                    errors.append(exc)
            db.session.remove()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    db.session.expire_all()
    assert db.session.scalar(select(Group.member_count).where(Group.id == group_id)) == 800


def test_foreign_keys_are_enforced_and_sqlite_runs_in_wal(app):
    from forum.groups.models import Membership, MembershipStatus

    if db.engine.dialect.name == "sqlite":
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    db.session.add(Membership(group_id=999999, user_id=999999, status=MembershipStatus.ACTIVE))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def _record_autocommit(engine, seen: list) -> None:
    """Note, for each statement the app runs, whether it ran outside a transaction."""
    def record(conn, cursor, statement, parameters, context, executemany):
        if statement.startswith("BEGIN"):
            return
        raw = conn.connection.dbapi_connection
        seen.append(not raw.in_transaction if isinstance(raw, sqlite3.Connection)
                    else raw.autocommit)

    event.listen(engine, "before_cursor_execute", record)


def test_pages_read_without_a_transaction_on_postgresql_and_forms_write_in_one(
        app, client, database):
    # On PostgreSQL a GET skips BEGIN/ROLLBACK (and keeps psycopg's prepared statements, which
    # every ROLLBACK drops); SQLite keeps one snapshot per page. A POST writes all or nothing.
    group = make_group(visibility=Visibility.PUBLIC)
    user = make_user()
    seen: list[bool] = []
    _record_autocommit(db.engine, seen)
    assert client.get(f"/g/{group.slug}").status_code == 200
    reads = seen[:]
    seen.clear()
    login(client, user)
    assert reads and set(reads) == {database.startswith("postgresql")}
    assert seen and set(seen) == {False}


def test_a_visitor_reading_pages_gets_no_cookie_and_a_member_gets_a_token(client):
    # No session for a visitor until they use a form: pages stay cacheable and cookie-free.
    group = make_group(visibility=Visibility.PUBLIC)
    author = make_user()
    thread = make_thread(group=group, author=author)
    for path in ("/", "/groups", f"/g/{group.slug}", f"/g/{group.slug}/t/{thread.id}",
                 f"/g/{group.slug}/files", f"/g/{group.slug}/leadership",
                 f"/members/{author.username}", "/no-such-page"):
        response = client.get(path)
        assert "Set-Cookie" not in response.headers, path
        assert 'name="csrf-token"' not in response.get_data(as_text=True), path
    assert "Set-Cookie" in client.get("/auth/login").headers  # the sign-in form's token
    login(client, author)
    assert 'name="csrf-token"' in client.get("/").get_data(as_text=True)
