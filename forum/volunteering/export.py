"""CSV exports of applications and the roster, safe to open in a spreadsheet.

A cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be run as a
formula by Excel or LibreOffice (CSV injection): such cells get a leading apostrophe.
"""

from __future__ import annotations

import csv
import io

from forum.volunteering.models import Application

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def to_csv(header: list[str], rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return out.getvalue()


def applications_csv(applications: list[Application], profiles: dict) -> str:
    header = ["application_id", "opportunity", "group", "role_title", "name", "username",
              "email", "status", "rank", "submitted_at", "statement", "interests", "skills",
              "availability", "decision_message"]
    rows = []
    for a in applications:
        p = profiles.get(a.user_id)
        rows.append([
            a.id, a.opportunity.title, a.opportunity.group.name, a.opportunity.role_title,
            a.user.display_name, a.user.username, a.user.email, a.status.value, a.rank or "",
            a.created_at.isoformat(), a.statement, p.interests if p else "",
            p.skills if p else "", p.availability if p else "", a.decision_message,
        ])
    return to_csv(header, rows)


def roster_csv(applications: list[Application]) -> str:
    header = ["group", "opportunity", "role_title", "name", "username", "email", "term_starts_on",
              "term_ends_on", "accepted_at"]
    rows = [[a.opportunity.group.name, a.opportunity.title, a.opportunity.role_title,
             a.user.display_name, a.user.username, a.user.email,
             a.opportunity.term_starts_on.isoformat(),
             a.opportunity.term_ends_on.isoformat() if a.opportunity.term_ends_on else "",
             a.decided_at.isoformat() if a.decided_at else ""] for a in applications]
    return to_csv(header, rows)
