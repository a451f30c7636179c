"""Throttling with Redis as the shared store (as in production, where workers share counts)."""

from __future__ import annotations

import uuid

import pytest
import redis

from tests.factories import make_user
from tests.helpers import DEFAULT_PASSWORD, REDIS_URL, csrf_token, require_redis

PREFIX = f"test-auth-throttle-{uuid.uuid4().hex}"  # this run's keys, removed after each test


@pytest.fixture
def app_overrides():
    require_redis()
    return {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": REDIS_URL,
            "RATELIMIT_KEY_PREFIX": PREFIX,
            "LOGIN_LIMIT_PER_ACCOUNT": "2 per 15 minutes",
            "LOGIN_LIMIT_PER_ADDRESS": "1000 per 15 minutes"}


def test_account_throttle_is_kept_in_redis(app, client):
    user = make_user(username="redisuser", email=f"r-{uuid.uuid4().hex[:10]}@example.org")
    try:
        for _ in range(2):
            response = client.post("/auth/login", data={
                "email": user.email, "password": "wrong password!!",
                "csrf_token": csrf_token(client, "/auth/login")})
            assert response.status_code == 400
        keys = redis.Redis.from_url(REDIS_URL).keys(f"{PREFIX}:login-account*")
        assert keys, "the count should live in Redis"
        response = client.post("/auth/login", data={
            "email": user.email, "password": DEFAULT_PASSWORD,
            "csrf_token": csrf_token(client, "/auth/login")})
        assert response.status_code == 429
    finally:
        store = redis.Redis.from_url(REDIS_URL)
        store.delete(*store.keys(f"{PREFIX}:*") or ["-"])
