"""The demo section and groups a visitor would expect."""

from __future__ import annotations

from sqlalchemy import func, select

from forum.db import writing
from forum.extensions import db
from forum.groups import seed as groups_seed
from forum.groups.models import GroupKind, Membership, MembershipStatus, Visibility
from forum.permissions import Permissions
from tests.factories import make_user

HANDLES = ("admin", "sarah", "priya", "marcus", "lena", "tom", "james", "aisha", "diego",
           "hannah", "oliver", "mei", "ruth", "samir")


def _seeded():
    ctx = {"users": {h: make_user(username=h, site_admin=h == "admin") for h in HANDLES}}
    with writing():
        groups_seed.seed(ctx)
    return ctx


def test_seed_builds_the_section_groups_and_leadership(app):
    ctx = _seeded()
    assert ctx["section"].name == "Core Leadership and Management Section"
    pm = ctx["groups"]["project-management"]
    assert pm.purpose == groups_seed.PM_PURPOSE
    users = ctx["users"]
    assert Permissions(users["priya"]).can_lead(pm)
    assert Permissions(users["marcus"]).can_lead(pm)
    assert Permissions(users["sarah"]).is_section_admin(ctx["section"].id)
    kinds = {g.kind for g in ctx["groups"].values()}
    assert kinds == {GroupKind.INTEREST_GROUP, GroupKind.COMMITTEE, GroupKind.PROJECT_TEAM}
    assert any(g.visibility == Visibility.PRIVATE for g in ctx["groups"].values())
    interest = [g for g in ctx["groups"].values() if g.kind == GroupKind.INTEREST_GROUP]
    assert 5 <= len(interest) <= 7


def test_seed_member_counts_match_memberships_and_there_is_work_for_leaders(app):
    ctx = _seeded()
    for group in ctx["groups"].values():
        active = db.session.scalar(select(func.count(Membership.id)).where(
            Membership.group_id == group.id, Membership.status == MembershipStatus.ACTIVE))
        assert group.member_count == active
    statuses = set(db.session.scalars(select(Membership.status)))
    assert {MembershipStatus.PENDING, MembershipStatus.INVITED} <= statuses


def test_seeded_pages_render(client):
    ctx = _seeded()
    assert "Chairs and other leaders of this group since 2019" in client.get(
        "/g/project-management/leadership").get_data(as_text=True)
    page = client.get("/g/project-management").get_data(as_text=True)
    assert ctx["users"]["priya"].display_name in page and "Co-chair" in page
