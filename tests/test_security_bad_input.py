"""Bad input gets a clear answer, never a 500: numbers past the database's integers, NUL in a
path segment, control characters in headers that are stored. (Every route at once:
tests/test_security_route_walk.py; these say what a person sees.)"""

from __future__ import annotations

import pytest
from wtforms import IntegerField

from forum.auth.models import AuthSession
from forum.forms import FlaskForm
from forum.http import DB_INT_MAX, arg_page, parse_int
from tests.factories import make_user
from tests.factories_accounts import active_sessions_of
from tests.factories_discussions import make_thread, root_post
from tests.helpers import DEFAULT_PASSWORD, csrf_token, login, post

HUGE = "99999999999999999999"  # 20 digits: past PostgreSQL's integer and SQLite's 64 bits


def test_sign_in_stores_user_agent_and_address_without_control_characters(client):
    """A NUL in the User-Agent made sign-in answer 500 on PostgreSQL (the session row keeps
    it); other controls and an over-long agent are cleaned and cut to the column too."""
    user = make_user(username="ana")
    agent = "Mozilla/5.0\x00 (X11;\x1b[31m Linux)\x7f" + "z" * 400
    token = csrf_token(client, "/auth/login")
    response = client.post("/auth/login", data={
        "email": user.email, "password": DEFAULT_PASSWORD, "csrf_token": token,
    }, environ_base={"HTTP_USER_AGENT": agent, "REMOTE_ADDR": "203.0.113.9\x00\r\n"})
    assert response.status_code == 302
    (session,) = active_sessions_of(user)
    assert session.user_agent.startswith("Mozilla/5.0  (X11; [31m Linux) zzz")
    assert len(session.user_agent) == AuthSession.user_agent.type.length
    assert session.ip_address == "203.0.113.9"
    page = client.get("/auth/sessions").get_data(as_text=True)
    # The sessions page names the device a member recognises, read from the cleaned header.
    assert "A browser on Linux" in page and "203.0.113.9" in page
    assert "\x00" not in page and "\x1b" not in page


@pytest.mark.parametrize("path", ["/g/%00", "/members/a%00b", "/g/x%00/t/1",
                                  "/auth/reset-password/%00"])
def test_nul_in_a_path_segment_is_a_clear_400(client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert "not valid text" in response.get_data(as_text=True)


@pytest.mark.parametrize("number", [HUGE, str(DB_INT_MAX + 1)])
def test_an_id_outside_the_database_range_is_page_not_found(client, world, number):
    thread = make_thread(group=world.group, author=world.leader)
    login(client, world.group_member)
    for path in (f"/p/{number}", f"/g/project-management/t/{number}",
                 f"/g/project-management/t/{thread.id}/branch/{number}",
                 f"/g/project-management/files/{number}", f"/get-involved/o/{number}"):
        assert client.get(path).status_code == 404, path
    response = post(client, f"/p/{number}/recommend")
    assert response.status_code == 404


def test_page_numbers_out_of_range_show_page_one_or_a_page_past_the_end(client, world):
    first = client.get("/groups").get_data(as_text=True)
    assert "Project Management Interest Group" in first
    for page in ("-5", "0", "abc", "²"):
        html = client.get(f"/groups?page={page}").get_data(as_text=True)
        assert "Project Management Interest Group" in html, page
    past = client.get(f"/groups?page={HUGE}")
    assert past.status_code == 200
    assert "Project Management Interest Group" not in past.get_data(as_text=True)
    login(client, world.group_member)
    for path in ("/g/project-management/discussions", "/g/project-management/files",
                 "/notifications/", "/g/project-management"):
        assert client.get(f"{path}?page={HUGE}").status_code == 200, path
        assert client.get(f"{path}?page=-5").status_code == 200, path


def test_a_quote_or_reply_to_past_the_range_replies_to_the_opening_post(client, world):
    thread = make_thread(group=world.group, author=world.leader, body="Budget for 2026?")
    opening = root_post(thread)
    login(client, world.group_member)
    for query in (f"quote={HUGE}", f"reply_to={HUGE}", "quote=-1"):
        html = client.get(f"/g/project-management/t/{thread.id}?{query}").get_data(as_text=True)
        assert f'name="parent_id" type="hidden" value="{opening.id}"' in html, query


def test_a_reply_to_a_parent_past_the_range_is_a_form_error(client, world):
    thread = make_thread(group=world.group, author=world.leader)
    login(client, world.group_member)
    response = post(client, f"/g/project-management/t/{thread.id}/reply",
                    {"body": "Agreed.", "parent_id": HUGE})
    assert response.status_code == 400
    assert "did not say which post it answers" in response.get_data(as_text=True)
    assert thread.post_count == 1


def test_reviewing_with_an_opportunity_or_application_past_the_range(client, world):
    login(client, world.site_admin)
    assert client.get(f"/get-involved/review?opportunity={HUGE}").status_code == 400
    assert client.get(f"/get-involved/review?page={HUGE}").status_code == 200
    for value in (HUGE, "²", "-1"):
        response = post(client, "/get-involved/review/decide",
                        {"application_id": value, "action": "accept"})
        assert response.status_code == 303, value  # "Tick at least one application."


def test_every_integer_field_refuses_numbers_past_the_database_range(app):
    class CountForm(FlaskForm):
        count = IntegerField("Count")

    with app.test_request_context(method="POST", data={"count": HUGE}):
        form = CountForm(meta={"csrf": False})
        assert not form.validate()
        assert form.count.errors == [
            "Enter a whole number from -2,147,483,648 to 2,147,483,647."]


def test_parse_int_takes_plain_digits_within_the_range_only(app):
    assert parse_int("42") == 42 and parse_int(str(DB_INT_MAX)) == DB_INT_MAX
    for raw in (HUGE, str(DB_INT_MAX + 1), "0", "-3", "²", "١٢", " 7", "7_0", "", None, "x"):
        assert parse_int(raw) is None, raw
    with app.test_request_context(f"/?page={HUGE}"):
        assert 1 < arg_page() < DB_INT_MAX // 25  # its OFFSET fits a 32-bit integer
    with app.test_request_context("/?page=-2"):
        assert arg_page() == 1
