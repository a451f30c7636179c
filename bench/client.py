"""One request at a time with urllib: probing pages, following the permalink, signing in."""

from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

# A member's page has the token in a meta tag; a visitor's only in a form's hidden field.
CSRF_TOKEN = re.compile(r'<meta name="csrf-token" content="([^"]+)"|'
                        r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: str
    set_cookies: list[str] = field(default_factory=list)

    @property
    def query_count(self) -> int | None:
        value = self.headers.get("x-query-count")
        return int(value) if value and value.isdigit() else None


def fetch(url: str, *, cookie: str = "", data: dict | None = None) -> Response:
    """GET (or POST ``data``) without following redirects; errors come back as responses."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body)
    if cookie:
        request.add_header("Cookie", cookie)
    try:
        with _opener.open(request, timeout=60) as raw:
            return _response(raw.status, raw.headers, raw.read())
    except urllib.error.HTTPError as err:
        return _response(err.code, err.headers, err.read())


def _response(status, headers, raw: bytes) -> Response:
    return Response(status, {k.lower(): v for k, v in headers.items()},
                    raw.decode("utf-8", "replace"), headers.get_all("Set-Cookie") or [])


class Session:
    """Cookies kept by hand: production marks them Secure, and the bench speaks plain HTTP."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies: dict[str, str] = {}

    @property
    def cookie(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def request(self, path: str, data: dict | None = None) -> Response:
        response = fetch(self.base + path, cookie=self.cookie, data=data)
        for header in response.set_cookies:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response

    def csrf_token(self, path: str) -> str:
        match = CSRF_TOKEN.search(self.request(path).body)
        if not match:
            raise RuntimeError(f"no CSRF token on {path}")
        return match.group(1) or match.group(2)

    def login(self, email: str, password: str) -> None:
        token = self.csrf_token("/auth/login")
        response = self.request("/auth/login", {"csrf_token": token, "email": email,
                                                "password": password, "next": ""})
        if response.status != 302:
            raise RuntimeError(f"signing in as {email} failed with status {response.status}")
        # Land where the browser lands: signing in starts a new session, and its first page
        # adds the session's CSRF secret (and shows the welcome flash). Without this step the
        # cookie wrk sends would lack the secret, and every request would make one anew and
        # answer with a Set-Cookie, which no browser's second request does.
        landing = urllib.parse.urlsplit(response.headers.get("location") or "/")
        self.request(landing.path or "/")


def redirect_target(url: str) -> tuple[int, str | None]:
    """(status, path of the Location without its fragment) — for /p/<id> permalinks."""
    response = fetch(url)
    location = response.headers.get("location")
    if response.status not in (301, 302, 303, 307, 308) or not location:
        return response.status, None
    parts = urllib.parse.urlsplit(location)
    return response.status, parts.path + (f"?{parts.query}" if parts.query else "")
