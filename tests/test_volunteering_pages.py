"""Query budgets, the home page's "Get involved" block, and the demo seed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import render_template
from sqlalchemy import select

from forum.db import utcnow, writing
from forum.extensions import db
from forum.groups.models import Appointment, GroupKind
from forum.permissions import Permissions
from forum.querycount import count_queries
from forum.volunteering.models import (
    Application,
    ApplicationStatus,
    Opportunity,
    OpportunityStatus,
)
from tests.factories import make_group, make_membership, make_user
from tests.factories_volunteering import make_application, make_opportunity
from tests.helpers import login


def _grow(world, n):
    for i in range(n):
        opp = make_opportunity(group=world.group, title=f"Seat {i}",
                               questions=[("Why?", "short_text", False)])
        make_application(opportunity=opp, user=world.member)
        make_application(opportunity=opp, user=make_user())


def _queries(client, url):
    with count_queries() as q:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(q)


@pytest.mark.parametrize("role,url,budget", [
    ("member", "/get-involved/", 6),
    ("member", "/get-involved/mine", 6),
    ("leader", "/get-involved/review", 8),
    ("leader", "/get-involved/manage", 8),
])
def test_list_pages_run_a_constant_number_of_queries(client, world, role, url, budget):
    _grow(world, 2)
    login(client, getattr(world, role))
    few = _queries(client, url)
    _grow(world, 15)
    many = _queries(client, url)
    assert few == many, (few, many)
    assert many <= budget


def test_application_page_runs_a_constant_number_of_queries(client, world):
    counts = []
    login(client, world.leader)
    for n in (1, 8):
        opp = make_opportunity(group=world.group, questions=[
            (f"Question {i}", "short_text", False) for i in range(n)])
        application = make_application(opportunity=opp, user=make_user(), answers={
            q.id: "answer" for q in opp.questions})
        counts.append(_queries(client, f"/get-involved/applications/{application.id}"))
    assert counts[0] == counts[1] and counts[1] <= 14, counts


def test_home_block_shows_open_opportunities_with_deadlines(app, world):
    today = utcnow().date()
    make_opportunity(group=world.group, title="Program Planning Committee member",
                     deadline=today + timedelta(days=3))
    make_opportunity(group=world.group, title="Closed seat", status=OpportunityStatus.CLOSED)
    make_opportunity(group=world.private, title="Private seat")
    make_opportunity(group=world.group, title="Past seat", deadline=today - timedelta(days=1))
    from forum.volunteering.home import home_blocks

    perms = Permissions(None)
    with count_queries() as q:
        blocks = home_blocks(perms)
    assert len(q) <= 2
    (block,) = blocks
    assert block.key == "volunteering" and block.login_prompt is False
    assert [o.title for o in block.items] == ["Program Planning Committee member"]
    with app.test_request_context("/"):
        html = render_template(block.template, block=block, perms=perms)
    assert "Program Planning Committee member" in html and "apply by" in html


def test_demo_seed_opens_opportunities_with_applications_in_each_status(app):
    from forum.volunteering.seed import seed

    users = {h: make_user(username=h) for h in ("admin", "tom", "samir", "hannah", "james",
                                                "lena")}
    world_section = make_group(kind=GroupKind.COMMITTEE, slug="program-planning").section
    team = make_group(section=world_section, kind=GroupKind.PROJECT_TEAM, slug="ig-week")
    make_membership(group=team, user=users["lena"])
    ctx = {"users": users, "section": world_section,
           "groups": {"program-planning": world_section.groups[0]}}  # others missing
    with writing():
        seed(ctx)
        db.session.commit()
    opportunities = list(db.session.scalars(select(Opportunity)))
    assert len(opportunities) == 3
    assert all(o.status == OpportunityStatus.OPEN for o in opportunities)
    statuses = set(db.session.scalars(select(Application.status)))
    assert statuses == {ApplicationStatus.SUBMITTED, ApplicationStatus.WAITLISTED,
                        ApplicationStatus.ACCEPTED, ApplicationStatus.DECLINED}
    accepted = db.session.scalar(select(Application).where(
        Application.status == ApplicationStatus.ACCEPTED))
    assert accepted.opportunity.filled_count == 1
    assert db.session.get(Appointment, accepted.appointment_id).title == "Member"


def test_section_home_page_shows_the_get_involved_block(client, world):
    make_opportunity(group=world.group, title="Interest Group Week Project Team — coordinator")
    html = client.get("/").get_data(as_text=True)
    assert "Get involved" in html
    assert "Interest Group Week Project Team — coordinator" in html
