"""The home page's "Get involved" block: open opportunities and their deadlines."""

from __future__ import annotations

from functools import cache

from sqlalchemy import Date, bindparam, select

from forum.db import run_columns, sql_int, utcnow
from forum.extensions import db
from forum.groups.models import Group
from forum.home_block import HomeBlock
from forum.permissions import Permissions, visible_groups_clause
from forum.volunteering.models import Opportunity, OpportunityStatus

BLOCK_SIZE = 5


def open_opportunity_rows(perms, limit: int = BLOCK_SIZE) -> list:
    """The soonest-closing open opportunities, as plain (id, title, deadline, group_name) rows.

    The same selection as queries.open_opportunities, without loading whole opportunities and
    groups (descriptions and all) for the four columns the block prints."""
    if perms.is_authenticated:  # the groups a member may know of depend on their memberships
        stmt = _open_statement(visible_groups_clause(perms), limit)
    else:
        stmt = _visitor_open_statement(limit)
    return run_columns(db.session, stmt, {"today": utcnow().date()}).all()


def _open_statement(visible, limit: int):
    return (select(Opportunity.id, Opportunity.title, Opportunity.deadline,
                   Group.name.label("group_name"))
            .join(Group, Group.id == Opportunity.group_id)
            .where(Opportunity.status == OpportunityStatus.OPEN,
                   Opportunity.deadline >= bindparam("today", type_=Date),
                   Group.archived_at.is_(None), visible)
            .order_by(Opportunity.deadline, Opportunity.id).limit(sql_int(limit)))


@cache
def _visitor_open_statement(limit: int):
    """Every visitor sees the same groups: built once per process."""
    return _open_statement(visible_groups_clause(Permissions()), limit)


def home_blocks(perms) -> list[HomeBlock]:
    # One query: recruiting is public within the groups the visitor may know of.
    return [HomeBlock(
        key="volunteering", title="Get involved",
        template="volunteering/_home_block.html",
        items=open_opportunity_rows(perms), login_prompt=False,
    )]
