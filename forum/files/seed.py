"""Demo library content: folders and a few realistic files, generated in code.

Project Management gets "Agendas", "Minutes" and "Slides", an agenda PDF, a chart, an
attendance sheet and minutes with two versions; two other groups get a file each.
"""

from __future__ import annotations

import io

from werkzeug.datastructures import FileStorage

from forum.files import services
from forum.files.demo_content import make_attendance_csv, make_pdf, make_png
from forum.files.folders import ensure_folder

MEETINGS = ["Jan 9", "Feb 13", "Mar 12", "Apr 9"]
PEOPLE = ["Priya Raman", "Marcus Bell", "Lena Novak", "Mei Chen", "Diego Alvarez",
          "Aisha Okafor", "Samir Haddad"]
MINUTES_V1 = """# Project Management IG — March meeting minutes (draft)

Present: Priya (chair), Marcus, Lena, Mei, Diego.

1. Interest Group Week session: Marcus to confirm the speakers by March 20.
2. Survey of members' project tools: Lena drafts the questions.
"""
MINUTES_V2 = MINUTES_V1.replace("(draft)", "(approved April 9)") + \
    "3. Correction: the survey closes on May 1, not April 30.\n"


def _store(group, user, data: bytes, name: str, title: str, description: str, folder):
    upload = FileStorage(stream=io.BytesIO(data), filename=name)
    with services.received([upload]) as files:
        (f,) = services.store_new_files(group, files, user, title=title,
                                        description=description, folder=folder)
    return f


def _new_version(f, user, data: bytes, name: str):
    with services.received([FileStorage(stream=io.BytesIO(data), filename=name)]) as files:
        services.add_version(f, files[0], user)


def seed(ctx: dict) -> None:
    groups, users = ctx.get("groups", {}), ctx.get("users", {})
    pm = groups.get("project-management")
    priya, marcus = users.get("priya"), users.get("marcus")
    if pm is not None and priya is not None and marcus is not None:
        _seed_project_management(pm, priya, marcus)
    leadership, sarah = groups.get("library-leadership"), users.get("sarah")
    if leadership is not None and sarah is not None:
        _store(leadership, sarah,
               make_attendance_csv(["Sep", "Oct", "Nov"], ["Sarah", "James", "Ruth", "Oliver"]),
               "board-attendance-2024.csv", "Board meeting attendance 2024",
               "Who came to which board meeting this year.", None)
    nominating = groups.get("nominating-committee")
    if nominating is not None and sarah is not None:
        _store(nominating, sarah,
               make_pdf("Slate of candidates (confidential)",
                        ["Chair-elect: to be confirmed", "Secretary: two candidates"]),
               "slate-2025.pdf", "Draft slate of candidates",
               "Confidential to the committee.", ensure_folder(nominating, "Deliberations"))


def _seed_project_management(pm, priya, marcus) -> None:
    agendas = ensure_folder(pm, "Agendas")
    minutes = ensure_folder(pm, "Minutes")
    slides = ensure_folder(pm, "Slides")
    _store(pm, priya, make_pdf("Project Management IG: March meeting agenda", [
        "1. Welcome and introductions (5 min)", "2. Interest Group Week session plan",
        "3. Member survey on project tools", "4. Any other business",
    ]), "agenda-march.pdf", "March meeting agenda", "Agenda for the March 12 call.", agendas)
    _store(pm, marcus, make_png(320, 180), "survey-chart.png", "Survey results chart",
           "Which project tools members use (preliminary).", slides)
    _store(pm, priya, make_attendance_csv(MEETINGS, PEOPLE), "attendance-2024.csv",
           "Meeting attendance 2024", "Attendance at this year's calls.", minutes)
    march = _store(pm, marcus, MINUTES_V1.encode(), "minutes-march.md", "March meeting minutes",
                   "Minutes of the March 12 call.", minutes)
    _new_version(march, priya, MINUTES_V2.encode(), "minutes-march-approved.md")
