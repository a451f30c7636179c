"""The app served for real on loopback, for requests that must overlap in time.

The test client runs one request at a time on the calling thread; races need a threaded server
(werkzeug's, one thread per connection) and a crowd of clients released together. ``Browser``
keeps a session's cookies (sign in once, then fire many requests with that cookie) and speaks
plain HTTP/1.1 with ``http.client``: no redirects followed, so a test sees each answer.
"""

from __future__ import annotations

import http.client
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from http.cookies import SimpleCookie
from typing import NamedTuple
from urllib.parse import urlencode

from werkzeug.serving import make_server

from forum.extensions import db
from tests.helpers import _CSRF_INPUT, _CSRF_META


class Answer(NamedTuple):
    status: int
    headers: dict
    text: str


class LiveServer:
    def __init__(self, app) -> None:
        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self.port = self._server.server_port
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> LiveServer:
        db.session.commit()
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._thread.join(30)
        self._server.server_close()
        db.session.rollback()  # checks after the crowd read what it committed

    def browser(self) -> Browser:
        db.session.commit()  # what the test set up, before the browser asks for it
        return Browser(self.port)


class Browser:
    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self._lock = threading.Lock()  # a crowd shares one browser's cookies

    def open(self, method: str, path: str, body: bytes | None = None,
             content_type: str | None = None) -> Answer:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        with self._lock:
            headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if content_type:
            headers["Content-Type"] = content_type
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            conn.close()
        with self._lock:
            for value in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(value).items():
                    self.cookies[name] = morsel.value
        return Answer(response.status, dict(response.headers), text)

    def get(self, path: str) -> Answer:
        return self.open("GET", path)

    def token(self, path: str = "/auth/login") -> str:
        html = self.get(path).text
        match = _CSRF_META.search(html) or _CSRF_INPUT.search(html)
        assert match, f"no CSRF token on {path}"
        return next(group for group in match.groups() if group)

    def post(self, path: str, fields: dict, files: dict | None = None) -> Answer:
        """A form; ``files`` maps a field to ``(bytes, filename)`` (sent as multipart)."""
        if not files:
            return self.open("POST", path, urlencode(fields).encode(),
                             "application/x-www-form-urlencoded")
        boundary = uuid.uuid4().hex
        parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
                 .encode() for k, v in fields.items()]
        for name, (data, filename) in files.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                         f'filename="{filename}"\r\nContent-Type: application/octet-stream'
                         f'\r\n\r\n'.encode() + data + b"\r\n")
        return self.open("POST", path, b"".join(parts) + f"--{boundary}--\r\n".encode(),
                         f"multipart/form-data; boundary={boundary}")

    def sign_in(self, email: str, password: str) -> None:
        answer = self.post("/auth/login", {"email": email, "password": password,
                                           "csrf_token": self.token()})
        assert answer.status == 302, answer.text[:500]


def crowd(requests: list) -> list[Answer]:
    """Run every ``request`` (a callable giving an Answer) at once: one thread each, released
    together by a barrier, so they overlap on the server instead of queueing in the client."""
    # The test's own writes are committed first (an open SQLite writer would hold the lock every
    # request waits for), and its reads begin afresh after (a snapshot from before the crowd
    # would not see what it wrote).
    db.session.commit()
    gate = threading.Barrier(len(requests))

    def run(request):
        gate.wait(60)
        return request()

    with ThreadPoolExecutor(max_workers=len(requests)) as pool:
        answers = list(pool.map(run, requests))
    db.session.commit()
    return answers


def crowd_posts(browser, url: str, count: int, fields, files=None,
                token_from: str | None = None) -> list[Answer]:
    """``count`` signed-in POSTs of one form to ``url`` at once (``crowd``): ``fields(n)`` and
    ``files(n)`` give the n-th request's fields and files; the CSRF token comes from the form's
    page (``token_from``, else ``url``)."""
    token = browser.token(token_from or url)
    return crowd([
        (lambda n=n: browser.post(url, {**fields(n), "csrf_token": token},
                                  files(n) if files else None))
        for n in range(count)])


def tally(answers: list[Answer]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for a in answers:
        counts[a.status] = counts.get(a.status, 0) + 1
    return counts


def first(answers: list[Answer], status: int) -> Answer:
    return next(a for a in answers if a.status == status)

