"""The thread and group pages print the thread, group and reader's state their one statement
loaded (the ORM objects of discussions.loading and groups.queries: no detached copies)."""

from __future__ import annotations

from forum.extensions import db
from tests.factories import make_group, make_membership, make_user
from tests.factories_discussions import make_thread
from tests.helpers import login


def test_thread_and_group_pages_print_the_thread_group_and_watch_state_they_loaded(client):
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
