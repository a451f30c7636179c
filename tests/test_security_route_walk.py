"""Every rule in the URL map, fed bad values, never answers 5xx.

The walker reads ``app.url_map`` itself, so a route added tomorrow is walked tomorrow. For each
rule it puts each bad value in one argument at a time (the others valid, so the value reaches
the view rather than a 404 on the group), sends bad page numbers and ids in the query string,
and POSTs forms (with a valid CSRF token) whose every field — those the page's form shows and
the numbers views read by name — holds the bad value. It does this as a visitor, a member and
a site admin (who reaches the staff pages), on SQLite and PostgreSQL. The first run found 500s
on both databases: a 20-digit id in the URL (PostgreSQL ``integer`` is 32-bit; SQLite's 64-bit
overflowed at 20 digits), ``?page=`` past 2**63 or negative (OFFSET), NUL in a path segment
(PostgreSQL refuses NUL in text).
"""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import quote, unquote

import pytest
from flask import got_request_exception
from werkzeug.exceptions import HTTPException

from forum.extensions import db
from tests.factories_discussions import make_reply, make_thread
from tests.factories_files import make_file, make_folder
from tests.factories_volunteering import make_application, make_cycle, make_opportunity
from tests.helpers import csrf_token, login
from tests.world import build_world

BAD = ("99999999999999999999", "-1", "0", "abc", "\x00", "x" * 5000, "Zoë 名前 🙂 ²")
QUERIES = ("page=99999999999999999999", "page=-5", "page=%00", "page=abc")
# Query and form names views read as numbers or keys (a page's own form fields are added).
NAMES = ("page", "per_page", "folder", "quote", "reply_to", "parent_id", "up_to", "after",
         "target_id", "group_id", "section_id", "cycle_id", "rank", "openings", "max_choices",
         "opportunity", "application_id", "status", "sort", "dir", "view", "order", "kind", "q",
         "interest", "action", "actor", "since", "until", "next", "duration", "username")
EVERY_NAME = "&".join(f"{n}=99999999999999999999" for n in NAMES)
_FIELD = re.compile(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"')


@pytest.fixture
def app_overrides():
    # A 500 must come back as a response the walker can count, not an exception in the test.
    return {"PROPAGATE_EXCEPTIONS": False, "MODERATION_POSTS_PER_HOUR": 100_000,
            "MODERATION_NEW_ACCOUNT_POSTS_PER_HOUR": 100_000}


def _valid_values(w) -> dict:
    """A real object for each argument name the routes use; unknown names get 1 or "x"."""
    thread = make_thread(group=w.group, author=w.leader)
    reply = make_reply(thread=thread, author=w.group_member)
    file = make_file(group=w.group, uploader=w.leader)
    opportunity = make_opportunity(group=w.group, cycle=make_cycle(section=w.section))
    application = make_application(opportunity=opportunity, user=w.group_member, rank=1)
    db.session.commit()
    return {
        "slug": w.group.slug, "thread_id": thread.id, "post_id": reply.id, "file_id": file.id,
        "number": 1, "folder_id": make_folder(group=w.group).id, "user_id": w.group_member.id,
        "username": w.group_member.username, "opportunity_id": opportunity.id,
        "application_id": application.id, "group_id": w.group.id,
    }


_ARG = re.compile(r"<(?:(\w+)(?:\(([^)]*)\))?:)?(\w+)>")  # <converter(args):name>


def _build(rule, values: dict) -> str:
    return _ARG.sub(lambda m: quote(str(values[m.group(3)]), safe=""), rule.rule)


def _fill(rule, valid: dict) -> dict:
    """Valid values for the rule's arguments: real objects by name, a word an ``any`` accepts."""
    values = {}
    for converter, args, name in _ARG.findall(rule.rule):
        if converter == "any":
            values[name] = args.split(",")[0].strip()
        else:
            values[name] = valid.get(name, 1 if converter == "int" else "x")
    return values


def _bad_urls(rule, good: dict) -> list[str]:
    """Each bad value in one argument at a time (not an ``any``: it only matches its words)."""
    return [_build(rule, {**good, name: bad})
            for converter, _args, name in _ARG.findall(rule.rule) if converter != "any"
            for bad in BAD] or [_build(rule, good)]


class Walk:
    def __init__(self, app, client, user):
        self.app, self.client, self.user = app, client, user
        self.failures: list[str] = []
        self.errors: list[str] = []
        self.count = 0
        self.statuses: Counter[int] = Counter()
        self._token = None
        self.adapter = app.url_map.bind("localhost")

    def send(self, method: str, url: str, data: dict | None = None, **kwargs):
        if self.user is not None and not self.routed(method, url):
            return None  # the URL map refuses it before any view: the visitor's walk sent it
        self.count += 1
        response = self.client.open(url, method=method, data=data, **kwargs)
        self.statuses[response.status_code] += 1
        if response.status_code >= 500:
            shown = url if len(url) < 200 else url[:120] + f"…({len(url)} chars)"
            form = {k: (v[:20] + "…" if len(v) > 20 else v) for k, v in (data or {}).items()}
            cause = self.errors[-1] if self.errors else ""
            self.failures.append(f"{method} {shown} {form or ''} -> {response.status_code} "
                                 f"{cause}")
        self.errors.clear()
        return response

    def routed(self, method: str, url: str) -> bool:
        try:
            self.adapter.match(unquote(url.partition("?")[0]), method=method)
        except HTTPException:
            return False
        return True

    def token(self) -> str:
        """The CSRF token, signing in again first if a POST signed the walker out (sign-out,
        ending sessions)."""
        if self.user is not None:
            with self.client.session_transaction() as session:
                signed_in = "_user_id" in session
            if not signed_in or self._token is None:
                login(self.client, self.user)
                self._token = csrf_token(self.client, "/auth/settings")
        elif self._token is None:
            self._token = csrf_token(self.client, "/auth/login")
        return self._token


def _walk(app, client, user, valid: dict) -> Walk:
    walk = Walk(app, client, user)
    walk.token()  # signs in

    def record(sender, exception, **extra):
        walk.errors.append(f"{type(exception).__name__}: {str(exception)[:200]}")

    got_request_exception.connect(record, app)
    rules = [r for r in app.url_map.iter_rules() if r.endpoint != "static"]
    posts = []
    for rule in rules:
        good = _fill(rule, valid)
        urls = _bad_urls(rule, good)
        valid_url = _build(rule, good)
        if "GET" in rule.methods:
            for url in urls:
                walk.send("GET", url)
            for query in (*QUERIES, EVERY_NAME):
                walk.send("GET", f"{valid_url}?{query}")
            walk.send("HEAD", f"{valid_url}?{QUERIES[0]}")
            page = walk.send("GET", valid_url)
            fields = set(_FIELD.findall(page.get_data(as_text=True))) if page else set()
        else:
            fields = set()
        if "POST" in rule.methods:
            posts.append((rule, urls, valid_url, fields))
    for _rule, urls, valid_url, fields in posts:
        names = (fields | set(NAMES)) - {"csrf_token"}
        for url in urls:
            walk.send("POST", url, {"csrf_token": walk.token()})
        for bad in BAD:
            walk.send("POST", valid_url, {"csrf_token": walk.token(), **{n: bad for n in names}})
        walk.send("POST", valid_url, json={n: "\x00" for n in names},
                  headers={"X-CSRFToken": walk.token()})
    got_request_exception.disconnect(record, app)
    return walk


@pytest.mark.parametrize("role", ["anonymous", "member", "site_admin"])
def test_no_route_answers_5xx_to_bad_values(app, client, role):
    world = build_world()
    valid = _valid_values(world)
    walk = _walk(app, client, getattr(world, role), valid)

    assert walk.count > 800 and walk.statuses[200] > 60, walk.statuses  # it reached the pages
    assert not walk.failures, f"{len(walk.failures)} of {walk.count} requests answered 5xx:\n" \
        + "\n".join(walk.failures)
