"""Structured request logs: one JSON line per request, with what an operator needs and nothing
a log must not hold (passwords, tokens, query strings, bodies)."""

from __future__ import annotations

import io
import json
import logging

import pytest
from flask import request_started

from forum import create_app
from forum.config import ProductionConfig
from forum.ops.logs import json_handler
from tests.conftest import IsolatedClient
from tests.factories import make_group, make_membership, make_user
from tests.factories_discussions import make_thread
from tests.helpers import csrf_token, login

SECRET = "Sup3r-Secret-Value-8f2c"


@pytest.fixture
def app_overrides():
    return {"LOG_FORMAT": "json"}


class ClosingClient(IsolatedClient):
    """A request is logged when its answer has been sent, i.e. when the server closes the body
    iterator; a buffered test response is read and closed as a server would."""

    def open(self, *args, **kwargs):
        kwargs.setdefault("buffered", True)
        return super().open(*args, **kwargs)


@pytest.fixture
def client(app):
    app.test_client_class = ClosingClient
    return app.test_client()


@pytest.fixture
def lines(app):
    """The JSON lines the app's log handler writes, as dicts, collected during the test."""
    handler = json_handler()
    assert handler is not None, "LOG_FORMAT json installs a handler on the 'forum' logger"
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    collected: list[dict] = []

    def read() -> list[dict]:
        text = buffer.getvalue()
        collected[:] = [json.loads(line) for line in text.splitlines() if line.strip()]
        return collected

    read.text = buffer.getvalue
    yield read
    handler.setStream(previous)


def requests_in(lines) -> list[dict]:
    return [line for line in lines() if line["logger"] == "forum.requests"]


def test_one_line_per_request_with_its_fields(app, client, lines):
    response = client.get("/healthz")
    rid = response.headers["X-Request-ID"]
    (line,) = requests_in(lines)
    assert line["request_id"] == rid and len(rid) == 32
    assert line["method"] == "GET" and line["route"] == "/healthz" and line["status"] == 200
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["user_id"] is None and line["level"] == "INFO"


def test_the_route_is_the_url_rule_and_the_member_is_named(app, client, lines):
    group = make_group(slug="rules-group")
    member = make_user(username="logged")
    make_membership(group=group, user=member)
    thread = make_thread(group=group, author=member, title="Budget")
    login(client, member)
    response = client.get(f"/g/rules-group/t/{thread.id}")
    assert response.status_code == 200
    last = requests_in(lines)[-1]
    assert last["route"] == "/g/<slug>/t/<int:thread_id>"
    assert last["user_id"] == member.id and last["status"] == 200
    assert "rules-group" not in json.dumps(last)
    missing = client.get("/no/such/page")
    assert missing.status_code == 404
    assert requests_in(lines)[-1]["route"] == "unmatched"


def test_an_incoming_request_id_is_kept_when_sane(app, client, lines):
    sane = "lb-1a2b3c.42:7"
    assert client.get("/healthz", headers={"X-Request-ID": sane}).headers["X-Request-ID"] == sane
    for bad in ("two words", "x" * 129, "<script>", "id;drop"):
        echoed = client.get("/healthz", headers={"X-Request-ID": bad}).headers["X-Request-ID"]
        assert echoed != bad and len(echoed) == 32
    ids = [line["request_id"] for line in requests_in(lines)]
    assert ids[0] == sane and len(set(ids)) == 5


def test_visitor_pages_from_the_front_door_are_logged_too(app, client, lines):
    reached_flask = []
    request_started.connect(lambda sender, **extra: reached_flask.append(1), app, weak=False)
    answers = [client.get("/") for _ in range(3)]  # the last from the front door
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert len(reached_flask) < 3 and answers[2].headers["X-Page-Cache"] == "hit"  # front door
    assert [line["route"] for line in requests_in(lines)] == ["/", "/", "/"]
    assert len({a.headers["X-Request-ID"] for a in answers}) == 3


def test_passwords_tokens_query_strings_and_bodies_never_appear(app, client, lines):
    user = make_user(username="careful", password="correct horse battery staple")
    client.post(f"/auth/login?next=/&token={SECRET}", data={
        "email": user.email, "password": SECRET + "-password", "note": SECRET,
        "csrf_token": csrf_token(client, "/auth/login")})
    client.get(f"/auth/reset-password/{SECRET}")
    client.get(f"/?access_token={SECRET}", headers={"Authorization": f"Bearer {SECRET}",
                                                    "Cookie": f"session={SECRET}"})
    logged = requests_in(lines)
    assert [line["route"] for line in logged][-3:] == [
        "/auth/login", "/auth/reset-password/<token>", "/"]
    assert SECRET not in lines.text()
    assert "token=" not in lines.text() and "password" not in lines.text().replace(
        "reset-password", "")


def test_other_log_lines_in_a_request_carry_its_id(app, client, lines):
    seen = {}

    @app.get("/_ops_test_log")
    def _logs_something():
        logging.getLogger("forum.ops.test").warning("something odd")
        return "ok"

    seen["rid"] = client.get("/_ops_test_log").headers["X-Request-ID"]
    (odd,) = [line for line in lines() if line["logger"] == "forum.ops.test"]
    assert odd["request_id"] == seen["rid"] and odd["message"] == "something odd"
    assert odd["level"] == "WARNING"


def test_text_mode_takes_the_json_handler_away(app, tmp_path):
    assert json_handler() is not None
    create_app({"ENV_NAME": "testing", "LOG_FORMAT": "text", "INSTANCE_PATH": str(tmp_path),
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}"})
    assert json_handler() is None


def test_production_logs_json_and_nonsense_is_refused(tmp_path):
    assert ProductionConfig.LOG_FORMAT == "json"
    with pytest.raises(RuntimeError, match="LOG_FORMAT"):
        create_app({"ENV_NAME": "testing", "LOG_FORMAT": "xml", "INSTANCE_PATH": str(tmp_path),
                    "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}"})
