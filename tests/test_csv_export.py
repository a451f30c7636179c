"""Every CSV export goes through forum.csv_export: cells a spreadsheet would run are plain text."""

from __future__ import annotations

import csv
import io

from forum.csv_export import csv_response, csv_text


def test_cells_a_spreadsheet_would_run_as_formulas_open_as_text():
    text = csv_text(["name", "note"], [
        ["=HYPERLINK(\"http://evil.example\",\"click\")", "+1"],
        ["-2", "@SUM(A1)"],
        ["\tTAB", "\rCR"],
        ["Ana", None],
        [3, "a = b"],
    ])
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["name", "note"]
    assert rows[1] == ["'=HYPERLINK(\"http://evil.example\",\"click\")", "'+1"]
    assert rows[2] == ["'-2", "'@SUM(A1)"]
    assert rows[3] == ["'\tTAB", "'\rCR"]
    assert rows[4] == ["Ana", ""]  # None is an empty cell; plain text is left alone
    assert rows[5] == ["3", "a = b"]


def test_a_download_is_never_stored_and_its_name_cannot_break_the_header(app):
    with app.test_request_context("/"):
        response = app.process_response(csv_response("a\n", 'evil";\r\nX-Bad: 1.csv'))
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="evil-X-Bad-1.csv"'
    assert "no-store" in response.headers["Cache-Control"]
    assert "X-Bad" not in response.headers
