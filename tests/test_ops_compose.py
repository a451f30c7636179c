"""compose.yaml starts the production layout; this keeps it true to the app it starts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from forum import create_app
from forum.config import ProductionConfig

ROOT = Path(__file__).resolve().parent.parent
# Read by create_app from the environment itself; every other FORUM_<KEY> sets config KEY.
READ_DIRECTLY = {"FORUM_ENV", "FORUM_INSTANCE_PATH"}
# Read by forum/ops/gunicorn_conf.py and prometheus-client.
OTHER_NAMES = {"GUNICORN_BIND", "GUNICORN_WORKERS", "GUNICORN_TIMEOUT",
               "PROMETHEUS_MULTIPROC_DIR"}
FORUM_SERVICES = ("migrate", "app1", "app2", "worker1", "worker2")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def services(compose) -> dict:
    return compose["services"]


def config_names() -> set[str]:
    return {name for name in dir(ProductionConfig) if name.isupper()}


def test_the_layout_is_all_there(compose):
    s = services(compose)
    assert {"proxy", "app1", "app2", "worker1", "worker2", "postgres", "redis", "minio",
            "mailpit"} <= set(s)
    assert s["postgres"]["image"].startswith("postgres:")
    assert s["redis"]["image"].startswith("redis:")
    assert s["minio"]["image"].startswith("minio/minio")
    assert s["mailpit"]["image"].startswith("axllent/mailpit")
    for name in FORUM_SERVICES:
        assert s[name]["image"] == "forum:local" and "dockerfile_inline" in s[name]["build"]
    for name in ("app1", "app2"):
        assert s[name]["command"].startswith("gunicorn -c python:forum.ops.gunicorn_conf")
    for name in ("worker1", "worker2"):
        assert s[name]["command"] == "flask --app forum deliver --loop"
    assert s["migrate"]["command"] == "flask --app forum db upgrade"
    assert "--to app1:8000 --to app2:8000" in s["proxy"]["command"]


def test_app_healthchecks_ask_readyz_and_the_proxy_waits_for_them(compose):
    s = services(compose)
    for name in ("app1", "app2"):
        check = " ".join(s[name]["healthcheck"]["test"])
        assert "http://127.0.0.1:8000/readyz" in check
        assert s["proxy"]["depends_on"][name]["condition"] == "service_healthy"
    for name in ("postgres", "redis", "minio"):
        assert s[name]["healthcheck"]["test"]


def test_every_environment_name_is_one_the_app_reads(compose):
    names = config_names()
    for name in FORUM_SERVICES:
        for key in services(compose)[name]["environment"]:
            if key in READ_DIRECTLY or key in OTHER_NAMES:
                continue
            assert key.startswith("FORUM_"), f"{name}: {key}"
            assert key.removeprefix("FORUM_") in names, f"{name}: {key} sets no setting"


def test_services_point_at_each_other_by_their_names(compose):
    s = services(compose)
    env = s["app1"]["environment"]
    assert "@postgres:5432/" in env["FORUM_SQLALCHEMY_DATABASE_URI"]
    assert env["FORUM_REDIS_URL"].startswith("redis://redis:6379/")
    assert env["FORUM_RATELIMIT_STORAGE_URI"].startswith("redis://redis:6379/")
    assert env["FORUM_REDIS_URL"] != env["FORUM_RATELIMIT_STORAGE_URI"]
    assert env["FORUM_MAIL_SERVER"] == "mailpit"
    assert env["FORUM_ENV"] == "production"
    for name in FORUM_SERVICES:
        other = s[name]["environment"]
        for key in ("FORUM_SQLALCHEMY_DATABASE_URI", "FORUM_REDIS_URL", "FORUM_SECRET_KEY",
                    "FORUM_RATELIMIT_STORAGE_URI", "FORUM_STORAGE_BACKEND", "FORUM_S3_BUCKET"):
            assert other[key] == env[key], f"{name} disagrees on {key}"
    assert env["FORUM_STORAGE_BACKEND"] == "s3"
    assert env["FORUM_S3_ENDPOINT_URL"] == "http://minio:9000"
    assert f"/{env['FORUM_S3_BUCKET']}" in " ".join(s["minio-setup"]["command"])
    minio = s["minio"]["environment"]
    assert (env["FORUM_S3_ACCESS_KEY_ID"], env["FORUM_S3_SECRET_ACCESS_KEY"]) == (
        minio["MINIO_ROOT_USER"], minio["MINIO_ROOT_PASSWORD"])
    for name in FORUM_SERVICES:
        assert s[name]["depends_on"]["minio-setup"]["condition"] == \
            "service_completed_successfully"
    user = s["postgres"]["environment"]["POSTGRES_USER"]
    assert f"://{user}:" in env["FORUM_SQLALCHEMY_DATABASE_URI"]


def test_the_environment_parses_into_the_settings_it_means(compose, tmp_path, monkeypatch):
    """The app built from app1's environment (production's checks aside: there is no
    'postgres' or 'redis' host here) reads each value with the right type."""
    env = services(compose)["app1"]["environment"]
    for key, value in env.items():
        value = re.sub(r"\$\{FORUM_SECRET_KEY[^}]*\}", "s" * 48, str(value))
        value = re.sub(r"\$\{FORUM_METRICS_TOKEN[^}]*\}", "metrics-token", value)
        monkeypatch.setenv(key, value)
    assert env["FORUM_SECRET_KEY"].startswith("${FORUM_SECRET_KEY:?")  # required, no default
    app = create_app({"ENV_NAME": "testing", "INSTANCE_PATH": str(tmp_path)})
    config = app.config
    assert config["PROXY_FIX_X_FOR"] == 1 and config["MAIL_PORT"] == 1025
    assert config["SQLALCHEMY_ENGINE_OPTIONS"]["pool_pre_ping"] is True
    assert config["REDIS_URL"] == "redis://redis:6379/1"
    assert config["LOG_FORMAT"] == "json" and config["METRICS_TOKEN"] == "metrics-token"
    assert config["STORAGE_DIR"] == "/srv/forum/spool"
    assert config["STORAGE_BACKEND"] == "s3" and config["S3_ADDRESSING_STYLE"] == "path"
    # The site URL is plain http on localhost only: production's check accepts exactly that.
    assert config["SITE_URL"] == "http://localhost:8080"
