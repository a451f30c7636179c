"""Readiness: does each service this instance depends on answer right now?

``readiness(app)`` asks, in order, the database (``SELECT 1`` on a connection of its own),
every Redis the configuration names (``REDIS_URL`` for the page cache, a ``redis://``
``RATELIMIT_STORAGE_URI`` for the throttles; ``PING``) and the blob store (a file written
and removed in ``STORAGE_DIR``; for S3 the bucket's HEAD too). Each check answers "ok" or the
name of the error's class — never its message, which may carry a URL with a password. Used
by ``/readyz`` and by the production start-up checks (startup.py).
"""

from __future__ import annotations

import json
from typing import NamedTuple

import redis
from flask import Flask
from sqlalchemy import text

from forum.extensions import db
from forum.storage import storage_for

REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


class Check(NamedTuple):
    name: str
    ok: bool
    detail: str  # "ok", or the error's class name


def redis_urls(config) -> dict[str, str]:
    """The Redis servers the configuration uses, by what they are for."""
    urls = {}
    if config.get("REDIS_URL"):
        urls["redis_cache"] = str(config["REDIS_URL"])
    limits = str(config.get("RATELIMIT_STORAGE_URI") or "")
    if limits.startswith(REDIS_SCHEMES):
        urls["redis_ratelimit"] = limits
    return urls


def _outcome(name: str, probe) -> Check:
    try:
        probe()
    except Exception as exc:  # any failure is "not ready", reported by its kind
        return Check(name, False, type(exc).__name__)
    return Check(name, True, "ok")


def check_database() -> None:
    with db.engine.connect() as conn:
        conn.execute(text("SELECT 1")).scalar_one()


def check_redis(url: str, timeout: float) -> None:
    client = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
    try:
        if not client.ping():
            raise redis.ConnectionError("no PONG")
    finally:
        client.close()


def check_storage(app: Flask) -> None:
    """The blob store takes blobs: the folder takes a file (local), or the bucket answers and
    the spool folder takes a file (s3)."""
    storage_for(app).check_ready()


def readiness(app: Flask, *, database: bool = True) -> list[Check]:
    config = app.config
    timeout = float(config.get("READY_TIMEOUT_SECONDS") or 2.0)
    checks = []
    if database:
        checks.append(_outcome("database", check_database))
    for name, url in redis_urls(config).items():
        checks.append(_outcome(name, lambda url=url: check_redis(url, timeout)))
    checks.append(_outcome("storage", lambda: check_storage(app)))
    return checks


# --- the probes' answers (observe.py serves them before Flask runs) ----------------------------

def healthz(app: Flask, environ, start_response) -> list[bytes]:
    """``/healthz``: the process answers. Nothing else is asked, the database least of all."""
    return _answer(environ, start_response, 200, {"status": "ok"})


def readyz(app: Flask, environ, start_response) -> list[bytes]:
    """``/readyz``: 200 when every service answers, else 503 naming what failed."""
    with app.app_context():
        checks = readiness(app)
    failed = [c.name for c in checks if not c.ok]
    return _answer(environ, start_response, 503 if failed else 200, {
        "status": "unavailable" if failed else "ok", "failed": failed,
        "checks": {c.name: c.detail for c in checks}})


PROBES = {"/healthz": healthz, "/readyz": readyz}


def _answer(environ, start_response, status: int, body: dict) -> list[bytes]:
    data = json.dumps(body, sort_keys=True).encode() + b"\n"
    start_response("200 OK" if status == 200 else "503 Service Unavailable", [
        ("Content-Type", "application/json"), ("Content-Length", str(len(data))),
        ("Cache-Control", "no-store"), ("X-Content-Type-Options", "nosniff")])
    return [] if environ.get("REQUEST_METHOD") == "HEAD" else [data]
