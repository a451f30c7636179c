"""Test helpers: forms with CSRF, signing in, and a real SMTP server."""

from __future__ import annotations

import os
import re
import socket
from email import message_from_bytes, policy

import pytest
import redis
from aiosmtpd.controller import Controller

DEFAULT_PASSWORD = "correct horse battery staple"
_CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
_CSRF_INPUT = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|'
                         r'name="csrf_token" value="([^"]+)"')


def csrf_token(client, url: str = "/") -> str:
    """The session's CSRF token as a page gives it: a member's page in its meta tag, a form in
    its hidden field. A visitor's page without a form carries none (it sets no cookie), so a
    visitor's token then comes from the sign-in form, as a browser's would."""
    html = client.get(url).get_data(as_text=True)
    match = _CSRF_META.search(html) or _CSRF_INPUT.search(html)
    if not match and url != "/auth/login":
        return csrf_token(client, "/auth/login")
    assert match, f"no CSRF token on {url}"
    return next(group for group in match.groups() if group)


def post(client, url: str, data: dict | None = None, *, token_from: str = "/",
         follow: bool = False, **kwargs):
    """POST a form as a browser would: with the CSRF token of the session."""
    data = dict(data or {})
    data.setdefault("csrf_token", csrf_token(client, token_from))
    return client.post(url, data=data, follow_redirects=follow, **kwargs)


def answer(response) -> int | str:
    """What a role got, as the permission matrices write it: "login" for a redirect to the
    sign-in page, else the status code."""
    location = response.headers.get("Location", "")
    if response.status_code in (302, 303) and "/auth/login" in location:
        return "login"
    return response.status_code


def walk_gets(client, urls: dict) -> dict:
    """GET every address (label → url) with one signed-in client: label → ``answer``. A GET
    never writes, so one world and one sign-in serve a role's whole row of a matrix."""
    return {label: answer(client.get(url)) for label, url in urls.items()}


def login(client, user, password: str = DEFAULT_PASSWORD, *, remember: bool = False):
    response = post(client, "/auth/login", {
        "email": user.email, "password": password, "remember": "y" if remember else "",
    }, token_from="/auth/login")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return response


def logout(client):
    return post(client, "/auth/logout")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpSink:
    """A real SMTP server (aiosmtpd) on loopback that keeps what it receives."""

    host = "127.0.0.1"

    def __init__(self) -> None:
        self.messages = []
        self.raw = []  # each message's bytes as they arrived (headers exactly as sent)
        self.recipients = []  # each message's envelope recipients (RCPT TO), in order
        self.peers = []  # each message's client address and port: its SMTP connection
        self.senders = []  # each message's envelope sender (MAIL FROM)
        self.refuse: set[str] = set()  # addresses answered "550 5.1.1" at RCPT, as a relay would
        self.app = None
        self.port = _free_port()
        self._controller = Controller(self, hostname=self.host, port=self.port)

    def start(self) -> None:
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refuse:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        msg = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append(msg)
        self.senders.append(envelope.mail_from)
        self.raw.append(envelope.content)
        self.recipients.append(list(envelope.rcpt_tos))
        self.peers.append(session.peer)
        return "250 OK"

    def deliver(self):
        """Run the outbox worker once and return every message received so far."""
        from forum.mail import deliver_pending

        deliver_pending()
        return self.messages

    def to(self, address: str):
        return [m for m in self.messages if address.lower() in m["To"].lower()]

    @staticmethod
    def text(msg) -> str:
        return msg.get_body(("plain",)).get_content()


# The suite's Redis (a real server; .ci/run starts one). Tests put their keys under a prefix of
# their own and remove them.
REDIS_URL = os.environ.get("FORUM_TEST_REDIS_URL") or "redis://127.0.0.1:6379/15"


def require_redis() -> redis.Redis:
    """A client of the suite's Redis, or the test fails (CI, FORUM_REQUIRE_REDIS=1: a skipped
    Redis test would check nothing) or is skipped (a laptop without Redis)."""
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except (redis.RedisError, OSError) as exc:
        message = f"Redis is not reachable at {REDIS_URL}: {exc}"
        if os.environ.get("FORUM_REQUIRE_REDIS") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return client
