"""The smaller hardening items: common passwords, __Host- cookies, expiring CSRF tokens that
give a form back, ProxyFix, no self-appointment through volunteering, SQLite durability."""

from __future__ import annotations

import re
import time

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import func, select, text

from forum.auth.tokens import RESET, make_token
from forum.discussions.models import Post
from forum.extensions import db
from forum.groups.models import Appointment, Membership, MembershipStatus, Role
from forum.users.models import User
from forum.users.seed import DEMO_PASSWORD
from forum.volunteering.models import Application, ApplicationStatus
from tests.factories import make_group, make_leader, make_membership, make_user
from tests.factories_accounts import registration, submit
from tests.factories_discussions import make_thread
from tests.factories_volunteering import make_application, make_opportunity
from tests.helpers import DEFAULT_PASSWORD, csrf_token, login, post

COMMON = "This password is one of the most common passwords"
EXPIRED = "This page expired — here it is again; check and send it."


# --- 1. common passwords ---------------------------------------------------------------------

def test_the_sites_own_passwords_are_not_common():
    from forum.users.common_passwords import is_common_password

    for password in (DEMO_PASSWORD, DEFAULT_PASSWORD, registration()["password"],
                     "bench-password-not-secret", "keyboard only passphrase"):
        assert not is_common_password(password), password
    assert is_common_password("PassWord123") and is_common_password("qwertyuiop")


def test_registration_refuses_a_common_password_whatever_its_case(client):
    response = submit(client, "/auth/register",
                      registration(password="Password123", confirm="Password123"),
                      token_from="/auth/register")
    assert response.status_code == 400
    assert COMMON in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_changing_or_resetting_to_a_common_password_is_refused(client):
    user = make_user(username="careful")
    login(client, user)
    response = submit(client, "/auth/settings/password", {
        "current_password": DEFAULT_PASSWORD, "password": "1q2w3e4r5t6y",
        "confirm": "1q2w3e4r5t6y"}, token_from="/auth/settings/password")
    assert response.status_code == 400 and COMMON in response.get_data(as_text=True)
    path = f"/auth/reset-password/{make_token(RESET, user)}"
    response = submit(client, path, {"password": "qwerty123456", "confirm": "qwerty123456"},
                      token_from=path)
    assert response.status_code == 400 and COMMON in response.get_data(as_text=True)
    client.post("/auth/logout", data={"csrf_token": csrf_token(client)})
    login(client, user)  # the password is unchanged


# --- 2. __Host- cookies in production --------------------------------------------------------

@pytest.mark.parametrize("app_overrides", [{"ENV_NAME": "production", "SECRET_KEY": "k" * 48}],
                         ids=["production"])
def test_production_cookies_are_host_only_and_secure(client):
    user = make_user(username="produser")
    # Production's URLs are https, where Flask-WTF also wants a same-site Referer (browsers send
    # one).
    client.environ_base["HTTP_REFERER"] = "https://localhost/auth/login"
    response = login(client, user, remember=True)
    cookies = {c.split("=", 1)[0]: c for c in response.headers.getlist("Set-Cookie")}
    assert set(cookies) >= {"__Host-session", "__Host-remember_token"}
    for name in ("__Host-session", "__Host-remember_token"):
        attributes = [a.strip().lower() for a in cookies[name].split(";")]
        assert "secure" in attributes and "path=/" in attributes and "httponly" in attributes
        assert not any(a.startswith("domain=") for a in attributes)
    # The member is signed in with those cookies: the pages say so and are not cached.
    page = client.get("/")
    assert "Sign out" in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "private, no-cache"


# --- 3. CSRF tokens expire, and the form comes back ------------------------------------------

def _signed_hours_ago(app, token: str, hours: int) -> str:
    """The same session token, signed ``hours`` ago (itsdangerous timestamps; no sleeping)."""
    raw = URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token").loads(token)

    class Earlier(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time()) - hours * 3600

    return URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token",
                                  signer=Earlier).dumps(raw)


@pytest.fixture
def thread(app):
    group = make_group(slug="pm")
    author = make_user(username="writer")
    make_membership(group=group, user=author)
    return make_thread(group=group, author=author, title="Long answers")


def _replies() -> int:
    return db.session.scalar(select(func.count()).select_from(Post)) - 1


def test_a_reply_sent_with_an_expired_token_comes_back_to_send_again(app, client, thread):
    login(client, thread.author)
    url = f"/g/pm/t/{thread.id}/reply"
    old = _signed_hours_ago(app, csrf_token(client, url), 5)
    body = "An hour of careful writing about <scope> & schedules."
    response = client.post(url, data={"body": body, "csrf_token": old})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert EXPIRED in html and "An hour of careful writing about &lt;scope&gt; &amp;" in html
    assert _replies() == 0
    hidden = _hidden_fields(html)  # sent again as the browser would: the form as it came back
    assert hidden["csrf_token"] != old
    assert client.post(url, data={**hidden, "body": body}).status_code == 302
    assert _replies() == 1


def _hidden_fields(html: str) -> dict:
    fields = {}
    for tag in re.findall(r'<input[^>]*type="hidden"[^>]*>', html):
        name, value = re.search(r'name="([^"]+)"', tag), re.search(r'value="([^"]*)"', tag)
        if name:
            fields[name.group(1)] = value.group(1) if value else ""
    return fields


def test_a_forged_or_foreign_token_is_still_a_plain_400(app, client, thread):
    login(client, thread.author)
    url = f"/g/pm/t/{thread.id}/reply"
    someone_else = app.test_client()
    foreign = _signed_hours_ago(app, csrf_token(someone_else, "/auth/login"), 5)
    forged = URLSafeTimedSerializer("not-our-key", salt="wtf-csrf-token").dumps("x" * 40)
    for token in (forged, foreign, ""):
        response = client.post(url, data={"body": "Sneaky", "csrf_token": token})
        html = response.get_data(as_text=True)
        assert response.status_code == 400
        assert "Sneaky" not in html and EXPIRED not in html and "nothing was saved" in html
    assert _replies() == 0


def test_a_button_with_an_expired_token_saves_nothing_and_says_so(app, client):
    group = make_group(slug="team")
    leader = make_leader(group=group)
    hopeful = make_user(username="hopeful")
    make_membership(group=group, user=hopeful, status=MembershipStatus.PENDING)
    login(client, leader)
    old = _signed_hours_ago(app, csrf_token(client, "/g/team/manage"), 5)
    # This view validates no form of its own: the refused commit is what keeps it unsaved.
    response = client.post(f"/g/team/requests/{hopeful.id}/approve", data={"csrf_token": old},
                           headers={"Referer": "http://localhost/g/team/manage"})
    assert response.status_code == 303 and response.headers["Location"] == "/g/team/manage"
    assert db.session.scalar(select(Membership.status).where(
        Membership.user_id == hopeful.id)) == MembershipStatus.PENDING
    assert "nothing was done" in client.get("/g/team/manage").get_data(as_text=True)


# --- 4. behind a proxy -----------------------------------------------------------------------

def _sign_in_through_proxy(client, user):
    response = post(client, "/auth/login", {"email": user.email, "password": DEFAULT_PASSWORD},
                    token_from="/auth/login",
                    headers={"X-Forwarded-For": "198.51.100.7, 203.0.113.9"})
    assert response.status_code == 302
    return client.get("/auth/sessions").get_data(as_text=True)


@pytest.mark.parametrize("app_overrides", [{"PROXY_FIX_X_FOR": 1}], ids=["one-proxy"])
def test_with_one_proxy_the_last_forwarded_address_is_the_clients(client):
    page = _sign_in_through_proxy(client, make_user(username="proxied"))
    assert "203.0.113.9" in page and "198.51.100.7" not in page


def test_without_proxies_a_forwarded_header_changes_nothing(client):
    page = _sign_in_through_proxy(client, make_user(username="direct"))
    assert "127.0.0.1" in page and "203.0.113.9" not in page and "198.51.100.7" not in page


# --- 5. no self-appointment through volunteering ---------------------------------------------

def test_a_leader_cannot_accept_their_own_application_to_lead(client, world):
    opening = make_opportunity(group=world.group, role=Role.LEADER, role_title="Co-chair")
    application = make_application(opportunity=opening, user=world.leader)
    url = f"/get-involved/applications/{application.id}/decide"
    login(client, world.leader)
    page = client.get(f"/get-involved/applications/{application.id}").get_data(as_text=True)
    assert "Record decision" not in page and "another leader or a section admin" in page
    for action in ("accept", "waitlist"):
        response = post(client, url, {"action": action}, token_from="/get-involved/")
        assert response.status_code == 403
        assert "nobody decides their own application" in response.get_data(as_text=True)
    assert db.session.get(Application, application.id).status == ApplicationStatus.SUBMITTED
    assert db.session.scalar(select(func.count()).select_from(Appointment).where(
        Appointment.title == "Co-chair")) == 0
    post(client, "/auth/logout")
    login(client, world.section_admin)
    assert post(client, url, {"action": "accept"}, token_from="/get-involved/").status_code == 302
    appointment = db.session.scalar(select(Appointment).where(Appointment.title == "Co-chair"))
    assert appointment.user_id == world.leader.id
    assert appointment.appointed_by_id == world.section_admin.id


def test_a_leader_cannot_accept_someone_into_a_leaders_seat(client, world):
    opening = make_opportunity(group=world.group, role=Role.LEADER, role_title="Co-chair")
    application = make_application(opportunity=opening, user=world.group_member)
    login(client, world.leader)
    url = f"/get-involved/applications/{application.id}/decide"
    assert post(client, url, {"action": "accept"}, token_from="/get-involved/").status_code == 403
    assert post(client, "/get-involved/review/decide", {
        "action": "accept", "application_id": str(application.id)},
        token_from="/get-involved/").status_code == 403
    assert db.session.get(Application, application.id).status == ApplicationStatus.SUBMITTED
    # Waitlisting appoints no one: the group's leader may.
    assert post(client, url, {"action": "waitlist"}, token_from="/get-involved/").status_code \
        == 302


# --- 6. durable commits ----------------------------------------------------------------------

def test_a_commit_is_on_disk_before_it_is_answered(app):
    with db.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        else:  # the app leaves PostgreSQL's default: a commit waits for its WAL flush
            assert conn.execute(text("SHOW synchronous_commit")).scalar() == "on"
