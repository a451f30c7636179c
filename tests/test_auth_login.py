"""Signing in: bad input, remember me, and who may sign in."""

from __future__ import annotations

import pytest

from forum.auth.models import AuthSession
from forum.extensions import db
from tests.factories import make_user
from tests.factories_accounts import active_sessions_of, submit
from tests.helpers import DEFAULT_PASSWORD, csrf_token, login


@pytest.mark.parametrize("email,password", [
    ("", DEFAULT_PASSWORD), ("someone@example.org", ""), ("a" * 255 + "@x.org", "whatever!!"),
    ("someone@example.org", "p" * 1001), ("   ", "   "),
])
def test_bad_sign_in_input_is_a_form_error_and_starts_no_session(client, email, password):
    make_user(username="someone", email="someone@example.org")
    response = submit(client, "/auth/login", {"email": email, "password": password},
                      token_from="/auth/login")
    assert response.status_code == 400
    assert db.session.query(AuthSession).count() == 0


def test_remember_me_keeps_the_member_signed_in_after_the_browser_session_ends(app, client):
    user = make_user(username="stayer")
    login(client, user, remember=True)
    remember = client.get_cookie("remember_token")
    assert remember is not None and remember.expires is not None
    later = app.test_client()  # a new browser session: only the remember cookie survives
    later.set_cookie("remember_token", remember.value)
    assert "Sign out" in later.get("/").get_data(as_text=True)


def test_without_remember_me_there_is_no_remember_cookie(client):
    login(client, make_user(username="brief"))
    assert client.get_cookie("remember_token") is None


def test_sign_in_records_device_and_address(client):
    user = make_user(username="recorded")
    response = client.post("/auth/login", headers={"User-Agent": "TestBrowser/1.0"},
                           environ_base={"REMOTE_ADDR": "192.0.2.7"}, data={
                               "email": user.email, "password": DEFAULT_PASSWORD,
                               "csrf_token": csrf_token(client, "/auth/login")})
    assert response.status_code == 302
    (row,) = active_sessions_of(user)
    assert row.user_agent == "TestBrowser/1.0" and row.ip_address == "192.0.2.7"


def test_email_is_matched_whatever_its_case(client):
    user = make_user(username="casey", email="casey@example.org")
    response = submit(client, "/auth/login", {"email": "  CASEY@Example.ORG ",
                                              "password": DEFAULT_PASSWORD},
                      token_from="/auth/login")
    assert response.status_code == 302
    assert active_sessions_of(user)
