"""Suspending an account: it ends every session at once and stops taking part."""

from __future__ import annotations

from datetime import timedelta

from forum.auth.suspension import suspend_user, unsuspend_user
from forum.db import utcnow
from forum.extensions import db
from tests.factories import make_user
from tests.factories_accounts import active_sessions_of, perms_for
from tests.helpers import login


def test_suspended_users_copied_cookie_is_dead(app, client):
    user = make_user(username="troll")
    admin = make_user(username="boss", site_admin=True)
    login(client, user, remember=True)
    session_cookie = client.get_cookie("session").value
    remember_cookie = client.get_cookie("remember_token").value
    assert suspend_user(user, utcnow() + timedelta(days=7), by=admin)
    db.session.commit()
    assert active_sessions_of(user) == []
    for name, value in (("session", session_cookie), ("remember_token", remember_cookie)):
        thief = app.test_client()
        thief.set_cookie(name, value)
        assert "Sign out" not in thief.get("/").get_data(as_text=True)


def test_suspended_user_who_signs_in_again_is_not_a_member_and_sees_why(client):
    user = make_user(username="benched")
    suspend_user(user, utcnow() + timedelta(days=3))
    login(client, user)
    assert not perms_for(user).is_member
    assert "suspended until" in client.get("/").get_data(as_text=True)


def test_suspension_without_end_and_unsuspension(client):
    user = make_user(username="indefinite")
    suspend_user(user, None)
    assert user.is_suspended
    assert suspend_user(user, None) is False  # the same again changes nothing
    assert unsuspend_user(user) is True
    assert unsuspend_user(user) is False
    assert perms_for(user).is_member
