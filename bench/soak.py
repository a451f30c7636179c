"""Is worker memory flat? After the measured pages, load every GET page again, round after round,
and read both workers' RSS after each round.

One page's 10-second run cannot tell a leak from the allocator keeping the high-water mark of
the biggest page it has built. Rounds over the same mix can: the first round may still grow
(caches fill, arenas reach their size); a leak keeps growing in every later round, a warm
worker does not.
"""

from __future__ import annotations

from bench.runner import Settings, run_wrk
from bench.server import Server

# Growth of both workers together from the end of round 1 to the end of the last round,
# below which we call memory flat: a few pages of the biggest size, not a trend.
FLAT_KB = 2048


def soak(server: Server, pages: list[dict], settings: Settings, cookie: str,
         rounds: int, seconds: int) -> dict:
    """``pages``: measured results ({"path", "signed_in"}); returns RSS per round in KB."""
    targets = [(p["path"], cookie if p.get("signed_in") else "") for p in pages]
    series = []
    for _ in range(rounds):
        for path, page_cookie in targets:
            run_wrk(server.base + path, seconds, settings, {"BENCH_COOKIE": page_cookie})
        series.append(sum(m["rss_kb"] for m in server.memory().values()))
    growth = series[-1] - series[0] if len(series) > 1 else None
    return {"rounds": rounds, "seconds_per_page": seconds, "pages": len(targets),
            "rss_kb_after_round": series, "growth_after_round_1_kb": growth,
            "flat": growth is not None and growth < FLAT_KB}


def soak_line(result: dict | None) -> str:
    if not result or not result.get("rss_kb_after_round"):
        return ""
    mbs = ", ".join(f"{kb / 1024:.1f}" for kb in result["rss_kb_after_round"])
    growth = result["growth_after_round_1_kb"]
    verdict = ("flat" if result["flat"] else "**still growing**") if growth is not None else "–"
    return (f"Memory soak: {result['rounds']} rounds over the {result['pages']} GET pages, "
            f"{result['seconds_per_page']} s each; both workers' RSS after each round: {mbs} MB; "
            f"after round 1: {growth / 1024 if growth is not None else 0:+.1f} MB ({verdict}).")
