"""The bench's verdict over several rounds: each page reports its median round, not its best."""

from __future__ import annotations

from bench.report import memory_line, table
from bench.runner import median_of_rounds


def _round(rps: float, hello: float, rss_before: int = 100_000, rss_after: int = 100_000):
    return {"key": "group", "label": "Group page", "path": "/g/x", "status": "ok",
            "kind": "page", "method": "GET", "rps": rps, "hello_rps_beside": hello,
            "p50_ms": 20.0, "p99_ms": 30.0, "cpu_ms_per_request": 4.0, "queries": 2,
            "memory": {"peak_kb": 60_000, "rss_before_kb": rss_before,
                       "rss_after_kb": rss_after, "growth_kb": rss_after - rss_before}}


def test_a_page_reports_its_median_round_and_shows_the_spread():
    # 9%, 12% and 10.5% of the hello beside each round: the verdict is 10.5%, not 12%.
    rounds = [_round(270, 3000), _round(360, 3000), _round(294, 2800)]
    page = median_of_rounds(rounds)
    assert (page["rps"], page["hello_rps_beside"]) == (294, 2800)
    assert [round(r["ratio"], 3) for r in page["rounds"]] == [0.09, 0.12, 0.105]
    run = {"ceilings": {}, "pages": [page]}
    row = next(line for line in table(run).splitlines() if line.startswith("| Group page"))
    assert "| 10.5% |" in row and "median of 3 rounds (9.0%, 10.5%, 12.0%)" in row
    assert "below the 10% target" not in row


def test_a_failed_round_is_left_out_and_an_all_failed_page_keeps_its_failure():
    failed = {"key": "group", "label": "Group page", "status": "failed: timeout"}
    assert median_of_rounds([failed, _round(300, 3000)])["rps"] == 300
    assert median_of_rounds([failed])["status"] == "failed: timeout"


def test_memory_over_the_run_is_read_in_the_order_the_rounds_ran():
    first, last = _round(300, 3000, 100_000, 101_000), _round(300, 3000, 101_000, 110_000)
    run = {"pages": [median_of_rounds([first, last])],
           "page_runs": [{"memory": first["memory"]}, {"memory": last["memory"]}]}
    assert "97.7 MB after the first warm-up, 107.4 MB at the end" in memory_line(run)
