"""Loading pages with wrk, one page at a time, with SQL counts and worker memory around it."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import urllib.parse
from dataclasses import dataclass

from bench import BENCH_DIR
from bench.client import Session, fetch, redirect_target
from bench.server import Server

WRK_SCRIPT = BENCH_DIR / "wrk.lua"


@dataclass(frozen=True)
class Settings:
    duration: int = 10  # seconds per page
    connections: int = 8
    threads: int = 2
    warmup: int = 2  # seconds of load before memory is read and the measured run starts


# Search (issue 25): one word in a tenth of the threads' titles, two words of one sentence of
# the bodies' pool, a rare word (a member's surname: people only) and a very common one (in
# titles and in the bodies of most posts). Never cached: every request searches.
SEARCH_PAGES = (
    {"key": "search_one", "label": "Search, one word", "path": "/search?q=onboarding"},
    {"key": "search_two", "label": "Search, two words", "path": "/search?q=mentoring+goals"},
    {"key": "search_rare", "label": "Search, a rare word", "path": "/search?q=kowalski"},
    {"key": "search_common", "label": "Search, a very common word", "path": "/search?q=budget"},
    {"key": "search_newest", "label": "Search, a very common word, newest first",
     "path": "/search?q=budget&sort=date"},
)


def forum_pages(info: dict) -> list[dict]:
    """The pages the issues name, for the seeded site described by ``info``: every read page
    as a visitor (served from the page cache after the first request) and signed in (from the
    member's own copy after the first request; rendered every time with
    ``--no-member-copies``), the last page of the 2,000-reply thread
    (``last_page_of``: its number is read off page 1's links), and the reply POST."""
    slug, big = info["group_slug"], info["big_thread_id"]
    read_pages = [
        {"key": "home", "label": "Section home", "path": "/"},
        {"key": "directory", "label": "Group directory", "path": "/groups"},
        {"key": "group", "label": "Group page", "path": f"/g/{slug}"},
        {"key": "thread_big", "label": "Thread of 2,000 replies, page 1",
         "path": f"/g/{slug}/t/{big}"},
        {"key": "thread_big_last", "label": "Thread of 2,000 replies, last page",
         "last_page_of": f"/g/{slug}/t/{big}"},
        {"key": "thread_deep", "label": "Thread of 2,000 replies, deep permalink page",
         "permalink": f"/p/{info['deep_post_id']}"},
        {"key": "thread_small", "label": "Thread of 20 replies",
         "path": f"/g/{slug}/t/{info['small_thread_id']}"},
        {"key": "profile", "label": "Member profile",
         "path": f"/members/{info['profile_username']}"},
        {"key": "files", "label": "File library", "path": f"/g/{slug}/files"},
        {"key": "calendar", "label": "Calendar, month grid", "path": "/events/"},
        {"key": "events", "label": "Upcoming events list", "path": "/events/list"},
        {"key": "event", "label": "Event page", "path": f"/events/{info['event_id']}"},
        {"key": "recordings", "label": "Recordings", "path": "/events/recordings"},
        {"key": "articles", "label": "Latest articles", "path": "/articles/"},
        {"key": "article", "label": "Article with 60 responses",
         "path": f"/articles/{info['article_slug']}"},
        *SEARCH_PAGES,
    ]
    signed_in = [{**page, "key": f"{page['key']}_member", "label": f"{page['label']}, signed in",
                  "signed_in": True} for page in read_pages]
    return read_pages + signed_in + [
        {"key": "reply", "label": "Post a reply (POST, signed in)", "method": "POST",
         "path": f"/g/{slug}/t/{info['write_thread_id']}/reply", "signed_in": True,
         "parent_id": info["write_parent_id"]},
    ]


_PAGE_LINK = re.compile(r'<span class="visually-hidden">Page </span>(\d+)</a>')


def last_page_path(base: str, path: str, cookie: str = "") -> str:
    """``path`` on its last page: the highest page number its pagination links to."""
    numbers = [int(n) for n in _PAGE_LINK.findall(fetch(base + path, cookie=cookie).body)]
    return f"{path}?page={max(numbers)}" if numbers else path


def run_wrk(url: str, seconds: int, settings: Settings, env: dict[str, str]) -> dict:
    if not url.startswith("http://127.0.0.1:"):
        raise ValueError("the bench only loads 127.0.0.1")
    cmd = [shutil.which("wrk") or "wrk", "-t", str(settings.threads),
           "-c", str(settings.connections), "-d", f"{seconds}s", "--timeout", "10s",
           "-s", str(WRK_SCRIPT), url]
    done = subprocess.run(cmd, env={**os.environ, **env}, capture_output=True, text=True,
                          timeout=seconds + 60, check=False)
    for line in done.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            raw = json.loads(line.removeprefix("BENCH_JSON "))
            seconds_run = raw["duration_us"] / 1e6
            errors = sum(raw[k] for k in ("connect_errors", "read_errors", "write_errors",
                                          "status_errors", "timeouts"))
            return {"requests": raw["requests"], "rps": round(raw["requests"] / seconds_run, 1),
                    "p50_ms": raw["p50_us"] / 1000, "p90_ms": raw["p90_us"] / 1000,
                    "p99_ms": raw["p99_us"] / 1000, "max_ms": raw["max_us"] / 1000,
                    "errors": errors, "status_errors": raw["status_errors"],
                    "kb_per_response": round(raw["bytes"] / max(raw["requests"], 1) / 1024, 1)}
    raise RuntimeError(f"wrk printed no result: {done.stdout[-500:]} {done.stderr[-500:]}")


def _load_average() -> float:
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def _memory_summary(before: dict, after: dict) -> dict:
    rss_before = sum(m["rss_kb"] for m in before.values())
    rss_after = sum(m["rss_kb"] for m in after.values())
    return {"peak_kb": max((m["hwm_kb"] for m in after.values()), default=0),
            "rss_before_kb": rss_before, "rss_after_kb": rss_after,
            "growth_kb": rss_after - rss_before}


def measure(server: Server, page: dict, settings: Settings, session: Session | None = None,
            beside: Server | None = None) -> dict:
    """Probe the page once (status, X-Query-Count), then warm up and load it with wrk. With
    ``beside`` (a hello server), load hello just before the page: ``hello_rps_beside``."""
    result = {"key": page["key"], "label": page["label"]}
    path = page.get("path")
    if "permalink" in page:
        status, path = redirect_target(server.base + page["permalink"])
        result["redirected_from"] = page["permalink"]
        if path is None:
            return {**result, "path": page["permalink"], "status": _status_name(status)}
    if "last_page_of" in page:
        path = last_page_path(server.base, page["last_page_of"])
    result["path"] = path
    if page.get("signed_in") and session is None:
        return {**result, "status": "skipped (not signed in)"}
    env = {"BENCH_COOKIE": session.cookie if session and page.get("signed_in") else ""}
    if page.get("method") == "POST":
        token = session.csrf_token(path.rsplit("/reply", 1)[0])
        fields = {"csrf_token": token, "parent_id": str(page.get("parent_id", "")),
                  "body": "Benchmark reply from wrk"}
        probe = session.request(path, fields)
        env["BENCH_COOKIE"] = session.cookie
        # The body field comes last: wrk.lua appends a running number to it.
        env["BENCH_BODY"] = urllib.parse.urlencode(fields)
    else:
        probe = fetch(server.base + path, cookie=env["BENCH_COOKIE"])
    result.update(http_status=probe.status, queries=probe.query_count)
    if probe.status >= 400:
        return {**result, "status": _status_name(probe.status)}
    run_wrk(server.base + path, settings.warmup, settings, env)
    if beside is not None:
        result["hello_rps_beside"] = run_wrk(beside.base + "/", settings.duration, settings,
                                             {"BENCH_COOKIE": ""})["rps"]
    before, load_before, cpu_before = server.memory(), _load_average(), server.cpu_seconds()
    result.update(run_wrk(server.base + path, settings.duration, settings, env))
    cpu = server.cpu_seconds() - cpu_before
    # CPU per request hardly depends on what else the machine runs, unlike req/s.
    result["cpu_ms_per_request"] = (round(1000 * cpu / result["requests"], 2)
                                    if result["requests"] else None)
    result["memory"] = _memory_summary(before, server.memory())
    result.update(status="ok", load_before=load_before, load_after=_load_average())
    return result


def _status_name(status: int) -> str:
    return "missing" if status == 404 else f"error {status}"


def median_of_rounds(results: list[dict]) -> dict:
    """One page's result over several rounds: the round whose ratio to the hello beside it is
    the median, with every round's figures under ``rounds``. On two shared cores whose speed
    drifts minute to minute, one round moves a ratio by a point or two; the median of three
    is the fairer verdict, and the spread is shown beside it."""
    measured = [r for r in results if r.get("status") == "ok" and r.get("hello_rps_beside")]
    if not measured:
        return results[-1]
    ordered = sorted(measured, key=lambda r: r["rps"] / r["hello_rps_beside"])
    chosen = dict(ordered[(len(ordered) - 1) // 2])  # the lower middle of an even count
    chosen["rounds"] = [{"rps": r["rps"], "hello_rps_beside": r["hello_rps_beside"],
                         "ratio": r["rps"] / r["hello_rps_beside"],
                         "p99_ms": r["p99_ms"], "cpu_ms_per_request": r["cpu_ms_per_request"]}
                        for r in measured]
    return chosen

