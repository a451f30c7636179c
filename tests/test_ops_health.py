"""/healthz and /readyz: what a load balancer asks, on both databases, with real services."""

from __future__ import annotations

import socket

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.ratelimit import ThrottleCounter
from tests.conftest import make_test_app
from tests.helpers import REDIS_URL, require_redis


def dead_port() -> int:
    """A loopback port nothing listens on (bound, then let go)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _create_tables(app, database: str) -> None:
    if database.startswith("sqlite"):
        with app.app_context():
            db.create_all()


def _dispose(app) -> None:
    with app.app_context():
        db.engine.dispose()


def assert_plain_json(response):
    assert response.mimetype == "application/json"
    assert "Set-Cookie" not in response.headers
    assert "no-store" in response.headers["Cache-Control"]


def test_healthz_answers_without_a_database(tmp_path):
    # A database nobody serves: the process is alive all the same, and not ready.
    app = make_test_app(f"postgresql+psycopg://postgres@127.0.0.1:{dead_port()}/none",
                        tmp_path / "instance")
    client = app.test_client()
    health = client.get("/healthz")
    assert health.status_code == 200 and health.get_json() == {"status": "ok"}
    assert_plain_json(health)
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code in (404, 405)  # GET and HEAD only
    ready = client.get("/readyz")
    assert ready.status_code == 503
    body = ready.get_json()
    assert body["status"] == "unavailable" and body["failed"] == ["database"]
    assert body["checks"]["storage"] == "ok"
    assert "127.0.0.1" not in ready.get_data(as_text=True)  # kinds of errors, not messages


def test_readyz_is_ready_on_each_database(app, client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {"status": "ok", "failed": [],
                                   "checks": {"database": "ok", "storage": "ok"}}
    assert_plain_json(response)


def test_readyz_is_never_cached_and_sees_the_store_go(app, client):
    assert client.get("/readyz").status_code == 200
    # The blob folder now lies under a plain file: nothing can be written there.
    blocker = app.instance_path + "/not-a-folder"
    open(blocker, "w").close()
    app.config["STORAGE_DIR"] = blocker + "/blobs"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["failed"] == ["storage"]
    assert response.get_json()["checks"]["storage"] in ("NotADirectoryError", "FileExistsError")


@pytest.mark.parametrize("app_overrides", [{"RATELIMIT_ENABLED": True}], ids=["throttled"])
def test_probes_are_not_throttled_and_set_no_cookie(app, client):
    for _ in range(40):
        assert client.get("/readyz").status_code == 200
        assert client.get("/healthz").status_code == 200
    assert db.session.scalar(select(func.count()).select_from(ThrottleCounter)) == 0
    assert not client.get_cookie(app.config.get("SESSION_COOKIE_NAME", "session"))


def test_readyz_asks_every_configured_redis(database, tmp_path):
    require_redis()
    app = make_test_app(database, tmp_path / "instance", REDIS_URL=REDIS_URL,
                        RATELIMIT_STORAGE_URI=REDIS_URL)
    _create_tables(app, database)
    response = app.test_client().get("/readyz")
    _dispose(app)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["checks"] == {
        "database": "ok", "redis_cache": "ok", "redis_ratelimit": "ok", "storage": "ok"}


@pytest.mark.parametrize("key", ["REDIS_URL", "RATELIMIT_STORAGE_URI"])
def test_readyz_is_503_when_redis_is_at_a_dead_port(database, tmp_path, key):
    app = make_test_app(database, tmp_path / "instance",
                        **{key: f"redis://127.0.0.1:{dead_port()}/0"})
    _create_tables(app, database)
    client = app.test_client()
    response = client.get("/readyz")
    health = client.get("/healthz")
    _dispose(app)
    name = "redis_cache" if key == "REDIS_URL" else "redis_ratelimit"
    assert response.status_code == 503
    body = response.get_json()
    assert body["failed"] == [name] and body["checks"]["database"] == "ok"
    assert body["checks"][name] == "ConnectionError"
    assert_plain_json(response)
    assert health.status_code == 200  # alive, just not ready
