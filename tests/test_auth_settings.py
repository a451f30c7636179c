"""A member's own account: password, e-mail, sessions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.auth.models import AuthSession
from forum.db import utcnow
from forum.extensions import db
from tests.factories import make_user
from tests.factories_accounts import active_sessions_of, last_link_to, submit
from tests.helpers import DEFAULT_PASSWORD, login

NEW = "another long passphrase"


def _change_password(client, current=DEFAULT_PASSWORD, new=NEW, confirm=None):
    return submit(client, "/auth/settings/password",
                  {"current_password": current, "password": new, "confirm": confirm or new},
                  token_from="/auth/settings/password")


def test_changing_password_ends_every_other_session_but_this_one(app, client, mail):
    user = make_user(username="careful")
    laptop, phone = app.test_client(), app.test_client()
    login(laptop, user)
    login(phone, user)
    login(client, user)
    assert len(active_sessions_of(user)) == 3
    assert _change_password(client).status_code == 302
    assert len(active_sessions_of(user)) == 1
    assert "Sign out" in client.get("/").get_data(as_text=True)
    assert "Sign out" not in phone.get("/").get_data(as_text=True)
    mail.deliver()
    assert mail.to(user.email)


@pytest.mark.parametrize("current,new,confirm", [
    ("wrong password!", NEW, NEW), (DEFAULT_PASSWORD, "short", "short"),
    (DEFAULT_PASSWORD, NEW, "not the same at all"), ("", NEW, NEW),
])
def test_bad_password_change_is_a_form_error_and_changes_nothing(client, current, new, confirm):
    user = make_user(username="steady")
    login(client, user)
    old_hash = user.password_hash
    response = _change_password(client, current, new, confirm)
    assert response.status_code == 400
    db.session.refresh(user)
    assert user.password_hash == old_hash


def test_new_address_is_taken_only_after_its_link_is_followed(client, mail):
    user = make_user(username="mover", email="old@example.org")
    login(client, user)
    response = submit(client, "/auth/settings/email",
                      {"email": "New@Example.org", "password": DEFAULT_PASSWORD},
                      token_from="/auth/settings/email")
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.email == "old@example.org"
    path = last_link_to(mail, "new@example.org")
    assert client.get(path).status_code == 200
    assert submit(client, path, {}, token_from=path).status_code == 302
    db.session.refresh(user)
    assert user.email == "new@example.org"
    mail.deliver()
    assert any("was changed" in m["Subject"] for m in mail.to("old@example.org"))
    # The link is spent: the old address is no longer the account's.
    assert submit(client, path, {}, token_from=path).status_code == 400


def test_email_change_to_a_taken_address_looks_the_same_and_sends_nothing(client, mail):
    make_user(username="holder", email="taken@example.org")
    user = make_user(username="wannabe")
    login(client, user)
    response = submit(client, "/auth/settings/email",
                      {"email": "taken@example.org", "password": DEFAULT_PASSWORD},
                      token_from="/auth/settings/email")
    assert response.status_code == 302
    mail.deliver()
    assert mail.to("taken@example.org") == []


def test_email_change_link_fails_if_the_address_was_taken_meanwhile(client, mail):
    user = make_user(username="slowpoke")
    login(client, user)
    submit(client, "/auth/settings/email", {"email": "race@example.org",
                                            "password": DEFAULT_PASSWORD},
           token_from="/auth/settings/email")
    path = last_link_to(mail, "race@example.org")
    make_user(username="quicker", email="race@example.org")
    response = submit(client, path, {}, token_from=path)
    assert response.status_code == 400
    db.session.refresh(user)
    assert user.email != "race@example.org"


@pytest.mark.parametrize("email,password", [("", DEFAULT_PASSWORD), ("nope", DEFAULT_PASSWORD),
                                            ("x@example.org", "wrong password!"),
                                            ("a" * 300 + "@example.org", DEFAULT_PASSWORD)])
def test_bad_email_change_is_a_form_error(client, mail, email, password):
    user = make_user(username="stays")
    login(client, user)
    response = submit(client, "/auth/settings/email", {"email": email, "password": password},
                      token_from="/auth/settings/email")
    assert response.status_code == 400
    mail.deliver()
    assert mail.messages == []


def test_member_sees_sessions_and_ends_another_device(app, client):
    user = make_user(username="traveller")
    tablet = app.test_client()
    login(tablet, user)
    login(client, user, )
    page = client.get("/auth/sessions", headers={"User-Agent": "Mozilla/5.0 Test"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "this device" in html
    tablet_row = min(active_sessions_of(user), key=lambda s: s.id)
    response = submit(client, f"/auth/sessions/{tablet_row.id}/end", {},
                      token_from="/auth/sessions")
    assert response.status_code == 302
    assert "Sign out" not in tablet.get("/").get_data(as_text=True)
    assert "Sign out" in client.get("/").get_data(as_text=True)


def test_member_cannot_end_someone_elses_session(app, client):
    victim = make_user(username="victim")
    victim_client = app.test_client()
    login(victim_client, victim)
    login(client, make_user(username="attacker"))
    row = active_sessions_of(victim)[0]
    response = submit(client, f"/auth/sessions/{row.id}/end", {}, token_from="/auth/sessions")
    assert response.status_code == 404
    assert "Sign out" in victim_client.get("/").get_data(as_text=True)


def test_sign_out_everywhere_ends_all_sessions(app, client):
    user = make_user(username="leaver")
    other = app.test_client()
    login(other, user, remember=True)
    login(client, user)
    response = submit(client, "/auth/sessions/end-all", {}, token_from="/auth/settings")
    assert response.status_code == 302
    assert active_sessions_of(user) == []
    assert "Sign out" not in other.get("/").get_data(as_text=True)
    assert "Sign out" not in client.get("/").get_data(as_text=True)


def test_copied_remember_cookie_is_dead_after_sign_out_everywhere(app, client):
    user = make_user(username="remembered")
    login(client, user, remember=True)
    remember = client.get_cookie("remember_token")
    assert remember is not None
    submit(client, "/auth/sessions/end-all", {}, token_from="/auth/settings")
    thief = app.test_client()
    thief.set_cookie("remember_token", remember.value)
    assert "Sign out" not in thief.get("/").get_data(as_text=True)


def test_get_never_writes_last_seen_but_a_post_does(client):
    user = make_user(username="watcher")
    login(client, user)
    row = active_sessions_of(user)[0]
    long_ago = utcnow().replace(year=2020)
    row.last_seen_at = long_ago
    db.session.commit()
    for url in ("/", "/auth/settings", "/auth/sessions", f"/members/{user.username}"):
        client.get(url)
    db.session.refresh(row)
    assert row.last_seen_at == long_ago
    submit(client, "/auth/settings/profile", {
        "display_name": "Watcher", "affiliation": "", "bio": "", "timezone": "UTC"},
        token_from="/auth/settings/profile")
    db.session.refresh(row)
    assert row.last_seen_at > long_ago


def test_last_seen_moves_at_most_once_a_minute(client):
    user = make_user(username="busy")
    login(client, user)
    row = active_sessions_of(user)[0]
    just_now = utcnow() - timedelta(seconds=30)
    row.last_seen_at = just_now
    db.session.commit()
    response = submit(client, "/auth/settings/profile", {
        "display_name": "Busy", "affiliation": "", "bio": "", "timezone": "UTC"},
        token_from="/auth/settings/profile")
    assert response.status_code == 302
    db.session.refresh(row)
    assert row.last_seen_at == just_now


@pytest.mark.parametrize("url", ["/auth/settings", "/auth/settings/profile",
                                 "/auth/settings/password", "/auth/settings/email",
                                 "/auth/sessions"])
def test_settings_pages_send_visitors_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_end_session_with_bad_id_is_404_and_without_csrf_is_400(client):
    login(client, make_user(username="poker"))
    assert submit(client, "/auth/sessions/999999/end", {}, token_from="/").status_code == 404
    assert client.post("/auth/sessions/end-all").status_code == 400
    assert db.session.scalar(select(AuthSession.ended_at).limit(1)) is None


def test_sessions_name_the_browser_and_system_not_the_raw_user_agent(app, client):
    firefox = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
    iphone = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
              "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1")
    user = make_user(username="roamer")
    laptop, phone = app.test_client(), app.test_client()
    laptop.environ_base["HTTP_USER_AGENT"] = firefox
    phone.environ_base["HTTP_USER_AGENT"] = iphone
    login(laptop, user)
    login(phone, user)
    client.environ_base["HTTP_USER_AGENT"] = "curl/8.5"
    login(client, user)
    html = client.get("/auth/sessions").get_data(as_text=True)
    assert "Firefox on Windows" in html and "Mobile Safari on iOS" in html
    assert firefox not in html and "Gecko/20100101" not in html
    assert "curl" in html
