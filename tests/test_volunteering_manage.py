"""Leaders and section admins create, edit, open and close opportunities; exports; renewals."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from sqlalchemy import func, select

from forum.db import utcnow
from forum.extensions import db
from forum.groups.models import Role
from forum.volunteering.models import (
    Opportunity,
    OpportunityQuestion,
    OpportunityStatus,
    QuestionKind,
    RecruitingCycle,
)
from tests.factories import appoint, make_user
from tests.factories_volunteering import make_application, make_opportunity, make_profile
from tests.helpers import login
from tests.helpers import post as _post


def post(client, url, data=None, **kwargs):
    return _post(client, url, data, token_from="/get-involved/", **kwargs)


def _form(group, **override):
    today = utcnow().date()
    data = {
        "group_id": str(group.id), "title": "Program Planning Committee member",
        "description": "Plan the **annual** programme.", "role": "editor",
        "role_title": "Member", "openings": "3",
        "term_starts_on": (today + timedelta(days=60)).isoformat(),
        "term_ends_on": (today + timedelta(days=425)).isoformat(),
        "time_commitment": "Monthly call", "deadline": (today + timedelta(days=20)).isoformat(),
        "cycle_id": "0",
        "questions-0-prompt": "Which programme areas interest you?",
        "questions-0-kind": "short_text", "questions-0-required": "y",
        "questions-1-prompt": "Preferred meeting time", "questions-1-kind": "single_choice",
        "questions-1-choices": "Mornings\nAfternoons",
        "questions-2-prompt": "", "questions-2-kind": "short_text",
    }
    data.update(override)
    return data


def test_leader_creates_a_draft_with_questions_and_opens_it(client, world):
    login(client, world.leader)
    assert client.get("/get-involved/manage/new").status_code == 200
    response = post(client, "/get-involved/manage/new", _form(world.group))
    assert response.status_code == 302, response.get_data(as_text=True)
    opp = db.session.scalar(select(Opportunity))
    assert opp.status == OpportunityStatus.DRAFT
    assert "<strong>annual</strong>" in opp.description_html
    assert [(q.prompt, q.kind, q.required) for q in opp.questions] == [
        ("Which programme areas interest you?", QuestionKind.SHORT_TEXT, True),
        ("Preferred meeting time", QuestionKind.SINGLE_CHOICE, False)]
    # Drafts are invisible to members until opened.
    other = app_client(client)
    login(other, world.member)
    assert other.get(f"/get-involved/o/{opp.id}").status_code == 404
    assert post(client, f"/get-involved/o/{opp.id}/open").status_code == 302
    assert db.session.get(Opportunity, opp.id).status == OpportunityStatus.OPEN
    assert other.get(f"/get-involved/o/{opp.id}").status_code == 200
    assert post(client, f"/get-involved/o/{opp.id}/close").status_code == 302
    assert db.session.get(Opportunity, opp.id).status == OpportunityStatus.CLOSED


def app_client(client):
    return client.application.test_client()


def test_a_leader_cannot_offer_leadership_but_a_section_admin_can(client, world):
    login(client, world.leader)
    response = post(client, "/get-involved/manage/new", _form(world.group, role="leader"))
    assert response.status_code == 400
    assert db.session.scalar(select(func.count(Opportunity.id))) == 0
    admin = app_client(client)
    login(admin, world.section_admin)
    response = post(admin, "/get-involved/manage/new", _form(
        world.group, role="leader", title="Lead the Change Management Interest Group",
        role_title="Convener"))
    assert response.status_code == 302
    assert db.session.scalar(select(Opportunity.role)) == Role.LEADER


def test_bad_opportunity_input_is_refused(client, world):
    login(client, world.leader)
    today = utcnow().date()
    for override in ({"title": "  "}, {"openings": "0"},
                     {"term_ends_on": today.isoformat(),
                      "term_starts_on": (today + timedelta(days=5)).isoformat()},
                     {"questions-1-choices": "Only one"}, {"role": "section_admin"},
                     {"group_id": str(world.other.id)}, {"cycle_id": "999"}):
        response = post(client, "/get-involved/manage/new", _form(world.group, **override))
        assert response.status_code == 400, override
        assert "{&#39;" not in response.get_data(as_text=True)  # sentences, not dicts
    response = post(client, "/get-involved/manage/new",
                    _form(world.group, **{"questions-0-kind": "essay"}))
    assert "Question 1, Answer type: Not a valid choice" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Opportunity.id))) == 0


def test_questions_are_locked_once_someone_applied(client, world):
    opp = make_opportunity(group=world.group, questions=[("Why?", "long_text", True)])
    make_application(opportunity=opp, user=world.member)
    login(client, world.leader)
    data = _form(world.group, title="Renamed", openings="4")
    response = post(client, f"/get-involved/o/{opp.id}/edit", data)
    assert response.status_code == 302
    fresh = db.session.get(Opportunity, opp.id)
    assert fresh.title == "Renamed" and fresh.openings == 4
    assert [q.prompt for q in fresh.questions] == ["Why?"]
    assert db.session.scalar(select(func.count(OpportunityQuestion.id))) == 1


def test_openings_cannot_drop_below_those_already_filled(client, world):
    opp = make_opportunity(group=world.group, openings=3, filled_count=2)
    login(client, world.leader)
    response = post(client, f"/get-involved/o/{opp.id}/edit", _form(world.group, openings="1"))
    assert response.status_code == 400
    assert db.session.get(Opportunity, opp.id).openings == 3


def test_only_the_groups_leaders_manage_its_opportunities(client, world):
    opp = make_opportunity(group=world.group, status=OpportunityStatus.DRAFT)
    login(client, world.moderator)
    assert post(client, f"/get-involved/o/{opp.id}/open").status_code == 404
    assert client.get(f"/get-involved/o/{opp.id}/edit").status_code == 404
    visible = make_opportunity(group=world.group)
    assert post(client, f"/get-involved/o/{visible.id}/close").status_code == 403
    assert db.session.get(Opportunity, visible.id).status == OpportunityStatus.OPEN


def test_section_admin_creates_a_recruiting_cycle(client, world):
    login(client, world.section_admin)
    response = post(client, "/get-involved/manage/cycles", {
        "section_id": str(world.section.id), "name": "2026 recruitment", "max_choices": "3"})
    assert response.status_code == 302
    assert db.session.scalar(select(RecruitingCycle.max_choices)) == 3
    response = post(client, "/get-involved/manage/cycles", {
        "section_id": str(world.other.section_id), "name": "Not mine", "max_choices": "3"})
    assert response.status_code == 400
    assert db.session.scalar(select(func.count(RecruitingCycle.id))) == 1


def test_applications_export_guards_against_formula_injection(client, world):
    opp = make_opportunity(group=world.group, title="Seat")
    evil = make_user(display_name="=HYPERLINK(\"http://evil\")")
    make_application(opportunity=opp, user=evil, statement="+SUM(A1:A9)")
    make_profile(user=evil, interests="@cmd")
    login(client, world.leader)
    response = client.get("/get-involved/review/applications.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0]["name"].startswith("'=") and rows[0]["statement"] == "'+SUM(A1:A9)"
    assert rows[0]["interests"] == "'@cmd"


def test_roster_lists_accepted_volunteers_of_my_groups_only(client, world):
    from forum.volunteering.models import ApplicationStatus

    opp = make_opportunity(group=world.group, role_title="Coordinator")
    theirs = make_opportunity(group=world.other)
    make_application(opportunity=opp, user=world.member, status=ApplicationStatus.ACCEPTED)
    make_application(opportunity=opp, user=world.group_member)
    make_application(opportunity=theirs, user=world.other_member,
                     status=ApplicationStatus.ACCEPTED)
    login(client, world.leader)
    text = client.get("/get-involved/manage/roster.csv").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["username"] for r in rows] == ["member"]
    assert rows[0]["role_title"] == "Coordinator"


def test_terms_ending_in_the_next_60_days_are_listed_for_recruiting(client, world):
    today = utcnow().date()
    soon = make_user(display_name="Ending Soon")
    later = make_user(display_name="Ending Later")
    appoint(user=soon, group=world.group, role=Role.EDITOR, title="Member",
            ends_on=today + timedelta(days=30))
    appoint(user=later, group=world.group, role=Role.EDITOR, title="Member",
            ends_on=today + timedelta(days=90))
    login(client, world.leader)
    html = client.get("/get-involved/manage").get_data(as_text=True)
    assert "Ending Soon" in html and "Ending Later" not in html


def test_leaders_find_volunteers_by_interest(client, world):
    make_profile(user=world.member, interests="Change management, mentoring")
    make_profile(user=world.group_member, interests="cataloguing")
    hidden = make_profile(user=world.other_member, interests="mentoring")
    hidden.findable = False
    login(client, world.leader)
    html = client.get("/get-involved/manage/volunteers?interest=mentor").get_data(as_text=True)
    assert world.member.display_name in html
    assert world.group_member.display_name not in html
    assert world.other_member.display_name not in html  # chose not to be found
    html = client.get("/get-involved/manage/volunteers?interest=%25").get_data(as_text=True)
    assert world.member.display_name not in html  # a % is literal, not a wildcard
