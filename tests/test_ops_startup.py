"""Production start-up refuses unsafe settings, each with a message that says what to fix."""

from __future__ import annotations

import socket

import pytest

from forum import create_app
from forum.config import DEV_SECRET_KEY
from tests.helpers import REDIS_URL, require_redis


def dead_redis() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"redis://127.0.0.1:{sock.getsockname()[1]}/0"


def production(tmp_path, **overrides):
    config = {"ENV_NAME": "production", "SECRET_KEY": "k" * 48,
              "SITE_URL": "https://forum.example.org", "INSTANCE_PATH": str(tmp_path),
              "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'forum.db'}"}
    config.update(overrides)
    return create_app(config)


def test_safe_production_settings_start(tmp_path):
    app = production(tmp_path)
    assert app.config["ENV_NAME"] == "production" and not app.debug


def test_the_default_secret_key_is_still_refused(tmp_path):
    with pytest.raises(RuntimeError, match="FORUM_SECRET_KEY"):
        production(tmp_path, SECRET_KEY=DEV_SECRET_KEY)


def test_debug_is_refused(tmp_path):
    with pytest.raises(RuntimeError, match="debug on"):
        production(tmp_path, DEBUG=True)


def test_flask_debug_from_the_environment_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("FLASK_DEBUG", "1")
    with pytest.raises(RuntimeError, match="FLASK_DEBUG"):
        production(tmp_path)


@pytest.mark.parametrize("url", ["http://forum.example.org", "http://10.0.0.5:8000",
                                 "forum.example.org", "", "ftp://forum.example.org",
                                 "https://"])
def test_a_site_url_that_is_not_https_is_refused(tmp_path, url):
    with pytest.raises(RuntimeError, match="SITE_URL"):
        production(tmp_path, SITE_URL=url)


@pytest.mark.parametrize("url", ["http://127.0.0.1:8000", "http://localhost", "http://[::1]:80"])
def test_plain_http_on_loopback_only_is_allowed(tmp_path, url):
    assert production(tmp_path, SITE_URL=url).config["SITE_URL"] == url


@pytest.mark.parametrize("key,name", [("REDIS_URL", "redis_cache"),
                                      ("RATELIMIT_STORAGE_URI", "redis_ratelimit")])
def test_a_configured_redis_that_does_not_answer_is_refused(tmp_path, key, name):
    with pytest.raises(RuntimeError, match=f"{name} \\(ConnectionError\\) did not answer"):
        production(tmp_path, **{key: dead_redis()})


def test_a_redis_that_answers_is_accepted(tmp_path):
    require_redis()
    app = production(tmp_path, REDIS_URL=REDIS_URL, RATELIMIT_STORAGE_URI=REDIS_URL)
    assert app.config["REDIS_URL"] == REDIS_URL


def test_a_blob_folder_that_takes_no_file_is_refused(tmp_path):
    (tmp_path / "plain-file").write_text("not a folder")
    with pytest.raises(RuntimeError, match="storage"):
        production(tmp_path, STORAGE_DIR=str(tmp_path / "plain-file" / "blobs"))


def test_outside_production_the_same_settings_start(tmp_path):
    app = create_app({"ENV_NAME": "testing", "DEBUG": True, "SITE_URL": "http://example.org",
                      "REDIS_URL": dead_redis(), "INSTANCE_PATH": str(tmp_path),
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'forum.db'}"})
    assert app.debug
