"""CSV exports of applications and the roster (``forum.csv_export`` makes the cells safe to
open in a spreadsheet)."""

from __future__ import annotations

from forum.csv_export import csv_text
from forum.volunteering.models import Application


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
    return csv_text(header, rows)


def roster_csv(applications: list[Application]) -> str:
    header = ["group", "opportunity", "role_title", "name", "username", "email", "term_starts_on",
              "term_ends_on", "accepted_at"]
    rows = [[a.opportunity.group.name, a.opportunity.title, a.opportunity.role_title,
             a.user.display_name, a.user.username, a.user.email,
             a.opportunity.term_starts_on.isoformat(),
             a.opportunity.term_ends_on.isoformat() if a.opportunity.term_ends_on else "",
             a.decided_at.isoformat() if a.decided_at else ""] for a in applications]
    return csv_text(header, rows)
