"""CSV exports that are safe to open in a spreadsheet, and the response that carries them.

A cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a formula
by Excel and LibreOffice (CSV injection): such a cell gets a leading apostrophe, which the
spreadsheet shows as plain text. Every export names members (addresses, applications, moderation
reasons), so its response is ``private, no-store``: no cache keeps a copy.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

from flask import Response

from forum.security import mark_no_store

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A download's name goes into a header: anything but these becomes "-", so no quote, semicolon
# or line break can reach it.
_NOT_IN_FILENAME = re.compile(r"[^A-Za-z0-9._-]+")


def safe_cell(value: object) -> str:
    """The cell's text, with a leading apostrophe if a spreadsheet would run it."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_text(header: Sequence[str], rows: Iterable[Iterable[object]]) -> str:
    """A CSV document: the header line, then one line per row, every cell made safe."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe_cell(v) for v in header])
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return out.getvalue()


def csv_response(text: str, filename: str) -> Response:
    """``text`` (from ``csv_text``) as a download named ``filename``, never stored by a cache."""
    mark_no_store()
    name = _NOT_IN_FILENAME.sub("-", filename).strip(".-") or "export.csv"
    return Response(text, mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
