"""Sign-in throttling per account and per address, and no account enumeration by answer or
by work done."""

from __future__ import annotations

import pytest

import forum.users.services as user_services
from tests.factories import make_user
from tests.factories_accounts import registration, submit
from tests.helpers import DEFAULT_PASSWORD, csrf_token


@pytest.fixture
def app_overrides():
    return {"RATELIMIT_ENABLED": True, "LOGIN_LIMIT_PER_ACCOUNT": "3 per 15 minutes",
            "LOGIN_LIMIT_PER_ADDRESS": "6 per 15 minutes", "ACCOUNT_MAIL_LIMIT": "4 per hour"}


def _sign_in(client, email, password="wrong password!!", addr="10.0.0.1"):
    return client.post("/auth/login", environ_base={"REMOTE_ADDR": addr}, data={
        "email": email, "password": password, "csrf_token": csrf_token(client, "/auth/login")})


def test_account_is_throttled_after_failed_attempts_even_with_the_right_password(client):
    user = make_user(username="guarded")
    for _ in range(3):
        assert _sign_in(client, user.email).status_code == 400
    blocked = _sign_in(client, user.email, DEFAULT_PASSWORD)
    assert blocked.status_code == 429
    html = blocked.get_data(as_text=True)
    assert "Too many attempts" in html and "forgot-password" in html
    assert int(blocked.headers["Retry-After"]) > 0


def test_account_throttle_follows_the_account_across_addresses(client):
    user = make_user(username="hunted")
    for n in range(3):
        _sign_in(client, user.email, addr=f"10.0.1.{n}")
    assert _sign_in(client, user.email, DEFAULT_PASSWORD, addr="10.0.9.9").status_code == 429


def test_unknown_address_is_throttled_exactly_like_a_real_one(client):
    for _ in range(3):
        assert _sign_in(client, "ghost@example.org").status_code == 400
    assert _sign_in(client, "ghost@example.org").status_code == 429


def test_address_is_throttled_across_accounts(client):
    users = [make_user(username=f"spray{n}") for n in range(4)]
    for n in range(6):
        assert _sign_in(client, users[n % 4].email, addr="10.0.2.2").status_code == 400
    other = make_user(username="innocent")
    assert _sign_in(client, other.email, DEFAULT_PASSWORD, addr="10.0.2.2").status_code == 429
    # A different address is not affected.
    assert _sign_in(client, other.email, DEFAULT_PASSWORD, addr="10.0.3.3").status_code == 302


def test_successful_sign_ins_do_not_use_up_the_allowance(client, app):
    user = make_user(username="regular")
    for _ in range(5):
        other = app.test_client()
        assert _sign_in(other, user.email, DEFAULT_PASSWORD).status_code == 302


def test_mail_sending_forms_are_throttled_per_address(client):
    for _ in range(4):
        submit(client, "/auth/forgot-password", {"email": "x@example.org"},
               token_from="/auth/forgot-password")
    response = submit(client, "/auth/forgot-password", {"email": "x@example.org"},
                      token_from="/auth/forgot-password")
    assert response.status_code == 429
    assert "too many times" in response.get_data(as_text=True)


def test_unknown_address_and_wrong_password_do_the_same_hashing_work(client, monkeypatch):
    checks = []
    real = user_services.check_password_hash
    monkeypatch.setattr(user_services, "check_password_hash",
                        lambda h, p: checks.append(h) or real(h, p))
    user = make_user(username="timed")
    wrong = _sign_in(client, user.email)
    unknown = _sign_in(client, "unknown@example.org")
    assert wrong.status_code == unknown.status_code == 400
    assert wrong.get_data(as_text=True).count("do not match") == \
        unknown.get_data(as_text=True).count("do not match") > 0
    assert len(checks) == 2
    assert checks[0].split("$")[0] == checks[1].split("$")[0]  # same method and cost


def test_registering_a_taken_address_hashes_the_password_too(client, monkeypatch):
    hashed = []
    real = user_services.generate_password_hash
    monkeypatch.setattr(user_services, "generate_password_hash",
                        lambda p, method: hashed.append(method) or real(p, method=method))
    make_user(username="incumbent", email="incumbent@example.org")
    hashed.clear()
    submit(client, "/auth/register", registration(email="new@example.org", username="newone"),
           token_from="/auth/register")
    submit(client, "/auth/register", registration(email="incumbent@example.org",
                                                  username="copycat"),
           token_from="/auth/register")
    assert len(hashed) == 2
