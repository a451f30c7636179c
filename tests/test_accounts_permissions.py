"""Every account route × every role → the expected status."""

from __future__ import annotations

import pytest

from tests.world import ROLES, sign_in_as

SIGNED_IN = set(ROLES) - {"anonymous"}
PRIVATE_PAGES = ["/auth/settings", "/auth/settings/profile", "/auth/settings/password",
                 "/auth/settings/email", "/auth/sessions"]


def expected(url: str, role: str) -> int:
    if url in ("/auth/login", "/auth/register"):
        return 200 if role == "anonymous" else 302
    if url in ("/auth/forgot-password", "/auth/forgot-password/sent",
               "/auth/register/check-email", "/members/member", "/members/leader"):
        return 200
    if url in PRIVATE_PAGES:
        return 200 if role in SIGNED_IN else 302
    if url == "/members/unverified":
        return 200 if role in ("unverified", "site_admin") else 404
    if url == "/members/no-such-member":
        return 404
    raise AssertionError(url)


URLS = ["/auth/login", "/auth/register", "/auth/forgot-password", "/auth/forgot-password/sent",
        "/auth/register/check-email", "/members/member", "/members/leader",
        "/members/unverified", "/members/no-such-member", *PRIVATE_PAGES]


@pytest.mark.parametrize("role", ROLES)
def test_account_pages_answer_each_role_as_expected(client, world, role):
    sign_in_as(client, world, role)
    got = {url: client.get(url).status_code for url in URLS}
    assert got == {url: expected(url, role) for url in URLS}


@pytest.mark.parametrize("role", ROLES)
def test_post_only_account_actions_refuse_get(client, world, role):
    sign_in_as(client, world, role)
    for url in ("/auth/logout", "/auth/resend-verification", "/auth/sessions/end-all",
                "/auth/sessions/1/end"):
        assert client.get(url).status_code == 405
