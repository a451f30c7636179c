"""Entities read without the ORM's per-query setup (forum.db.detached_entity), as the thread
and group pages load their thread, group and section: the model's own behaviour, no hidden
queries, and nothing a request could change by mistake."""

from __future__ import annotations

import pytest
from sqlalchemy import bindparam, select
from sqlalchemy.orm.exc import DetachedInstanceError

from forum.db import detached_entity, entity_columns, run_columns
from forum.discussions.models import Thread
from forum.extensions import db
from forum.groups.models import Group
from forum.querycount import count_queries
from tests.factories import make_group, make_membership, make_user
from tests.factories_discussions import make_reply, make_thread
from tests.helpers import login


def _load(thread_id: int) -> Thread:
    stmt = (select(*entity_columns(Thread), *entity_columns(Group))
            .join(Group, Group.id == Thread.group_id).where(Thread.id == bindparam("id")))
    row = run_columns(db.session, stmt, {"id": thread_id}).one()
    at = len(entity_columns(Thread))
    return detached_entity(Thread, row[:at], group=detached_entity(Group, row[at:]))


def test_a_detached_entity_reads_like_the_model_and_never_queries(app):
    group = make_group(slug="pm", name="Project Managers")
    author = make_user()
    thread = make_thread(group=group, author=author, title="Budgets")
    make_reply(thread=thread, author=author)
    db.session.commit()
    thread_id, visibility = thread.id, group.visibility
    db.session.expunge_all()
    with count_queries() as queries:
        loaded = _load(thread_id)
    assert len(queries) == 1
    assert (loaded.title, loaded.reply_count, loaded.group.name, loaded.group.visibility) == (
        "Budgets", 1, "Project Managers", visibility)
    assert loaded.created_at.tzinfo is not None  # the columns' types still apply
    with count_queries() as queries, pytest.raises(DetachedInstanceError):
        loaded.author  # noqa: B018 — not given: an error, not a hidden query
    assert queries == []


def test_changing_a_detached_entity_writes_nothing(app):
    thread = make_thread(group=make_group(slug="pm"), author=make_user(), title="Budgets")
    db.session.commit()
    thread_id = thread.id
    loaded = _load(thread_id)
    loaded.title = "Changed"
    db.session.commit()
    db.session.expunge_all()
    assert db.session.get(Thread, thread_id).title == "Budgets"


def test_thread_and_group_pages_print_what_they_loaded_detached(client):
    group = make_group(slug="pm", name="Project Managers")
    member = make_user()
    make_membership(group=group, user=member)
    thread = make_thread(group=group, author=member, title="Budgets")
    db.session.commit()
    login(client, member)  # a member: the watch button, the reply form, the read mark
    page = client.get(f"/g/pm/t/{thread.id}").get_data(as_text=True)
    assert "<h1>Budgets</h1>" in page and "Project Managers</a>" in page
    assert "You are watching this thread." in page  # its author, read with the thread
    page = client.get("/g/pm").get_data(as_text=True)
    assert "<h1>Project Managers</h1>" in page and "Budgets</a>" in page
    assert f"of the {group.section.name}</li>" in page  # the section, given with the group
