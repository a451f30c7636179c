"""Forgotten passwords: the same answer for every address, links that work once."""

from __future__ import annotations

import pytest

from forum.extensions import db
from tests.factories import make_user
from tests.factories_accounts import active_sessions_of, last_link_to, submit
from tests.helpers import login

NEW = "a brand new passphrase"


def _ask(client, email):
    return submit(client, "/auth/forgot-password", {"email": email},
                  token_from="/auth/forgot-password")


def _reset(client, path, password=NEW, confirm=None):
    return submit(client, path, {"password": password, "confirm": confirm or password},
                  token_from="/auth/forgot-password")


def test_known_and_unknown_addresses_get_the_same_answer(client, mail):
    user = make_user(username="known")
    known = _ask(client, user.email)
    unknown = _ask(client, "nobody@example.org")
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"]
    page = client.get(known.headers["Location"]).get_data(as_text=True)
    assert "If an account exists" in page
    mail.deliver()
    assert len(mail.to(user.email)) == 1
    assert not mail.to("nobody@example.org")


def test_member_resets_password_and_every_session_ends(app, client, mail):
    user = make_user(username="forgetful")
    other_device = app.test_client()
    login(other_device, user)
    _ask(client, user.email)
    path = last_link_to(mail, user.email)
    assert client.get(path).status_code == 200
    response = _reset(client, path)
    assert response.status_code == 302
    assert active_sessions_of(user) == []
    assert "Sign out" not in other_device.get("/").get_data(as_text=True)
    login(client, user, NEW)
    mail.deliver()
    assert any("was changed" in m["Subject"] for m in mail.to(user.email))


def test_reset_link_works_only_once(client, mail):
    user = make_user(username="once")
    _ask(client, user.email)
    path = last_link_to(mail, user.email)
    assert _reset(client, path).status_code == 302
    again = _reset(client, path, "yet another passphrase")
    assert again.status_code == 400
    assert "already been used" in again.get_data(as_text=True)
    assert client.get(path).status_code == 400
    login(client, user, NEW)


def test_expired_reset_link_is_refused(app, client, mail):
    user = make_user(username="slow")
    _ask(client, user.email)
    path = last_link_to(mail, user.email)
    app.config["RESET_TOKEN_MAX_AGE"] = -1
    response = _reset(client, path)
    assert response.status_code == 400 and "expired" in response.get_data(as_text=True)
    login(client, user)  # the old password still works


@pytest.mark.parametrize("token", ["not-a-token", "eyJ1aWQiOjF9.AAAA.BBBB", "x" * 300])
def test_tampered_reset_link_is_refused(client, token):
    make_user(username="target")
    response = client.get(f"/auth/reset-password/{token}")
    assert response.status_code == 400


def test_verification_token_cannot_reset_a_password(client, mail):
    user = make_user(username="mixup", verified=False)
    from forum.auth import tokens

    verify_token = tokens.make_token(tokens.VERIFY, user)
    response = _reset(client, f"/auth/reset-password/{verify_token}")
    assert response.status_code == 400
    login(client, user)


@pytest.mark.parametrize("password,confirm", [("short", "short"), (NEW, "different passphrase"),
                                              ("", ""), ("p" * 1001, "p" * 1001)])
def test_bad_new_password_is_a_form_error_and_the_link_still_works(client, mail, password,
                                                                    confirm):
    user = make_user(username="typo")
    _ask(client, user.email)
    path = last_link_to(mail, user.email)
    response = _reset(client, path, password, confirm)
    assert response.status_code == 400
    assert _reset(client, path).status_code == 302


@pytest.mark.parametrize("email", ["", "not-an-address", "a" * 300 + "@example.org"])
def test_bad_address_on_forgot_form_is_a_form_error(client, mail, email):
    response = _ask(client, email)
    assert response.status_code in (302, 400)
    if response.status_code == 302:  # syntactically odd but accepted: still the same answer
        assert response.headers["Location"].endswith("/auth/forgot-password/sent")
    mail.deliver()
    assert mail.messages == []


def test_reset_verifies_an_unverified_address(client, mail):
    user = make_user(username="unproven", verified=False)
    _ask(client, user.email)
    _reset(client, last_link_to(mail, user.email))
    db.session.refresh(user)
    assert user.is_verified
