"""Registering, verifying the address, and what an unverified account may do."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.mailing.models import Delivery
from forum.users.models import User
from forum.users.services import find_by_email
from tests.factories import make_user
from tests.factories_accounts import last_link_to, perms_for, registration, submit
from tests.helpers import login, post


def _register(client, **overrides):
    return submit(client, "/auth/register", registration(**overrides), token_from="/auth/register")


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_newcomer_registers_verifies_and_can_take_part(client, mail):
    response = _register(client)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/auth/register/check-email")
    user = find_by_email("ada@example.org")
    assert user is not None and not user.is_verified
    assert user.password_hash.startswith("scrypt:")

    path = last_link_to(mail, "ada@example.org")
    assert path.startswith("/auth/verify/")
    # Opening the link changes nothing (mail scanners open links); the button confirms.
    assert client.get(path).status_code == 200
    db.session.refresh(user)
    assert not user.is_verified
    assert submit(client, path, {}, token_from=path).status_code == 302
    db.session.refresh(user)
    assert user.is_verified
    assert perms_for(user).is_member


def test_unverified_account_signs_in_sees_banner_and_is_not_a_member(client, mail):
    user = make_user(username="newbie", verified=False)
    login(client, user)
    page = client.get("/").get_data(as_text=True)
    assert "Confirm your e-mail address" in page and "Resend verification" in page
    assert not perms_for(user).is_member
    response = post(client, "/auth/resend-verification", {"next": "/"})
    assert response.status_code == 302
    path = last_link_to(mail, user.email)
    submit(client, path, {}, token_from=path)
    page = client.get("/").get_data(as_text=True)
    assert "Resend verification" not in page


def test_registering_a_taken_address_looks_the_same_and_mails_the_owner(client, mail):
    owner = make_user(username="owner", email="owner@example.org", display_name="Owner")
    fresh = _register(client, email="someone-new@example.org", username="fresh")
    taken = _register(client, email="OWNER@example.org", username="intruder")
    assert fresh.status_code == taken.status_code == 302
    assert fresh.headers["Location"] == taken.headers["Location"]
    assert _count(User) == 2  # the owner and the fresh account; no intruder
    mail.deliver()
    note = mail.text(mail.to(owner.email)[-1])
    assert "tried to create an account" in note
    assert "verify" not in note


@pytest.mark.parametrize("lookalike", ["Ｐriya", "PRIYA", "priya\u200b", "pri\u202eya",
                                       "\u2066priya"])
def test_lookalike_usernames_are_refused(client, lookalike):
    make_user(username="priya")
    response = _register(client, username=lookalike, email="other@example.org")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "taken" in html or "invisible" in html
    assert find_by_email("other@example.org") is None


BAD_REGISTRATIONS = {
    "empty email": {"email": ""},
    "invalid email": {"email": "not-an-address"},
    "overlong email": {"email": "a" * 250 + "@example.org"},
    "empty username": {"username": "   "},
    "overlong username": {"username": "a" * 41},
    "short username": {"username": "ab"},
    "symbol username": {"username": "ada!"},
    "empty display name": {"display_name": ""},
    "overlong display name": {"display_name": "A" * 101},
    "short password": {"password": "short", "confirm": "short"},
    "overlong password": {"password": "p" * 1001, "confirm": "p" * 1001},
    "mismatched passwords": {"confirm": "something else entirely"},
}


@pytest.mark.parametrize("case", BAD_REGISTRATIONS)
def test_bad_registration_gets_form_error_and_writes_nothing(client, case):
    response = _register(client, **BAD_REGISTRATIONS[case])
    assert response.status_code == 400
    assert "There is a problem" in response.get_data(as_text=True) \
        or "There are problems" in response.get_data(as_text=True)
    assert _count(User) == 0 and _count(Delivery) == 0


def test_nul_byte_in_registration_is_a_clear_400(client):
    data = registration(username="ada\x00x")
    response = submit(client, "/auth/register", data, token_from="/auth/register")
    assert response.status_code == 400
    assert _count(User) == 0


@pytest.mark.parametrize("mangle", [lambda t: t[:-3] + "xyz", lambda t: "garbage",
                                    lambda t: t + "x"])
def test_tampered_verification_link_is_refused(client, mail, mangle):
    _register(client)
    path = last_link_to(mail, "ada@example.org")
    token = path.rsplit("/", 1)[1]
    bad = f"/auth/verify/{mangle(token)}"
    response = submit(client, bad, {}, token_from="/auth/register")
    assert response.status_code == 400
    assert "not valid" in response.get_data(as_text=True)
    assert not find_by_email("ada@example.org").is_verified


def test_expired_verification_link_is_refused(app, client, mail):
    _register(client)
    path = last_link_to(mail, "ada@example.org")
    app.config["EMAIL_TOKEN_MAX_AGE"] = -1
    response = submit(client, path, {}, token_from="/auth/register")
    assert response.status_code == 400
    assert "expired" in response.get_data(as_text=True)
    assert not find_by_email("ada@example.org").is_verified


def test_verifying_twice_changes_nothing_and_says_so(client, mail):
    _register(client)
    path = last_link_to(mail, "ada@example.org")
    submit(client, path, {}, token_from=path)
    again = submit(client, path, {}, token_from=path)
    assert again.status_code == 302
    page = client.get("/").get_data(as_text=True)
    assert "already confirmed" in page


def test_verification_link_dies_when_the_address_changes(client, mail):
    _register(client)
    path = last_link_to(mail, "ada@example.org")
    user = find_by_email("ada@example.org")
    user.email = "ada.new@example.org"
    response = submit(client, path, {}, token_from="/auth/register")
    assert response.status_code == 400
    db.session.refresh(user)
    assert not user.is_verified


def test_signed_in_member_is_sent_home_from_register(client):
    login(client, make_user())
    assert client.get("/auth/register").status_code == 302
