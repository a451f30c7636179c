"""Is worker memory flat? After the measured pages, load every GET page again, round after round,
and read both workers' RSS after each round.

One page's 10-second run cannot tell a leak from the allocator keeping the high-water mark of
the biggest page it has built. Rounds over the same mix can: the first rounds may still grow
(caches fill, arenas reach their size); a leak keeps growing in every later round, a warm
worker does not. So the first half of the rounds is warm-up, and growth is counted over the
second half.
"""

from __future__ import annotations

from bench.runner import Settings, run_wrk
from bench.server import Server

# Growth of both workers together over the second half of the rounds below which we call
# memory flat: less than one big page's worth, not a trend.
FLAT_KB = 1024


def soak(server: Server, pages: list[dict], settings: Settings, cookie: str,
         rounds: int, seconds: int) -> dict:
    """``pages``: measured results ({"path", "signed_in"}); returns RSS per round in KB."""
    targets = [(p["path"], cookie if p.get("signed_in") else "") for p in pages]
    series = []
    for _ in range(rounds):
        for path, page_cookie in targets:
            run_wrk(server.base + path, seconds, settings, {"BENCH_COOKIE": page_cookie})
        series.append(sum(m["rss_kb"] for m in server.memory().values()))
    warm = len(series) // 2  # rounds counted as warm-up
    growth = series[-1] - series[warm - 1] if warm >= 1 else None
    return {"rounds": rounds, "seconds_per_page": seconds, "pages": len(targets),
            "rss_kb_after_round": series, "warmup_rounds": warm,
            "growth_after_warmup_kb": growth,
            "flat": growth is not None and growth < FLAT_KB}


def soak_line(result: dict | None) -> str:
    if not result or not result.get("rss_kb_after_round"):
        return ""
    mbs = ", ".join(f"{kb / 1024:.1f}" for kb in result["rss_kb_after_round"])
    growth = result.get("growth_after_warmup_kb", result.get("growth_after_round_1_kb"))
    warm = result.get("warmup_rounds", 1)
    verdict = ("flat" if result["flat"] else "**still growing**") if growth is not None else "–"
    return (f"Memory soak: {result['rounds']} rounds over the {result['pages']} GET pages, "
            f"{result['seconds_per_page']} s each; both workers' RSS after each round: {mbs} MB; "
            f"after the {warm} warm-up round{'s' if warm != 1 else ''}: "
            f"{growth / 1024 if growth is not None else 0:+.1f} MB ({verdict}).")
