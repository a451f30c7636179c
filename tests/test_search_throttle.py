"""Visitors' searches are rate-limited per address; members' are not."""

from __future__ import annotations

import pytest

from tests.helpers import login
from tests.test_search_bad_input import (
    get,
    thread,  # noqa: F401 - the fixture, by name
)


@pytest.fixture
def app_overrides():
    return {"RATELIMIT_ENABLED": True, "SEARCH_LIMIT_PER_ADDRESS": "3 per minute"}


@pytest.mark.usefixtures("thread")
def test_visitors_searches_are_rate_limited_members_are_not(client, world):
    for _ in range(3):
        assert get(client, q="misses").status_code == 200
    refused = get(client, q="misses")
    assert refused.status_code == 429 and refused.headers["Retry-After"]
    login(client, world.group_member)
    for _ in range(5):
        assert get(client, q="misses").status_code == 200
